from django.apps import AppConfig


class WorkConfig(AppConfig):
    """Daily work: wins, spotlights, adoptions, handoffs and whom to hand a need to."""

    name = "work"

    def ready(self):
        # Someone who leaves must not take customer needs with them: accounts/ says so
        # by a signal, inside the deactivating transaction.
        from accounts.signals import membership_deactivated
        from customers.pages import register_account_section
        from work import notices  # noqa: F401 (registers the kinds of notice)
        from work.views import customer_page

        membership_deactivated.connect(_release_handoffs, dispatch_uid="work.release_handoffs")
        # A customer's page shows its wins and its handoffs.
        register_account_section(customer_page.wins_section, order=10)
        register_account_section(customer_page.handoffs_section, order=20)


def _release_handoffs(sender, membership, actor, **kwargs):
    from work.services.handoffs import handoffs_release  # services import models: not at app loading

    handoffs_release(actor=actor, leaving=membership)
