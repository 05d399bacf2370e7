"""The OpenAPI description: the token scheme and the shapes of the documents the API returns
(the same documents as export_scores and export_programme)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import serializers


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token: `Authorization: Bearer TOKEN` (`Token TOKEN` is accepted too).",
        }


class InspectionSerializer(serializers.Serializer):
    slug = serializers.CharField()
    framework = serializers.CharField(help_text="Framework code, e.g. omi-2006.")
    area = serializers.CharField()
    status = serializers.CharField(help_text="setup, fieldwork, review, finalised, published, …")


class QuestionScoreSerializer(serializers.Serializer):
    code = serializers.CharField()
    sufficient = serializers.IntegerField()
    relevant = serializers.IntegerField()
    score = serializers.FloatField(allow_null=True)


class CriterionScoreSerializer(serializers.Serializer):
    code = serializers.CharField()
    score = serializers.FloatField(allow_null=True, help_text="Percentage at full precision; null: no relevant case.")
    display = serializers.CharField(help_text="The published whole percentage, e.g. '78%', or 'n/a'.")
    questions = QuestionScoreSerializer(many=True)
    suggested_judgement = serializers.CharField(allow_null=True)
    judgement = serializers.CharField(allow_null=True)


class AggregateScoreSerializer(serializers.Serializer):
    code = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    display = serializers.CharField()


class GradeSerializer(serializers.Serializer):
    code = serializers.CharField()
    grade = serializers.CharField(allow_null=True)


class ScoresSerializer(serializers.Serializer):
    """The export_scores document (more keys may be present)."""

    inspection = serializers.CharField()
    framework = serializers.CharField()
    criteria = CriterionScoreSerializer(many=True)
    sections = AggregateScoreSerializer(many=True)
    headlines = AggregateScoreSerializer(many=True)
    leadership = GradeSerializer(many=True)


class ProgrammeInspectionSerializer(serializers.Serializer):
    slug = serializers.CharField()
    area = serializers.CharField()
    fieldwork_start = serializers.DateField(allow_null=True)
    criteria = serializers.DictField(
        child=serializers.FloatField(allow_null=True), help_text="Criterion code: the finalised score."
    )


class PooledQuestionSerializer(serializers.Serializer):
    code = serializers.CharField()
    inspections = serializers.IntegerField()
    sufficient = serializers.IntegerField()
    relevant = serializers.IntegerField()
    pooled = serializers.FloatField(allow_null=True, help_text="Sufficient over relevant answers, as a percentage.")
    wilson95 = serializers.ListField(
        child=serializers.FloatField(), min_length=2, max_length=2, allow_null=True, help_text="95% Wilson interval."
    )


class ProgrammeCriterionSerializer(serializers.Serializer):
    code = serializers.CharField()
    inspections = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    min = serializers.FloatField(allow_null=True)
    max = serializers.FloatField(allow_null=True)
    ci95 = serializers.ListField(
        child=serializers.FloatField(),
        min_length=2,
        max_length=2,
        allow_null=True,
        help_text="95% Student-t interval of the mean; null with fewer than two inspections.",
    )
    questions = PooledQuestionSerializer(many=True)


class ProgrammeSerializer(serializers.Serializer):
    """The export_programme document (more keys may be present)."""

    framework = serializers.CharField()
    inspections = ProgrammeInspectionSerializer(many=True)
    criteria = ProgrammeCriterionSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
