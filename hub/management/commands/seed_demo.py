"""Create the demo organisation. Running it again changes nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_SLUG, PEOPLE, demo_email
from accounts.models import Membership, Organization, User
from accounts.services import organization_create
from customers import demo as customers_demo
from outbox.models import DirtyScope
from surveys import demo_feedback, demo_pulse
from surveys.scoring import runs
from teams import demo as teams_demo
from work import demo as work_demo


class Command(BaseCommand):
    help = "Create the demo organisation (Northwind Outfitters) with its people, teams and customers. Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        users = [self._user(name, local) for name, local, _ in PEOPLE]
        organization = Organization.objects.filter(slug=DEMO_SLUG).first()
        created = organization is None
        if created:
            organization = organization_create(
                name="Northwind Outfitters", slug=DEMO_SLUG, creator=users[0], timezone_name="Europe/London"
            )
        for user, (_, _, role) in zip(users, PEOPLE, strict=True):
            Membership.objects.get_or_create(user=user, organization=organization, defaults={"role": role})
        self._print_logins(created)
        self.stdout.write(teams_demo.seed(organization))
        self.stdout.write(customers_demo.seed(organization))
        self.stdout.write(work_demo.seed(organization))
        self.stdout.write(demo_pulse.seed(organization))
        self.stdout.write(demo_feedback.seed(organization))
        self.stdout.write(self._scores(organization))

    def _scores(self, organization: Organization) -> str:
        """Every snapshot computed now, so the demo's scores are there from the start
        (and the outbox marks its seeding wrote need no recompute)."""
        written = runs.recompute_all(organization.pk)
        DirtyScope.objects.filter(organization=organization).delete()
        return f"Scores: {written} snapshots computed."

    def _user(self, full_name: str, local: str) -> User:
        user = User.objects.filter(email=demo_email(local)).first()
        return user or User.objects.create_user(demo_email(local), DEMO_PASSWORD, full_name=full_name)

    def _print_logins(self, created: bool):
        verb = "Created" if created else "Already there:"
        self.stdout.write(self.style.SUCCESS(f"{verb} demo organisation Northwind Outfitters ({len(PEOPLE)} people)."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for role, email in DEMO_LOGINS:
            self.stdout.write(f"  {role:<8} {email}")
