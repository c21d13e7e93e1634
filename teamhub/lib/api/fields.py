"""Serializer fields every app's API uses: ids resolved among what the requester may
see, and choice sets that are one named schema component each."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_field
from rest_framework import serializers

from teamhub.lib.forms import MAX_ID


class OrgPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """An id resolved among the rows the requester may see.

    Another organisation's id reads as "does not exist": a 400 on this field, never
    a row of theirs handed to a service. So does an id too large for the database.
    """

    def get_queryset(self):
        membership = self.context.get("membership")
        queryset = super().get_queryset()
        return queryset.none() if membership is None else queryset.visible_to(membership)

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool) and not 0 < data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        if isinstance(data, str) and data.strip().isdigit() and not 0 < int(data) <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class NamedChoiceField(serializers.ChoiceField):
    """A choice field whose choices are one schema component named ``enum_name``.

    drf-spectacular names enums after the field, so a goal's ``status`` would collide
    with an invitation's, and a team's ``stage`` would get a second name as a history
    entry's ``from_stage``; a fixed name gives each choice set exactly one.
    """

    def __init__(self, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(**kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField

    def map_serializer_field(self, auto_schema, direction):
        choices = build_choice_field(serializers.ChoiceField(choices=list(self.target.choices.items())))
        schema = {key: choices[key] for key in ("type", "enum", "description") if key in choices}
        component = ResolvedComponent(
            name=self.target.enum_name, type=ResolvedComponent.SCHEMA, object=self.target.enum_name, schema=schema
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref
