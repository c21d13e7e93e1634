"""The weekly digest's pages: a person's own settings, and the one-click unsubscribe.

The settings page is everyone's own: a manager picks the day and hour (Friday 09:00 by
default), a member opts into their team's digest. The unsubscribe link works without
logging in: its signed token is the capability, and it stops that one person's digest
only. GET asks (a mail scanner following links must not unsubscribe anyone), POST does
it; an invalid token gets a clear page and changes nothing.
"""

from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from dashboards.models import Weekday
from dashboards.selectors import digest as selectors
from dashboards.services import digest as services
from teamhub.lib.tenancy import membership_required

HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]


class DigestForm(forms.Form):
    enabled = forms.BooleanField(label="Send me the weekly digest", required=False)
    weekday = forms.TypedChoiceField(label="Day", choices=Weekday.choices, coerce=int)
    hour = forms.TypedChoiceField(label="Hour", choices=HOURS, coerce=int)

    def __init__(self, *args, zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hour"].help_text = f"Day and hour in the organisation's time zone ({zone})."


def _context(membership, form) -> dict:
    preference = selectors.preference_of(membership)
    zone = ZoneInfo(membership.organization.timezone)
    next_at = None
    if preference.enabled:
        next_at = selectors.next_slot_at(preference.weekday, preference.hour, zone, timezone.now()).astimezone(zone)
    return {
        "form": form,
        "preference": preference,
        "teams": selectors.digest_teams(membership),
        "next_at": next_at,
        "zone": membership.organization.timezone,
        "is_default": preference.pk is None,
        "default_enabled": selectors.default_enabled(membership),
    }


@membership_required()
@require_http_methods(["GET", "POST"])
def digest_settings(request, membership):
    preference = selectors.preference_of(membership)
    initial = {"enabled": preference.enabled, "weekday": preference.weekday, "hour": preference.hour}
    form = DigestForm(request.POST or None, initial=initial, zone=membership.organization.timezone)
    if request.method == "POST" and form.is_valid():
        try:
            services.digest_preference_set(actor=membership, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            data = form.cleaned_data
            if data["enabled"]:
                day = Weekday(data["weekday"]).label
                messages.success(request, f"Saved: your digest comes on {day}s at {data['hour']:02d}:00.")
            else:
                messages.success(request, "Saved: you will get no weekly digest.")
            return redirect("dashboards:digest")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "dashboards/digest.html", _context(membership, form), status=status)


# No CSRF token: the signed token is itself the secret a forged request would lack, no
# session is involved, and mail clients' one-click unsubscribe (RFC 8058) posts without
# a cookie.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request, token):
    person = services.membership_for_token(token)
    if person is None:
        return render(request, "dashboards/digest_unsubscribe.html", {"invalid": True}, status=404)
    done = request.method == "POST"
    if done:
        services.digest_unsubscribe(membership=person)
    context = {"person": person, "organization": person.organization, "done": done, "token": token}
    response = render(request, "dashboards/digest_unsubscribe.html", context)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
