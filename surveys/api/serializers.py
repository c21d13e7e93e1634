"""Shapes of surveys in the API. Types and sizes only: the services decide the rules."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from surveys import bank
from surveys.models import Question, Survey, SurveyRound
from teamhub.lib.api.fields import NamedChoiceField, OrgPrimaryKeyField
from teamhub.lib.api.summaries import FunctionSummarySerializer, TeamSummarySerializer
from teams.models import Function, Team


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
        "description": "A time of day, HH:MM, in the organisation's time zone (no offset).",
    }
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time in the organisation's time zone: rounds open at nine there in
    summer and winter alike, so it carries no offset (JSON Schema's "time" would)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)


class QuestionSerializer(serializers.ModelSerializer):
    kind = NamedChoiceField(choices=Question.Kind.choices, enum_name="QuestionKindEnum", read_only=True)
    driver = NamedChoiceField(choices=[("", "None"), *bank.Driver.choices], enum_name="DriverEnum", read_only=True)
    is_enps = serializers.BooleanField(read_only=True)

    class Meta:
        model = Question
        fields = ["id", "order", "kind", "text", "driver", "bank_key", "choices", "is_enps"]
        read_only_fields = fields


class QuestionCreateSerializer(serializers.Serializer):
    """Either statements from the bank (``bank_keys``), or one question of its own."""

    bank_keys = serializers.ListField(child=serializers.CharField(max_length=60), required=False, max_length=80)
    kind = NamedChoiceField(choices=Question.Kind.choices, enum_name="QuestionKindEnum", required=False)
    text = serializers.CharField(max_length=300, required=False)
    choices = serializers.ListField(child=serializers.CharField(max_length=120), required=False, max_length=12)
    driver = NamedChoiceField(
        choices=[("", "None"), *bank.Driver.choices], enum_name="DriverEnum", required=False, default=""
    )

    def validate(self, data):
        if "bank_keys" in data and "kind" in data:
            raise serializers.ValidationError("Send bank_keys, or one question (kind and text), not both.")
        if "bank_keys" not in data and not ("kind" in data and "text" in data):
            raise serializers.ValidationError({"kind": "Give the question's kind and text, or bank_keys."})
        return data


class SurveySerializer(serializers.ModelSerializer):
    audience = NamedChoiceField(choices=Survey.Audience.choices, enum_name="SurveyAudienceEnum", read_only=True)
    cadence = NamedChoiceField(choices=Survey.Cadence.choices, enum_name="SurveyCadenceEnum", read_only=True)
    status = NamedChoiceField(choices=Survey.Status.choices, enum_name="SurveyStatusEnum", read_only=True)
    teams = TeamSummarySerializer(many=True, read_only=True)
    functions = FunctionSummarySerializer(many=True, read_only=True)
    opens_at = LocalTimeField(read_only=True)

    class Meta:
        model = Survey
        fields = [
            "id",
            "title",
            "intro",
            "audience",
            "teams",
            "functions",
            "cadence",
            "first_opens_on",
            "opens_at",
            "open_days",
            "questions_per_round",
            "status",
            "created_at",
        ]
        read_only_fields = fields


class SurveyDetailSerializer(SurveySerializer):
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta(SurveySerializer.Meta):
        fields = [*SurveySerializer.Meta.fields, "questions"]
        read_only_fields = fields


class SurveyWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=160)
    intro = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    audience = NamedChoiceField(choices=Survey.Audience.choices, enum_name="SurveyAudienceEnum", required=False)
    teams = OrgPrimaryKeyField(queryset=Team.objects.all(), many=True, required=False)
    functions = OrgPrimaryKeyField(queryset=Function.objects.all(), many=True, required=False)
    cadence = NamedChoiceField(choices=Survey.Cadence.choices, enum_name="SurveyCadenceEnum", required=False)
    first_opens_on = serializers.DateField()
    opens_at = LocalTimeField()
    open_days = serializers.IntegerField(min_value=1, max_value=60, required=False)
    questions_per_round = serializers.IntegerField(min_value=1, max_value=60, required=False, allow_null=True)


class SurveyCreateSerializer(SurveyWriteSerializer):
    bank_keys = serializers.ListField(child=serializers.CharField(max_length=60), required=False, max_length=80)
    include_enps = serializers.BooleanField(required=False, default=True)


class RoundSerializer(serializers.ModelSerializer):
    status = NamedChoiceField(choices=SurveyRound.Status.choices, enum_name="SurveyRoundStatusEnum", read_only=True)
    invited = serializers.IntegerField(read_only=True, help_text="How many were asked (none before it opens).")

    class Meta:
        model = SurveyRound
        fields = ["id", "number", "opens_at", "remind_at", "closes_at", "status", "invited"]
        read_only_fields = fields


class BankQuestionSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    driver = serializers.CharField(read_only=True)
    text = serializers.CharField(read_only=True)


class PendingRoundSerializer(serializers.ModelSerializer):
    survey = serializers.CharField(source="survey.title", read_only=True)
    intro = serializers.CharField(source="survey.intro", read_only=True)
    questions = serializers.SerializerMethodField()

    class Meta:
        model = SurveyRound
        fields = ["id", "survey", "intro", "closes_at", "questions"]
        read_only_fields = fields

    @extend_schema_field(QuestionSerializer(many=True))
    def get_questions(self, round_) -> list[dict]:
        return QuestionSerializer(self.context["questions"][round_.pk], many=True).data


class AnswerItemSerializer(serializers.Serializer):
    question = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    value = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=10)
    text = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class ResponseCreateSerializer(serializers.Serializer):
    answers = AnswerItemSerializer(many=True, max_length=200)


class AnsweredSerializer(serializers.Serializer):
    answered = serializers.BooleanField(read_only=True)
