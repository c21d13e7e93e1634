"""Customers owned by teams: accounts, the people there, their needs being handled
(follow-ups), ownership history, and CSV imports from a CRM."""

from django.db import models
from django.db.models import Q

from teamhub.lib.tenancy import OrgScopedQuerySet, Role

# The languages customer surveys are written in (their pages and e-mails).
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("fr", "Français"), ("es", "Español")]


class AccountQuerySet(OrgScopedQuerySet):
    def visible_to(self, membership):
        """Everyone in the organisation may find any account by name and owning team,
        so they know whom to ask; ``in_full_for`` says whose details they may read."""
        return self.for_org(membership.organization_id)

    def in_full_for(self, membership):
        """Accounts whose contacts, follow-ups and history the membership may read and
        work on: all of them for admins; their teams' (as member or manager) for others."""
        from teams.selectors import teams_on_or_managed  # selectors import models: not at loading

        accounts = self.for_org(membership.organization_id)
        if membership.role == Role.ADMIN:
            return accounts
        return accounts.filter(owning_team__in=teams_on_or_managed(membership=membership).values("pk"))


class CustomerAccount(models.Model):
    class Status(models.TextChoices):
        PROSPECT = "prospect", "Prospect"
        ACTIVE = "active", "Active"
        AT_RISK = "at_risk", "At risk"
        CHURNED = "churned", "Churned"

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="customers")
    name = models.CharField(max_length=160)
    external_ref = models.CharField(
        "External reference", max_length=64, blank=True, help_text="The account's id in the CRM it came from."
    )
    segment = models.CharField("Segment or tier", max_length=60, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    annual_revenue = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    owning_team = models.ForeignKey("teams.Team", on_delete=models.PROTECT, related_name="customer_accounts")
    lead = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_accounts",
        verbose_name="account lead",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            # Re-importing a CRM export updates by this reference and never duplicates.
            models.UniqueConstraint(
                fields=["organization", "external_ref"],
                condition=~Q(external_ref=""),
                name="account_external_ref_unique_per_org",
                violation_error_message="Another account already has this external reference.",
            ),
            models.CheckConstraint(
                condition=Q(annual_revenue__isnull=True) | Q(annual_revenue__gte=0),
                name="account_revenue_not_negative",
                violation_error_message="Annual revenue cannot be negative.",
            ),
        ]
        indexes = [
            # The account list: one organisation's accounts by team, status, name.
            models.Index(fields=["organization", "owning_team", "status"], name="account_by_team_status"),
            models.Index(fields=["organization", "name"], name="account_by_name"),
        ]

    def __str__(self):
        return self.name


class OwnershipChange(models.Model):
    """An account moving from one team to another: who, when and why."""

    account = models.ForeignKey(CustomerAccount, on_delete=models.CASCADE, related_name="ownership_changes")
    from_team = models.ForeignKey("teams.Team", on_delete=models.SET_NULL, null=True, related_name="+")
    to_team = models.ForeignKey("teams.Team", on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.TextField()
    changed_by = models.ForeignKey("accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.account}: {self.from_team} → {self.to_team}"


class ContactQuerySet(OrgScopedQuerySet):
    org_field = "account__organization"

    def visible_to(self, membership):
        return self.filter(account__in=CustomerAccount.objects.in_full_for(membership))


class Contact(models.Model):
    """Someone at the customer, and what the team should remember about them."""

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        PHONE = "phone", "Phone"
        VIDEO = "video", "Video call"
        IN_PERSON = "in_person", "In person"
        CHAT = "chat", "Chat"

    account = models.ForeignKey(CustomerAccount, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    title = models.CharField("Job title", max_length=120, blank=True)
    preferred_channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.EMAIL)
    preferences = models.TextField(blank=True, help_text="How they like to work with us.")
    personal_notes = models.TextField(
        blank=True, help_text="What to remember: people they work with, favourite snacks, what annoys them."
    )
    notes_reviewed_at = models.DateTimeField(null=True, blank=True)
    survey_opt_out = models.BooleanField("Opted out of surveys", default=False)
    language = models.CharField(
        max_length=8,
        choices=LANGUAGES,
        blank=True,
        help_text="The language of the surveys sent to them; empty: their browser's, else English.",
    )
    last_interaction_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["account", "name"], name="contact_by_account")]

    def __str__(self):
        return self.name


class FollowUpQuerySet(OrgScopedQuerySet):
    org_field = "account__organization"

    def visible_to(self, membership):
        return self.filter(account__in=CustomerAccount.objects.in_full_for(membership))


class FollowUp(models.Model):
    """A customer need being handled, with the timestamps that measure turnaround."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    account = models.ForeignKey(CustomerAccount, on_delete=models.CASCADE, related_name="follow_ups")
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups")
    summary = models.CharField(max_length=200)
    owner = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups"
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    # The team's team when the need arrived: turnaround is measured for the team that had it.
    team = models.ForeignKey("teams.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups")
    created_at = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    created_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_response_at__isnull=True) | Q(first_response_at__gte=models.F("created_at")),
                name="follow_up_response_after_creation",
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(resolved_at__gte=models.F("created_at")),
                name="follow_up_resolution_after_creation",
            ),
        ]
        indexes = [
            # Turnaround per team and period.
            models.Index(fields=["team", "created_at"], name="follow_up_by_team_time"),
            models.Index(fields=["account", "status"], name="follow_up_by_account_status"),
        ]

    def __str__(self):
        return self.summary

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.CANCELLED)


class ImportQuerySet(OrgScopedQuerySet):
    def visible_to(self, membership):
        """Admins see every import of the organisation; others see the ones they started."""
        imports = self.for_org(membership.organization_id)
        return imports if membership.role == Role.ADMIN else imports.filter(created_by=membership)

    def of_kind(self, kind: str):
        return self.filter(kind=kind)


class CustomerImport(models.Model):
    """One CSV upload from a CRM: its column mapping, progress, outcome and row errors.

    The rule is all-or-nothing: if any row is invalid, nothing is imported and every
    invalid row is listed with its number and reason.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Imported"
        FAILED = "failed", "Not imported"

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="imports")
    created_by = models.ForeignKey("accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+")
    # What the file is imported as: accounts and contacts, or a kind another app
    # registered (customers.imports.kinds), such as NPS history.
    kind = models.CharField(max_length=32, default="accounts")
    filename = models.CharField(max_length=200)
    # Emptied once the import has been finished or abandoned for IMPORT_FILE_RETENTION_DAYS:
    # a CRM export holds personal data nobody needs to keep.
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    file_removed_at = models.DateTimeField(null=True, blank=True)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict, blank=True)
    default_team = models.ForeignKey("teams.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    accounts_created = models.PositiveIntegerField(default=0)
    accounts_updated = models.PositiveIntegerField(default=0)
    contacts_created = models.PositiveIntegerField(default=0)
    contacts_updated = models.PositiveIntegerField(default=0)
    # A registered kind's outcome, {label: number} (the accounts kind has the columns above).
    counts = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True, help_text="[{row, column, reason}] for invalid rows.")
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def can_change(self) -> bool:
        """Its columns may be mapped again and it may run (again): not started, or not
        imported, and its file still kept."""
        return self.status in (self.Status.UPLOADED, self.Status.FAILED) and bool(self.file)

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
