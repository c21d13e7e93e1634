"""Page helpers: service errors shown on forms, htmx detection."""

from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from teamhub.lib.forms import apply_validation_error, is_htmx


class _InviteForm(forms.Form):
    email = forms.EmailField()


def _bound_form():
    form = _InviteForm({"email": "dana@example.com"})
    assert form.is_valid()
    return form


def test_apply_validation_error_puts_a_named_field_error_on_that_field():
    form = _bound_form()

    apply_validation_error(form, ValidationError({"email": "Already a member."}))

    assert form.errors == {"email": ["Already a member."]}


def test_apply_validation_error_puts_an_unknown_fields_error_on_the_form():
    form = _bound_form()

    apply_validation_error(form, ValidationError({"role": "Not a role."}))

    assert form.non_field_errors() == ["Not a role."]


def test_apply_validation_error_puts_a_plain_error_on_the_form():
    form = _bound_form()

    apply_validation_error(form, ValidationError(["Link expired.", "Ask again."]))

    assert form.non_field_errors() == ["Link expired.", "Ask again."]
    assert not form.is_valid()


def test_is_htmx_only_for_the_htmx_header():
    factory = RequestFactory()

    assert is_htmx(factory.get("/", headers={"HX-Request": "true"})) is True
    assert is_htmx(factory.get("/")) is False
    assert is_htmx(factory.get("/", headers={"HX-Request": "false"})) is False
