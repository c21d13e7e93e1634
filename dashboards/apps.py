from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "Dashboards"

    def ready(self):
        from dashboards.services import digest  # noqa: F401 (registers the digest e-mail's kind and its renderer)
