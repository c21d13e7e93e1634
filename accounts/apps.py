from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and organisations"

    def ready(self):
        # Registers the OpenAPI description of token authentication.
        from accounts import (
            authentication,  # noqa: F401
            tenancy,
        )
        from teamhub.lib import tenancy as plumbing

        # The plumbing below this app finds memberships through these.
        plumbing.register_membership_directory(
            for_slug=tenancy.membership_for_slug, active_in=tenancy.active_membership
        )
