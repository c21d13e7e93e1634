"""Small helpers shared by page views: a form-bound call to a service, and what a form changed.

Services raise ValidationError for every refusal, and pages in every app show those
refusals the same way: on the field the error names, at the top of the form, or as a
flash message for a form-less action. These helpers keep that in one place, so a view
reads as bind, access, service, render.
"""

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
