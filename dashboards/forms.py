"""Forms of the dashboards' pages: they check types and sizes; services check the rules."""

from django import forms

from dashboards.selectors.focus import DRIVER_KEYS, GRANULARITIES, active_org_goals, driver_label
from teamhub.lib.forms import ModelChoiceField
from teams.models import Goal


class ActionPlanForm(forms.Form):
    """The one-step action plan: the driver comes from the button that opened the form."""

    driver = forms.ChoiceField(choices=[(key, driver_label(key)) for key in DRIVER_KEYS], widget=forms.HiddenInput)
    granularity = forms.ChoiceField(choices=GRANULARITIES, widget=forms.HiddenInput, required=False)
    title = forms.CharField(label="Goal", max_length=160)
    parent = ModelChoiceField(
        label="Serves the organisation goal",
        queryset=Goal.objects.none(),
        empty_label=None,
        help_text="A team goal always serves one of the organisation's goals; the first one running is chosen for you.",
    )
    target = forms.DecimalField(
        label="Target, % favourable",
        min_value=0,
        max_value=100,
        decimal_places=0,
        help_text="Where the driver should be by the end of the quarter.",
    )

    def __init__(self, *args, membership, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = active_org_goals(membership=membership, today=today)
        self.fields["target"].widget.attrs.update({"inputmode": "numeric", "step": "1"})
