"""The one tenancy and access mechanism.

* Every organisation-owned queryset derives from :class:`OrgScopedQuerySet` and
  implements ``visible_to(membership)``: the rows that membership may read.
* Pages find the requesting membership on ``request.membership`` (set by
  :class:`CurrentMembershipMiddleware` from the session's current organisation).
  The API names the organisation in the URL and resolves it with
  :func:`membership_for_slug`.
* :func:`get_visible_or_404` turns "not in your organisation" and "not visible to
  your role" into the same 404, so a guessed id reveals nothing.
"""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.shortcuts import redirect

if TYPE_CHECKING:
    from accounts.models import Membership

SESSION_ORG_KEY = "teamhub_org_id"


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    MANAGER = "manager", "Manager"
    MEMBER = "member", "Member"


# A role includes the powers of the roles after it.
ROLE_RANK = {Role.ADMIN: 3, Role.MANAGER: 2, Role.MEMBER: 1}


def has_role(membership: Membership | None, minimum: str) -> bool:
    return membership is not None and ROLE_RANK[membership.role] >= ROLE_RANK[minimum]


class OrgScopedQuerySet(models.QuerySet):
    """Base for querysets of rows owned by an organisation."""

    org_field = "organization"

    def for_org(self, organization_id: int):
        return self.filter(**{f"{self.org_field}_id": organization_id})

    def visible_to(self, membership: Membership):
        """Rows ``membership`` may read. Subclasses narrow this by role."""
        return self.for_org(membership.organization_id)


def get_visible_or_404(queryset: OrgScopedQuerySet, membership: Membership, **lookup):
    """Fetch one row the membership may see; anything else is a 404."""
    try:
        return queryset.visible_to(membership).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"No {queryset.model._meta.verbose_name} matches the given query.") from None


def require_role(membership: Membership, minimum: str) -> None:
    """403 for a visible object the role may not change (after access said 404 or not)."""
    if not has_role(membership, minimum):
        raise PermissionDenied(f"This needs the {Role(minimum).label.lower()} role.")


# --- Pages: the current organisation -------------------------------------------------


def active_memberships_for(user):
    from accounts.models import Membership

    return (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("organization")
        .order_by("organization__name")
    )


def membership_for_slug(user, slug: str) -> Membership:
    """The user's active membership in the organisation named by ``slug``, or 404."""
    from accounts.models import Membership

    if not user.is_authenticated:
        raise Http404
    try:
        return Membership.objects.select_related("organization", "user").get(
            user=user, organization__slug=slug, is_active=True
        )
    except Membership.DoesNotExist:
        raise Http404("No organisation matches the given query.") from None


class CurrentMembershipMiddleware:
    """Sets ``request.membership``: the user's membership in their current organisation.

    The current organisation is kept in the session; when it is missing or no longer
    valid the first active membership is used, so a deactivated membership never
    lingers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = _LazyMembership(request)
        return self.get_response(request)


class _LazyMembership:
    """Resolved on first use, so static files and the API pay no query for it."""

    def __init__(self, request):
        self._request = request
        self._resolved = False
        self._value = None

    def _resolve(self):
        if not self._resolved:
            self._value = _current_membership(self._request)
            self._resolved = True
        return self._value

    def __bool__(self):
        return self._resolve() is not None

    def __getattr__(self, name):
        value = self._resolve()
        if value is None:
            raise AttributeError(name)
        return getattr(value, name)

    def __eq__(self, other):
        return self._resolve() == other

    __hash__ = None

    def get(self):
        return self._resolve()


def _current_membership(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    memberships = active_memberships_for(user).select_related("user")
    org_id = request.session.get(SESSION_ORG_KEY)
    chosen = memberships.filter(organization_id=org_id).first() if org_id else None
    if chosen is None:
        chosen = memberships.first()
        if chosen is not None:
            request.session[SESSION_ORG_KEY] = chosen.organization_id
    return chosen


def current_membership(request) -> Membership | None:
    value = getattr(request, "membership", None)
    return value.get() if isinstance(value, _LazyMembership) else value


def membership_required(minimum: str = Role.MEMBER):
    """Page decorator: login, an active membership, and at least ``minimum`` role.

    Passes the membership to the view as its second argument.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            membership = current_membership(request)
            if membership is None:
                return redirect("accounts:no_organisation")
            require_role(membership, minimum)
            return view(request, membership, *args, **kwargs)

        return wrapper

    return decorator


def membership_context(request):
    """Template context: the current membership and the organisation switcher."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    membership = current_membership(request)
    return {
        "membership": membership,
        "current_org": membership.organization if membership else None,
        "switchable_memberships": _LazySwitchList(request.user),
    }


class _LazySwitchList:
    """Only pages that render the switcher pay for its query."""

    def __init__(self, user):
        self._user = user
        self._items = None

    def _load(self):
        if self._items is None:
            self._items = list(active_memberships_for(self._user))
        return self._items

    def __iter__(self):
        return iter(self._load())

    def __len__(self):
        return len(self._load())
