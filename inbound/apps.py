from django.apps import AppConfig


class InboundConfig(AppConfig):
    name = "inbound"
    verbose_name = "Feedback from other tools"

    def ready(self):
        from inbound import history  # noqa: F401 (registers the "NPS history" kind of import)
