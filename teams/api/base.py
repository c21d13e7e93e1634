"""What teams' viewsets share: reads through selectors, collections nested under a
parent named in the URL, and an id filter typed as an integer."""

import django_filters
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import status
from rest_framework.response import Response

from teamhub.lib.api.viewsets import OrgScopedViewSet

DELETED = OpenApiResponse(description="Deleted.")


class TeamsViewSet(OrgScopedViewSet):
    """Reads come from ``select()``: a selector or a ``visible_to`` queryset, so every
    row is scoped to the requester's organisation before a view sees it."""

    def select(self):
        return self.base_queryset().visible_to(self.membership)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.none()
        return self.select()

    def reload(self, obj):
        """The row as reads show it (annotations, prefetches), after a service wrote it."""
        return self.select().get(pk=obj.pk)

    def respond(self, serializer_class, instance, code=status.HTTP_200_OK):
        return Response(serializer_class(instance, context=self.get_serializer_context()).data, status=code)

    def validated(self, serializer_class, *, instance=None, partial=False) -> dict:
        serializer = serializer_class(
            instance, data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class NestedViewSet(TeamsViewSet):
    """A collection under a parent named in the URL (``teams/{team_pk}/members/``).

    The parent is resolved before the role check, so another organisation's parent
    answers 404 whatever the role, as an object's own id does.
    """

    parent_kwarg = ""
    parent = None

    def get_parent(self):
        raise NotImplementedError

    def check_permissions(self, request):
        if self.parent_kwarg in self.kwargs:
            self.parent = self.get_parent()
        super().check_permissions(request)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField
