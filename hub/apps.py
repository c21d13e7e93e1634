from django.apps import AppConfig


class HubConfig(AppConfig):
    """The pages that join every app: home (and, later, dashboards)."""

    name = "hub"
