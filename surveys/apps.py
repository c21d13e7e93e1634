from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"

    def ready(self):
        from surveys import notices  # noqa: F401 (registers the kinds of notice)
