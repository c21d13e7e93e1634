"""The weekly digest: who wants it and when, and which weeks it went out.

A person without a :class:`DigestPreference` row has the defaults: managers and admins
get the digest on Friday at 09:00 in the organisation's time zone, members do not until
they opt in. The row is written the first time they change something (or unsubscribe).

:class:`DigestSent` is the guarantee of "once per person per week": a digest is claimed
by inserting its row, unique on (membership, week), in the transaction that queues the
e-mail; two beat processes (or a redelivered message) cannot both insert it. The lock
the task takes only saves the second one the work.
"""

from django.core.validators import MaxValueValidator
from django.db import models

DEFAULT_WEEKDAY = 4  # Friday (Monday is 0, as in datetime.weekday())
DEFAULT_HOUR = 9


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class DigestPreference(models.Model):
    """One person's choice: whether they get the weekly digest, and on which day and
    hour of the organisation's time zone."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    membership = models.OneToOneField("accounts.Membership", on_delete=models.CASCADE, related_name="digest_preference")
    enabled = models.BooleanField(help_text="Whether the weekly digest is sent to this person.")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=DEFAULT_WEEKDAY)
    hour = models.PositiveSmallIntegerField(default=DEFAULT_HOUR, validators=[MaxValueValidator(23)])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="digest_weekday_0_to_6"),
            models.CheckConstraint(condition=models.Q(hour__lte=23), name="digest_hour_0_to_23"),
        ]
        indexes = [
            # The beat job: the people of an organisation whose digest falls in this hour.
            models.Index(fields=["organization", "weekday", "hour"], name="digest_pref_slot"),
        ]

    def __str__(self):
        state = "on" if self.enabled else "off"
        return f"Digest {state} for {self.membership_id}: {self.get_weekday_display()} {self.hour:02d}:00"


class DigestSent(models.Model):
    """One person's digest of one week: inserted when it is queued, never twice."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="digests_sent")
    week = models.DateField(help_text="The Monday of the week it is for, in the organisation's time zone.")
    date_from = models.DateField(help_text="The first day the digest covers.")
    date_to = models.DateField(help_text="The last day the digest covers (included).")
    delivery_id = models.PositiveBigIntegerField(null=True, blank=True, help_text="The e-mail's delivery.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-week", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "week"], name="digest_once_per_person_and_week"),
        ]

    def __str__(self):
        return f"Digest of {self.week} for {self.membership_id}"
