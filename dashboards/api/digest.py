"""The weekly digest through the API: the caller's own preference, read and changed.

Everyone has one (the defaults until they change it: managers and admins on, Friday
09:00 organisation time; members off). Nobody reads or changes another person's here;
the route has no id to guess.
"""

from zoneinfo import ZoneInfo

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dashboards.models import DigestPreference, Weekday
from dashboards.selectors import digest as selectors
from dashboards.services import digest as services
from teamhub.lib.api.schema import operation
from teamhub.lib.api.summaries import TeamSummarySerializer
from teamhub.lib.api.viewsets import OrgScopedViewSet, org_scoped_schema
from teamhub.lib.tenancy import Role


class DigestPreferenceSerializer(serializers.Serializer):
    enabled = serializers.BooleanField(help_text="Whether the weekly digest is sent to you.")
    weekday = serializers.IntegerField(min_value=0, max_value=6, help_text="0 = Monday … 6 = Sunday.")
    weekday_name = serializers.SerializerMethodField()
    hour = serializers.IntegerField(min_value=0, max_value=23, help_text="Hour of the day, organisation time.")
    time_zone = serializers.SerializerMethodField()
    is_default = serializers.SerializerMethodField()
    next_at = serializers.SerializerMethodField()
    teams = serializers.SerializerMethodField()

    def get_weekday_name(self, preference) -> str:
        return Weekday(preference.weekday).label

    def get_time_zone(self, preference) -> str:
        return self.context["membership"].organization.timezone

    def get_is_default(self, preference) -> bool:
        """True until you change something: the defaults for your role apply."""
        return preference.pk is None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_next_at(self, preference):
        """When the next digest goes (ISO 8601, organisation time); null when it is off."""
        if not preference.enabled:
            return None
        zone = ZoneInfo(self.get_time_zone(preference))
        return (
            selectors.next_slot_at(preference.weekday, preference.hour, zone, timezone.now())
            .astimezone(zone)
            .isoformat()
        )

    def get_teams(self, preference) -> TeamSummarySerializer(many=True):
        return TeamSummarySerializer(selectors.digest_teams(self.context["membership"]), many=True).data


class DigestPreferenceUpdateSerializer(serializers.Serializer):
    enabled = serializers.BooleanField(required=False)
    weekday = serializers.IntegerField(min_value=0, max_value=6, required=False, help_text="0 = Monday … 6 = Sunday.")
    hour = serializers.IntegerField(min_value=0, max_value=23, required=False, help_text="Organisation time.")


@org_scoped_schema(tags=["dashboards"])
class DigestViewSet(OrgScopedViewSet):
    serializer_class = DigestPreferenceSerializer
    queryset = DigestPreference.objects.all()
    pagination_class = None
    filter_backends = []
    action_roles = {"retrieve": Role.MEMBER, "partial_update": Role.MEMBER}

    def select(self):
        return DigestPreference.objects.filter(membership=self.membership)

    @operation(
        "digest_retrieve",
        "Your weekly digest: whether it is sent to you, its day and hour (organisation time), when the next one "
        "goes and the teams it covers",
        DigestPreferenceSerializer,
    )
    def retrieve(self, request, org_slug):
        return self.respond(DigestPreferenceSerializer, selectors.preference_of(self.membership))

    @operation(
        "digest_update",
        "Turn your weekly digest on or off, or move it to another day or hour",
        DigestPreferenceSerializer,
        request=DigestPreferenceUpdateSerializer,
    )
    def partial_update(self, request, org_slug):
        changes = self.validated(DigestPreferenceUpdateSerializer, partial=True)
        preference = services.digest_preference_set(actor=self.membership, **changes)
        return self.respond(DigestPreferenceSerializer, preference)
