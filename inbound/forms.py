"""Forms of the inbound pages: bounded fields, the services check the rules."""

from django import forms

from customers.imports import services as import_services
from inbound import selectors
from inbound.history import KIND
from inbound.models import Scheme
from surveys.models.feedback import FeedbackKind
from teamhub.lib.forms import ModelChoiceField


class SourceCreateForm(forms.Form):
    scheme = forms.ChoiceField(label="Webhook", choices=Scheme.choices)


class RotateForm(forms.Form):
    keep_previous = forms.BooleanField(
        label="Keep the current secret valid for 24 hours",
        required=False,
        initial=True,
        help_text="Untick it if the secret leaked: deliveries signed with it are refused at once.",
    )


class TypeformMappingForm(forms.Form):
    kind = forms.ChoiceField(label="The form asks for", choices=FeedbackKind.choices)
    score_field = forms.CharField(
        label="Score question (ref or id)",
        max_length=120,
        help_text="The opinion scale or rating question: its block reference or field id in Typeform.",
    )
    comment_field = forms.CharField(
        label="Comment question (ref or id)", max_length=120, required=False, help_text="A long or short text question."
    )
    contact_field = forms.CharField(
        label="Contact's e-mail (question ref or id, or hidden field)",
        max_length=120,
        required=False,
        help_text="An e-mail question, or a hidden field such as “email” filled by your link.",
    )
    account_field = forms.CharField(
        label="Account's external reference (hidden field)",
        max_length=120,
        required=False,
        help_text="A hidden field such as “account” holding the account's CRM id.",
    )


class AssignForm(forms.Form):
    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"] = ModelChoiceField(
            queryset=selectors.assignable_accounts(membership=membership), label="Account"
        )
        self.fields["contact"] = ModelChoiceField(
            queryset=selectors.assignable_contacts(membership=membership),
            label="Contact (optional)",
            required=False,
            help_text="One of the account's contacts.",
        )
        self.fields["contact"].label_from_instance = lambda c: f"{c.name} ({c.account.name})"


class UploadForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="UTF-8, comma or semicolon separated, up to 50 MB.")


class HistoryMappingForm(forms.Form):
    """One select of the file's columns per field of the NPS history import."""

    def __init__(self, *args, customer_import, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— not in the file —")] + [(h, h) for h in customer_import.headers if h]
        targets = import_services.targets_of(customer_import.kind)
        for key, target in targets.items():
            required = " (required)" if key in KIND.required else ""
            self.fields[key] = forms.ChoiceField(label=target.label + required, choices=choices, required=False)
            self.fields[key].initial = customer_import.mapping.get(key, "")
