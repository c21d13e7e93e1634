import zoneinfo

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from accounts.models import Organization
from accounts.services import ORGANIZATION_SETTINGS
from teamhub.lib.queue import enqueue_on_commit
from teamhub.lib.tenancy import Role


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the e-mail made and sent by Celery after commit: the
    page answers as fast for a known address as for an unknown one (nothing to learn
    from timing), an SMTP outage is retried by the worker instead of failing the
    request, and the reset link is made in the job, so the broker holds only a user id."""

    def save(self, **kwargs) -> None:
        from accounts.tasks import send_password_reset_email  # tasks import services; avoid a cycle

        for user in self.get_users(self.cleaned_data["email"]):
            enqueue_on_commit(send_password_reset_email, user.pk)


class LoginForm(AuthenticationForm):
    """E-mail login. The error never says whether the address has an account."""

    username = forms.EmailField(
        label="E-mail address", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        "invalid_login": "That e-mail address and password do not match an active account.",
        "inactive": "That e-mail address and password do not match an active account.",
    }

    def clean_username(self):
        # Addresses are stored lowercased; lowercasing here also gives axes one key
        # per account, so "Alice@…" and "ALICE@…" share a single failure count.
        return self.cleaned_data["username"].lower()


class InvitationForm(forms.Form):
    email = forms.EmailField(label="E-mail address", widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(
        label="Your name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters, not a common password.",
    )
    password_confirm = forms.CharField(
        label="Repeat the password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_confirm"):
            self.add_error("password_confirm", "The two passwords differ.")
        return data


class MembershipForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


def _timezone_choices() -> list[tuple[str, str]]:
    # Region/City names only: the legacy aliases ("EST5EDT", "Etc/GMT+3") confuse more than they help.
    names = sorted(name for name in zoneinfo.available_timezones() if "/" in name and not name.startswith("Etc/"))
    return [("UTC", "UTC"), *((name, name.replace("_", " ")) for name in names)]


class OrganizationSettingsForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = list(ORGANIZATION_SETTINGS)
        widgets = {"timezone": forms.Select(choices=_timezone_choices)}
        labels = {
            "weight_survey": "Survey weight",
            "weight_responsiveness": "Responsiveness weight",
            "weight_follow_through": "Follow-through weight",
            "weight_breadth": "Breadth weight",
            "handoff_sla_hours": "Handoff SLA (hours)",
            "survey_throttle_days": "Ask a contact again after (days)",
            "detractor_sla_days": "Detractor follow-up due within (working days)",
        }


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Token name", max_length=80, help_text="What will use it, e.g. “CRM sync”.", widget=forms.TextInput()
    )


class ProfileForm(forms.Form):
    full_name = forms.CharField(label="Your name", max_length=150)
