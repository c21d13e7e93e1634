from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"

    def ready(self):
        # Someone who leaves must not take customer needs with them: accounts/ says so
        # by a signal, inside the deactivating transaction.
        from accounts.signals import membership_deactivated

        membership_deactivated.connect(_release_handoffs, dispatch_uid="teams.release_handoffs")


def _release_handoffs(sender, membership, actor, **kwargs):
    from teams.services.handoffs import handoffs_release  # services import models: not at app loading

    handoffs_release(actor=actor, person=membership)
