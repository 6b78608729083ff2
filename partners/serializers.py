"""What partners read about learners: only what the learner shared, never an email or a student number."""

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


class TalentSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Pseudonymous id of the learner, for this partner only")
    headline = serializers.CharField()
    credentials = CredentialSummarySerializer(many=True)
