"""Create the demo organisation. Running it again changes nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Membership, Organization, User
from accounts.services import organization_create
from teamhub.lib.tenancy import Role

DEMO_SLUG = "northwind"
DEMO_PASSWORD = "northwind-demo"
DEMO_DOMAIN = "northwind.example"

# (name, e-mail local part, role) — the admin first: they create the organisation.
PEOPLE = [
    ("Priya Shah", "admin", Role.ADMIN),
    ("Marcus Webb", "marcus", Role.MANAGER),
    ("Lena Okafor", "lena", Role.MANAGER),
    ("Tomás Rivera", "tomas", Role.MANAGER),
    ("Hannah Berg", "hannah", Role.MANAGER),
    ("Sam Carter", "member", Role.MEMBER),
    ("Aiko Tanaka", "aiko", Role.MEMBER),
    ("Ben Adeyemi", "ben", Role.MEMBER),
    ("Chloé Martin", "chloe", Role.MEMBER),
    ("Diego Alvarez", "diego", Role.MEMBER),
    ("Ella Novak", "ella", Role.MEMBER),
    ("Farid Haddad", "farid", Role.MEMBER),
    ("Grace Liu", "grace", Role.MEMBER),
    ("Ivan Petrov", "ivan", Role.MEMBER),
    ("Jade Morgan", "jade", Role.MEMBER),
    ("Kofi Mensah", "kofi", Role.MEMBER),
    ("Laura Fischer", "laura", Role.MEMBER),
    ("Mateo Rossi", "mateo", Role.MEMBER),
    ("Nadia Karim", "nadia", Role.MEMBER),
    ("Oscar Lindqvist", "oscar", Role.MEMBER),
]


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


class Command(BaseCommand):
    help = "Create the demo organisation (Northwind Outfitters) with its people. Idempotent."

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

    def _user(self, full_name: str, local: str) -> User:
        user = User.objects.filter(email=demo_email(local)).first()
        return user or User.objects.create_user(demo_email(local), DEMO_PASSWORD, full_name=full_name)

    def _print_logins(self, created: bool):
        verb = "Created" if created else "Already there:"
        self.stdout.write(self.style.SUCCESS(f"{verb} demo organisation Northwind Outfitters ({len(PEOPLE)} people)."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for label, local in (("admin", "admin"), ("manager", "marcus"), ("member", "member")):
            self.stdout.write(f"  {label:<8} {demo_email(local)}")
