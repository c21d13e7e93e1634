"""Small helpers shared by page views."""

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
