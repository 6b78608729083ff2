"""What partners read of the catalog (published programs and pathways only), for catalog/api.py."""

from django.conf import settings
from rest_framework import serializers

from .models import Competency, Criterion, Institution, Level, Pathway, PathwayRule, Program, SkillFramework


class InstitutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["id", "name", "slug", "url", "description", "accreditation_body", "accreditation"]


class SkillFrameworkSerializer(serializers.ModelSerializer):
    class Meta:
        model = SkillFramework
        fields = ["id", "name", "publisher", "version", "url"]


class MatchedSkillSerializer(serializers.ModelSerializer):
    framework = serializers.CharField(source="framework.name")

    class Meta:
        model = Competency
        fields = ["name", "target_url", "framework"]


class CompetencySerializer(serializers.ModelSerializer):
    framework = serializers.CharField(source="framework.name")
    matches = MatchedSkillSerializer(
        source="confirmed_skills",
        many=True,
        read_only=True,
        help_text="Skills of reference frameworks (ESCO) that staff confirmed this competency matches.",
    )

    class Meta:
        model = Competency
        fields = ["id", "code", "name", "description", "target_url", "framework", "matches"]


class LevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Level
        fields = ["name", "description", "points"]


class CriterionSerializer(serializers.ModelSerializer):
    levels = LevelSerializer(many=True)
    min_level = serializers.CharField(source="min_level.name", default=None, allow_null=True)
    competencies = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Criterion
        fields = ["name", "description", "weight", "min_level", "competencies", "levels"]


class RubricSerializer(serializers.Serializer):
    min_total_points = serializers.DecimalField(max_digits=8, decimal_places=2)
    criteria = CriterionSerializer(many=True)


class ProgramSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="institution.name")
    subject = serializers.CharField(source="subject.name")
    level = serializers.IntegerField(min_value=1, max_value=8, allow_null=True, help_text="EQF level")
    effort_hours = serializers.IntegerField(min_value=1, max_value=100_000)
    validity_months = serializers.IntegerField(
        min_value=1, max_value=1200, allow_null=True, help_text="Empty means the credential never expires."
    )
    learning_outcomes = serializers.SerializerMethodField()
    competencies = CompetencySerializer(many=True)
    rubric = RubricSerializer(allow_null=True)
    url = serializers.SerializerMethodField(help_text="The program's public page")

    class Meta:
        model = Program
        fields = [
            "id", "code", "version", "title", "achievement_type", "summary", "description", "learning_outcomes",
            "criteria_narrative", "institution", "subject", "level", "effort_hours", "credit_value",
            "credit_system", "delivery_mode", "language", "cost", "currency", "validity_months",
            "competencies", "rubric", "url", "updated_at",
        ]  # fmt: skip

    def get_url(self, program) -> str:
        return settings.REGISTRY_PUBLIC_URL + program.get_absolute_url()

    def get_learning_outcomes(self, program) -> list[str]:
        return [line.strip() for line in program.learning_outcomes.splitlines() if line.strip()]


class PathwayRuleSerializer(serializers.ModelSerializer):
    programs = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    # Bounds stated here, not derived from the database's integer types: the contract is the same on any backend.
    required_count = serializers.IntegerField(
        min_value=0, max_value=1000, allow_null=True, help_text="For “N of”: how many components are needed."
    )

    class Meta:
        model = PathwayRule
        fields = ["label", "kind", "required_count", "min_credits", "programs"]


class PathwaySerializer(serializers.ModelSerializer):
    award = serializers.CharField(source="award.code", help_text="Code of the program the pathway awards.")
    institution = serializers.CharField(source="institution.name")
    rules = PathwayRuleSerializer(many=True)

    class Meta:
        model = Pathway
        fields = ["id", "name", "slug", "description", "award", "institution", "credit_toward", "rules"]
