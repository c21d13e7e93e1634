"""How a request finds the membership it acts as: the pages' current organisation
(kept in the session, with a switcher) and the API's organisation named by slug.

Registered with ``teamhub.lib.tenancy`` when accounts/ loads, so the plumbing below
this app can ask for a membership without importing it.
"""

from django.http import Http404

from accounts.models import Membership
from teamhub.lib.tenancy import SESSION_ORG_KEY, current_membership


def active_memberships_for(user):
    return (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("organization")
        .order_by("organization__name")
    )


def membership_for_slug(user, slug: str) -> Membership:
    """The user's active membership in the organisation named by ``slug``, or 404."""
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


def active_membership(user, organization_id: int) -> Membership | None:
    """The user's active membership in that organisation, or None."""
    return (
        Membership.objects.select_related("organization", "user")
        .filter(user=user, organization_id=organization_id, is_active=True)
        .first()
    )


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
