"""Verification over the API: the same ``awards.verification.verify`` as the public page, single or in batches."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import HasScope

from . import verification
from .models import Award
from .signals import credentials_verified

MAX_BATCH = 100


class VerdictSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=list(verification.Verdict.LABELS), help_text="Machine-readable verdict")
    label = serializers.CharField(help_text="Human-readable verdict")
    checks = serializers.ListField(child=serializers.CharField(), help_text="Every check performed, in order")
    issuer = serializers.CharField(allow_blank=True)
    verification_method = serializers.CharField(allow_blank=True)
    credential_id = serializers.CharField(allow_null=True)


def _verdict(document, result):
    identifier = document.get("id") if isinstance(document, dict) else None
    return {
        "verdict": result.verdict,
        "label": result.label,
        "checks": result.reasons,
        "issuer": result.issuer,
        "verification_method": result.verification_method,
        "credential_id": identifier if isinstance(identifier, str) else None,
    }


VALID_EXAMPLE = OpenApiExample(
    "Valid",
    value={
        "verdict": "valid",
        "label": "Valid",
        "checks": ["The signature is valid and was made with a key of the issuer."],
        "issuer": "did:web:registry.example.edu",
        "verification_method": "did:web:registry.example.edu#key-20261124",
        "credential_id": "https://registry.example.edu/credentials/6f1c…/",
    },
    response_only=True,
)


class CredentialVerificationView(APIView):
    """Verify one credential issued by this registry, by its id."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary="Verify a credential of this registry",
        description="Public: signature, issuer key, dates and status lists, as on the credential's page.",
        responses=VerdictSerializer,
        examples=[VALID_EXAMPLE],
    )
    def get(self, request, pk):
        award = get_object_or_404(Award.objects.issued(), pk=pk)
        document = award.document()
        result = verification.verify(document)
        if request.auth is not None:
            credentials_verified.send(sender=Award, api_key=request.auth, verdicts=[(award.pk, result.verdict)])
        return Response(_verdict(document, result))


class BatchSerializer(serializers.Serializer):
    credentials = serializers.ListField(
        child=serializers.JSONField(), required=False, help_text="Credential documents (JSON objects)"
    )
    verifiableCredential = serializers.ListField(  # noqa: N815 - the W3C presentation's own member name
        child=serializers.JSONField(), required=False, help_text="A Verifiable Presentation's credentials"
    )

    def validate(self, data):
        documents = data.get("credentials", data.get("verifiableCredential"))
        if not documents:
            raise serializers.ValidationError(
                {"credentials": "Send `credentials` (a list) or a Verifiable Presentation with `verifiableCredential`."}
            )
        limit = min(MAX_BATCH, getattr(self.context["request"].auth, "max_batch", MAX_BATCH))
        if len(documents) > limit:
            raise serializers.ValidationError({"credentials": f"At most {limit} credentials per request."})
        return {"documents": documents}


class BatchVerificationView(APIView):
    """Verify up to 100 credentials (from any issuer) in one request, or the credentials of a presentation."""

    permission_classes = [HasScope.of("verify")]

    @extend_schema(
        summary="Verify credentials in a batch",
        description="Up to 100 credentials from any issuer (did:web, did:key), or a Verifiable Presentation.",
        request=BatchSerializer,
        responses=inline_serializer("BatchVerdicts", {"results": VerdictSerializer(many=True)}),
        examples=[
            OpenApiExample(
                "Two verdicts",
                value={
                    "results": [
                        VALID_EXAMPLE.value,
                        {
                            **VALID_EXAMPLE.value,
                            "verdict": "revoked",
                            "label": "Revoked",
                            "checks": [*VALID_EXAMPLE.value["checks"], "The issuer has revoked this credential."],
                        },
                    ]
                },
                response_only=True,
            )
        ],
    )
    def post(self, request):
        batch = BatchSerializer(data=request.data, context={"request": request})
        batch.is_valid(raise_exception=True)
        documents = batch.validated_data["documents"]
        with verification.batch(settings.VERIFIER_BATCH_TIME_BUDGET):
            verdicts = [verification.verify(document) for document in documents]
        own = [
            (pk, result.verdict)
            for pk, result in zip(map(verification.own_award_id, documents), verdicts, strict=True)
            if pk is not None
        ]
        if own:
            credentials_verified.send(sender=Award, api_key=request.auth, verdicts=own)
        return Response({"results": [_verdict(d, r) for d, r in zip(documents, verdicts, strict=True)]})


urlpatterns = [
    path("credentials/<uuid:pk>/verification", CredentialVerificationView.as_view(), name="credential-verification"),
    path("verifications", BatchVerificationView.as_view(), name="verifications"),
]
