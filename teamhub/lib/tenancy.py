"""The one tenancy and access mechanism.

* Every organisation-owned queryset derives from :class:`OrgScopedQuerySet` and
  implements ``visible_to(membership)``: the rows that membership may read.
* Pages find the requesting membership on ``request.membership`` (set by
  accounts' ``CurrentMembershipMiddleware`` from the session's current organisation).
  The API names the organisation in the URL and resolves it with
  :func:`membership_for_slug`, which accounts/ registers.
* :func:`get_visible_or_404` turns "not in your organisation" and "not visible to
  your role" into the same 404, so a guessed id reveals nothing.
"""

from __future__ import annotations

from collections.abc import Callable
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
    """Whether a person's role reaches ``minimum``. TeamHub itself (a system actor) has
    no role: it may do only what it was granted (teamhub.lib.actors)."""
    return membership is not None and ROLE_RANK.get(membership.role, 0) >= ROLE_RANK[minimum]


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


def require_same_org(actor, *objects) -> None:
    """Services trust no caller: an object of another organisation is never theirs to
    touch, whoever asks (a person or the system)."""
    for obj in objects:
        if obj is not None and obj.organization_id != actor.organization_id:
            raise PermissionDenied("This belongs to another organisation.")


# --- Memberships: accounts/ says how to find them ---------------------------------------
#
# This layer sits below accounts/, so it cannot import the Membership model. accounts/
# registers how to find a user's membership when it loads (AccountsConfig.ready), and
# the API base and the admin base ask through these two functions.

_directory: dict[str, Callable] = {}


def register_membership_directory(*, for_slug: Callable, active_in: Callable) -> None:
    _directory.update(for_slug=for_slug, active_in=active_in)


def membership_for_slug(user, slug: str) -> Membership:
    """The user's active membership in the organisation named by ``slug``, or 404."""
    return _directory["for_slug"](user, slug)


def active_membership(user, organization_id: int) -> Membership | None:
    """The user's active membership in that organisation, or None."""
    return _directory["active_in"](user, organization_id)


# --- Pages: the current organisation -------------------------------------------------


def current_membership(request) -> Membership | None:
    """The membership the request acts as (``request.membership``, resolved lazily by
    accounts' middleware from the session's current organisation)."""
    value = getattr(request, "membership", None)
    resolve = getattr(value, "get", None)
    return resolve() if callable(resolve) else value


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
