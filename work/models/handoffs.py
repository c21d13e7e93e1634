"""Handoffs of customer needs and their history.

The tables keep the names they had when these models lived in teams/: the move to
work/ changed no data (see migrations/0001).
"""

from django.db import models
from django.db.models import Q

from teamhub.lib.tenancy import OrgScopedQuerySet, Role


class HandoffQuerySet(OrgScopedQuerySet):
    def visible_to(self, membership):
        """Admins see every handoff. Others see those they sent, received or claimed,
        those handed to a team they are on or manage, and those about a customer whose
        details they work on (its owning team's people see what happens to it)."""
        from customers.models import CustomerAccount
        from teams.selectors import teams_on_or_managed

        handoffs = self.for_org(membership.organization_id)
        if membership.role == Role.ADMIN:
            return handoffs
        my_teams = teams_on_or_managed(membership=membership).values("pk")
        return handoffs.filter(
            Q(sender=membership)
            | Q(to_member=membership)
            | Q(accepted_by=membership)
            | Q(to_team__in=my_teams)
            | Q(account__in=CustomerAccount.objects.in_full_for(membership).values("pk"))
        )


class Handoff(models.Model):
    """A customer need passed from one member to a member or to a team.

    open → accepted or declined (reason) → completed, or returned (reason); the
    sender may cancel it while it is open or accepted. Every move is a service that
    stamps who and when, and a HandoffEvent row.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        COMPLETED = "completed", "Completed"
        RETURNED = "returned", "Returned"
        CANCELLED = "cancelled", "Cancelled"

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="handoffs")
    account = models.ForeignKey("customers.CustomerAccount", on_delete=models.PROTECT, related_name="handoffs")
    follow_up = models.ForeignKey(
        "customers.FollowUp", on_delete=models.SET_NULL, null=True, blank=True, related_name="handoffs"
    )
    subject = models.CharField(max_length=200)
    context = models.TextField(blank=True)
    customer_expects = models.TextField("What the customer expects", blank=True)
    due_date = models.DateField(null=True, blank=True)
    sender = models.ForeignKey("accounts.Membership", on_delete=models.PROTECT, related_name="handoffs_sent")
    # The sender's team when it was sent: collaboration scores count it there.
    sender_team = models.ForeignKey(
        "teams.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="handoffs_sent"
    )
    to_member = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="handoffs_received"
    )
    to_team = models.ForeignKey(
        "teams.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="handoffs_received"
    )
    # The team that received it: the team it was handed to, or the recipient's team when
    # it was sent, and the accepting person's team once accepted. Collaboration scores
    # count responsiveness and follow-through there.
    receiving_team = models.ForeignKey(
        "teams.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="handoffs_taken"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    accepted_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True, help_text="Why it was declined or returned.")
    created_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, help_text="Declined, completed, returned or cancelled.")
    # The organisation's SLA when it was sent, so a later change does not rewrite history.
    sla_hours = models.PositiveSmallIntegerField()
    breach_notified_at = models.DateTimeField(
        null=True, blank=True, help_text="When people were told it waited past its SLA (once)."
    )

    objects = HandoffQuerySet.as_manager()

    class Meta:
        db_table = "teams_handoff"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(to_member__isnull=False) & Q(to_team__isnull=True))
                | (Q(to_member__isnull=True) & Q(to_team__isnull=False)),
                name="handoff_to_a_member_or_a_team",
                violation_error_message="Hand it to one person or to one team.",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(accepted_at__gte=models.F("created_at")),
                name="handoff_accepted_after_sent",
            ),
        ]
        indexes = [
            # Inboxes: handed to me, to my team, I sent — open ones by age.
            models.Index(fields=["to_member", "status", "created_at"], name="handoff_inbox_member"),
            models.Index(fields=["to_team", "status", "created_at"], name="handoff_inbox_team"),
            models.Index(fields=["sender", "status", "created_at"], name="handoff_sent"),
            models.Index(fields=["account", "-created_at"], name="handoff_by_account"),
            # Scores: an organisation's handoffs by the team that sent or received them, by period.
            models.Index(fields=["organization", "sender_team", "created_at"], name="handoff_score_sent"),
            models.Index(fields=["organization", "receiving_team", "created_at"], name="handoff_score_received"),
        ]

    def __str__(self):
        return self.subject


class HandoffEvent(models.Model):
    """One move of a handoff: from, to, who, when and why."""

    handoff = models.ForeignKey(Handoff, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, choices=Handoff.Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Handoff.Status.choices)
    by = models.ForeignKey("accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+")
    # When TeamHub itself moved it (a directory sync releasing what someone who left
    # held, say): who it was, as the system actor named itself.
    by_system = models.CharField(max_length=120, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        db_table = "teams_handoffevent"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.handoff}: {self.from_status or 'new'} → {self.to_status}"

    @property
    def by_name(self) -> str:
        if self.by_system:
            return f"TeamHub ({self.by_system})"
        return self.by.user.display_name if self.by_id else "Someone"
