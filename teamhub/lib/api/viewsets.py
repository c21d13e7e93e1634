"""API plumbing shared by every app: the base viewset that scopes everything by
the organisation named in the URL, collections nested under a parent, an id filter
typed as an integer, and their OpenAPI helpers."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.response import Response

from teamhub.lib.forms import IdField
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

    def select(self):
        """What the viewset reads: a selector or a ``visible_to`` queryset, so every row
        is scoped to the requester's organisation (and role) before a view sees it."""
        return self.base_queryset().visible_to(self.membership)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.none()
        return self.select()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["membership"] = self.membership
        return context

    def reload(self, obj):
        """The row as reads show it (annotations, prefetches), after a service wrote it."""
        return self.select().get(pk=obj.pk)

    def respond(self, serializer_class, instance, code=status.HTTP_200_OK):
        return Response(serializer_class(instance, context=self.get_serializer_context()).data, status=code)

    def validated(self, serializer_class, *, instance=None, partial=False) -> dict:
        """The request body checked for types and sizes; the service checks the rules."""
        serializer = serializer_class(
            instance, data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class NestedViewSet(OrgScopedViewSet):
    """A collection under a parent named in the URL (``teams/{team_pk}/members/``).

    The parent is resolved before the role check, so another organisation's parent
    answers 404 whatever the role, as an object's own id does. Subclasses name the URL
    keyword in ``parent_kwarg`` and resolve it in ``get_parent`` (an access function).
    """

    parent_kwarg = ""
    parent = None

    def get_parent(self):
        raise NotImplementedError(f"{type(self).__name__} must say how to find its parent")

    def check_permissions(self, request):
        if self.parent_kwarg in self.kwargs:
            self.parent = self.get_parent()
        super().check_permissions(request)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """An id in a query string: a whole number in the database's range, else a 400."""

    field_class = IdField


DELETED = OpenApiResponse(description="Deleted.")


def org_scoped_schema(tags: list[str]):
    """Class decorator: tag the viewset and declare the org_slug path parameter."""

    def decorate(viewset):
        return extend_schema(tags=tags, parameters=[ORG_SLUG_PARAMETER])(viewset)

    return decorate
