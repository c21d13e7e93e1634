"""What page views and forms share: a form-bound call to a service, what a form
changed, and the fields every app's forms use (dates, ids, people, model choices).

Services raise ValidationError for every refusal, and pages in every app show those
refusals the same way: on the field the error names, at the top of the form, or as a
flash message for a form-less action. These helpers keep that in one place, so a view
reads as bind, access, service, render.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError


def apply_validation_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def is_htmx(request) -> bool:
    """Whether the request came from htmx, which then wants a fragment, not a page."""
    return request.headers.get("HX-Request") == "true"


def attempt(form, service, **kwargs):
    """Call a service; a ValidationError lands on ``form`` and the result is None."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        apply_validation_error(form, error)
        return None


def attempt_or_flash(request, service, **kwargs) -> bool:
    """Call a form-less service (a delete, a toggle); a refusal becomes an error message."""
    try:
        service(**kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    return True


def changes_of(form, *, skip_empty: tuple[str, ...] = ()) -> dict:
    """The fields the person changed, for an ``<entity>_update(**changes)`` service."""
    return {
        name: form.cleaned_data[name]
        for name in form.changed_data
        if not (name in skip_empty and form.cleaned_data[name] in (None, ""))
    }


# --- Fields every app's forms share ---------------------------------------------------------

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The largest id the database can hold (a 64-bit signed integer). A longer number typed
# into an id field or a query string would overflow the database driver (SQLite raises
# OverflowError), so it is refused as an invalid choice before any query runs.
MAX_ID = 2**63 - 1


def _is_id(value) -> bool:
    try:
        return 0 < int(str(value).strip()) <= MAX_ID
    except (TypeError, ValueError):
        return False


class IdField(forms.IntegerField):
    """An id given as a number: a whole number from 1 to the database's largest id."""

    default_error_messages = {"invalid": "Enter a valid id (a whole number)."}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class ModelChoiceField(forms.ModelChoiceField):
    """Django's, refusing an id the database could not hold as "not one of the choices"."""

    def to_python(self, value):
        is_raw_id = value not in self.empty_values and not hasattr(value, "pk") and not self.to_field_name
        if is_raw_id and not _is_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing ids the database could not hold as "not one of the choices"."""

    def _check_values(self, value):
        if not self.to_field_name:
            for pk in value or ():
                if not hasattr(pk, "pk") and not _is_id(pk):
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                    )
        return super()._check_values(value)


class PersonChoiceField(ModelChoiceField):
    """One person of the organisation (a Membership), shown by name."""

    def label_from_instance(self, obj):
        return obj.user.display_name


class PeopleChoiceField(ModelMultipleChoiceField):
    """People of the organisation, shown by name and role."""

    def label_from_instance(self, obj):
        return f"{obj.user.display_name} ({obj.get_role_display().lower()})"
