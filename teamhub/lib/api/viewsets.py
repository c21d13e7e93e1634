"""API plumbing shared by every app: the base viewset that scopes everything by
the organisation named in the URL, and its OpenAPI helpers."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, viewsets

from teamhub.lib.tenancy import has_role, membership_for_slug

# --- Organisation-scoped viewsets ---------------------------------------------------

ORG_SLUG_PARAMETER = OpenApiParameter(
    "org_slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The organisation's slug."
)


class HasActionRole(permissions.BasePermission):
    """Default deny: an action is allowed only if the viewset names a role for it.

    A refusal on a route that addresses one object first checks that the object is
    among those the membership may see: another organisation's id answers 404
    whatever the role, never 403, so a guessed id reveals nothing.
    """

    message = "Your role in this organisation does not allow this."

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        if view.action is None:
            # A method the route does not map: let DRF answer 405, which says more.
            return True
        minimum = view.action_roles.get(view.action)
        if minimum is not None and has_role(view.membership, minimum):
            return True
        lookup = view.lookup_url_kwarg or view.lookup_field
        if lookup in view.kwargs:
            visible = view.get_queryset().filter(**{view.lookup_field: view.kwargs[lookup]})
            if not visible.exists():
                raise exceptions.NotFound()
        return False


class OrgScopedViewSet(viewsets.GenericViewSet):
    """Base for every ``/api/v1/orgs/{org_slug}/…`` viewset.

    ``initial`` resolves the requester's membership in the named organisation (404
    when they have none); ``get_queryset`` returns only what that membership may see
    via the model's ``visible_to``. Subclasses declare ``action_roles``: the least
    role each action needs; an action missing there is refused.
    """

    permission_classes = [permissions.IsAuthenticated, HasActionRole]
    action_roles: dict[str, str] = {}
    lookup_value_regex = r"[0-9]+"
    membership = None

    def initial(self, request, *args, **kwargs):
        # Authenticate first, so an anonymous caller gets 401 rather than 404.
        self.perform_authentication(request)
        if not request.user or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        self.membership = membership_for_slug(request.user, kwargs["org_slug"])
        super().initial(request, *args, **kwargs)

    def base_queryset(self):
        return self.queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.none()
        return self.base_queryset().visible_to(self.membership)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["membership"] = self.membership
        return context


def org_scoped_schema(tags: list[str]):
    """Class decorator: tag the viewset and declare the org_slug path parameter."""

    def decorate(viewset):
        return extend_schema(tags=tags, parameters=[ORG_SLUG_PARAMETER])(viewset)

    return decorate
