"""The one tenancy mechanism: scoping, the current membership (accounts' middleware and
the registered look-ups), the page decorator."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import Membership
from accounts.tenancy import CurrentMembershipMiddleware, membership_for_slug
from accounts.tests.factories import MembershipFactory
from teamhub.lib.tenancy import (
    SESSION_ORG_KEY,
    Role,
    current_membership,
    get_visible_or_404,
    has_role,
    membership_required,
    require_role,
)

pytestmark = pytest.mark.django_db


def _request(user=None, org_id=None, path="/somewhere/?tab=2"):
    """A request as the middleware stack would hand it to a view."""
    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    if org_id is not None:
        request.session[SESSION_ORG_KEY] = org_id
    CurrentMembershipMiddleware(lambda r: HttpResponse())(request)
    return request


@membership_required(Role.MANAGER)
def _managers_only(request, membership):
    return HttpResponse(f"{membership.organization.slug}:{membership.role}")


# --- get_visible_or_404 ------------------------------------------------------------------------


def test_get_visible_or_404_returns_a_row_of_the_members_organisation(personas):
    assert get_visible_or_404(Membership.objects.all(), personas.member, pk=personas.admin.pk) == personas.admin


def test_get_visible_or_404_gives_404_for_another_organisations_row(personas):
    with pytest.raises(Http404):
        get_visible_or_404(Membership.objects.all(), personas.admin, pk=personas.outsider.pk)


def test_get_visible_or_404_gives_404_for_a_row_the_role_may_not_see(personas):
    gone = MembershipFactory(organization=personas.org, is_active=False)

    assert get_visible_or_404(Membership.objects.all(), personas.admin, pk=gone.pk) == gone
    with pytest.raises(Http404):
        get_visible_or_404(Membership.objects.all(), personas.member, pk=gone.pk)


def test_get_visible_or_404_gives_404_for_a_malformed_id(personas):
    with pytest.raises(Http404):
        get_visible_or_404(Membership.objects.all(), personas.admin, pk="not-a-number")


# --- Roles ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "minimum", "allowed"),
    [
        (Role.ADMIN, Role.ADMIN, True),
        (Role.ADMIN, Role.MEMBER, True),
        (Role.MANAGER, Role.MANAGER, True),
        (Role.MANAGER, Role.ADMIN, False),
        (Role.MEMBER, Role.MANAGER, False),
        (Role.MEMBER, Role.MEMBER, True),
    ],
)
def test_has_role_ranks_admin_over_manager_over_member(role, minimum, allowed):
    membership = Membership(role=role)

    assert has_role(membership, minimum) is allowed


def test_has_role_is_false_without_membership():
    assert has_role(None, Role.MEMBER) is False


def test_require_role_raises_permission_denied_naming_the_role():
    with pytest.raises(PermissionDenied, match="manager"):
        require_role(Membership(role=Role.MEMBER), Role.MANAGER)


# --- membership_for_slug and the current membership -------------------------------------------------


def test_membership_for_slug_finds_the_users_active_membership(personas):
    assert membership_for_slug(personas.member.user, "acme") == personas.member


@pytest.mark.parametrize("slug", ["globex", "no-such-org"])
def test_membership_for_slug_is_404_outside_ones_organisations(personas, slug):
    with pytest.raises(Http404):
        membership_for_slug(personas.member.user, slug)


def test_membership_for_slug_is_404_for_a_deactivated_membership(personas):
    Membership.objects.filter(pk=personas.member.pk).update(is_active=False)

    with pytest.raises(Http404):
        membership_for_slug(personas.member.user, "acme")


def test_membership_for_slug_is_404_for_anonymous(personas):
    with pytest.raises(Http404):
        membership_for_slug(AnonymousUser(), "acme")


def test_current_membership_follows_the_sessions_organisation(personas):
    second = MembershipFactory(user=personas.member.user, organization=personas.other_org)

    assert current_membership(_request(personas.member.user, org_id=personas.other_org.pk)) == second


def test_current_membership_falls_back_when_the_sessions_org_is_no_longer_valid(personas):
    second = MembershipFactory(user=personas.member.user, organization=personas.other_org, is_active=False)
    request = _request(personas.member.user, org_id=second.organization_id)

    assert current_membership(request) == personas.member
    assert request.session[SESSION_ORG_KEY] == personas.org.pk


def test_current_membership_is_resolved_only_when_used(personas, django_assert_num_queries):
    with django_assert_num_queries(0):
        request = _request(personas.member.user)

    with django_assert_num_queries(1):
        assert current_membership(request) == personas.member
        assert current_membership(request) == personas.member


# --- membership_required ------------------------------------------------------------------------------


def test_membership_required_redirects_anonymous_visitors_to_login():
    response = _managers_only(_request())

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next=/somewhere/%3Ftab%3D2"


def test_membership_required_sends_users_without_membership_to_no_organisation(personas):
    loner = MembershipFactory(organization=personas.other_org, is_active=False)

    response = _managers_only(_request(loner.user))

    assert response.status_code == 302
    assert response.url == reverse("accounts:no_organisation")


def test_membership_required_refuses_a_role_below_the_minimum(personas):
    with pytest.raises(PermissionDenied):
        _managers_only(_request(personas.member.user))


@pytest.mark.parametrize("persona", ["manager", "admin"])
def test_membership_required_passes_the_membership_to_the_view(personas, persona):
    response = _managers_only(_request(getattr(personas, persona).user))

    assert response.content.decode() == f"acme:{persona}"


def test_membership_required_role_refusal_is_a_403_page(client_for, personas):
    response = client_for(personas.member).get(reverse("accounts:members"))

    assert response.status_code == 403
