from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and organisations"

    def ready(self):
        # Registers the OpenAPI description of token authentication.
        from accounts import authentication  # noqa: F401
