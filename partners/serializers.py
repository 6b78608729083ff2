"""What partners read about learners: only what the learner shared, never an email or a student number."""

from django.utils import timezone
from rest_framework import serializers

from awards import credentials


class CompetencyBriefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    framework = serializers.CharField(source="framework.name")


class CredentialSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    program = serializers.CharField(source="program.code")
    title = serializers.CharField(source="program.title")
    achievement_type = serializers.CharField(source="program.achievement_type")
    level = serializers.IntegerField(source="program.level", allow_null=True, help_text="EQF level")
    credits = serializers.DecimalField(source="program.credit_value", max_digits=6, decimal_places=2, allow_null=True)
    issuer = serializers.CharField(source="program.institution.name")
    issued_at = serializers.DateTimeField()
    valid_until = serializers.DateTimeField(allow_null=True)
    standing = serializers.CharField()
    competencies = CompetencyBriefSerializer(source="program.competencies.all", many=True)
    verification_url = serializers.SerializerMethodField()

    def get_verification_url(self, award) -> str:
        return credentials.credential_url(award)


class RubricResultSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    level = serializers.CharField()
    points = serializers.CharField(allow_null=True)


class SharedCredentialSerializer(CredentialSummarySerializer):
    rubric_results = serializers.SerializerMethodField()
    signed_credential = serializers.SerializerMethodField(help_text="The Open Badges 3.0 credential, as signed")

    def get_rubric_results(self, award) -> list[dict]:
        """Criterion, level achieved and points, read from the signed credential itself."""
        subject = award.document()["credentialSubject"]
        descriptions = {d["id"]: d for d in subject["achievement"].get("resultDescription", [])}
        rows = []
        for result in subject.get("result", []):
            description = descriptions.get(result.get("resultDescription"), {})
            level = next(
                (lv for lv in description.get("rubricCriterionLevel", []) if lv["id"] == result.get("achievedLevel")),
                None,
            )
            if level is not None:
                rows.append({"criterion": description["name"], "level": level["name"], "points": level.get("points")})
        return rows

    def get_signed_credential(self, award) -> dict:
        return award.document()


class ShareSerializer(serializers.Serializer):
    code = serializers.CharField()
    holder = serializers.CharField(source="learner.legal_name", help_text="The name the holder shares")
    expires_at = serializers.DateTimeField(allow_null=True)
    whole_record = serializers.BooleanField()
    pathways_completed = serializers.ListField(child=serializers.CharField())
    credentials = SharedCredentialSerializer(many=True)


class TalentCredentialSerializer(CredentialSummarySerializer):
    """What a discoverable credential certifies, not which credential it is: no id, verification link or exact
    dates, which would identify the learner. The learner gives those by sharing it with you."""

    id = None
    verification_url = None
    issued_at = None
    valid_until = None
    issued_month = serializers.SerializerMethodField(help_text="Year and month of issue (YYYY-MM)")
    valid_until_month = serializers.SerializerMethodField(help_text="Year and month it expires (YYYY-MM), if it does")

    def get_issued_month(self, award) -> str:
        return timezone.localtime(award.issued_at).strftime("%Y-%m")

    def get_valid_until_month(self, award) -> str | None:
        return timezone.localtime(award.valid_until).strftime("%Y-%m") if award.valid_until else None


class TalentSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Pseudonymous id of the learner, for this partner only")
    headline = serializers.CharField()
    credentials = TalentCredentialSerializer(many=True)
