"""Partner endpoints that touch learners: consent shares and talent search. A key is always required."""

import base64
import json

from cryptography.fernet import Fernet, InvalidToken
from django.http import Http404
from django.urls import path
from django.utils.crypto import salted_hmac
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from config.api import Cursor, HasScope

from . import selectors, services
from .serializers import ShareSerializer, TalentSerializer


def share_payload(share):
    awards = selectors.share_awards(share)
    return {
        "code": share.code,
        "learner": share.learner,
        "expires_at": share.expires_at,
        "whole_record": share.whole_record,
        "pathways_completed": selectors.completed_pathways(awards),
        "credentials": awards,
    }


CREDENTIAL_SUMMARY = {
    "id": "6f1c2b9e-3d3a-4f0e-9d55-0c4b7f1e2a10",
    "program": "DATA-201",
    "title": "Data Visualisation and Storytelling",
    "achievement_type": "MicroCredential",
    "level": 6,
    "credits": "2.00",
    "issuer": "Northbridge University",
    "issued_at": "2026-11-20T09:00:00Z",
    "valid_until": None,
    "standing": "valid",
    "competencies": [{"code": "VISL", "name": "Data visualisation", "framework": "SFIA"}],
    "verification_url": "https://registry.example.edu/credentials/6f1c2b9e-3d3a-4f0e-9d55-0c4b7f1e2a10/",
}
SHARE_EXAMPLE = {
    "code": "KYEB-F3QV",
    "holder": "Amira Haddad",
    "expires_at": "2026-12-31T23:59:59Z",
    "whole_record": False,
    "pathways_completed": [],
    "credentials": [
        {
            **CREDENTIAL_SUMMARY,
            "rubric_results": [{"criterion": "Chart choice", "level": "Exemplary", "points": 3}],
            "signed_credential": {"@context": ["https://www.w3.org/ns/credentials/v2", "…"], "proof": {"…": "…"}},
        }
    ],
}
TALENT_EXAMPLE = {  # one result: the schema generator wraps it in a page
    "id": "lrn_3f9a0c1d2b7e4a5f6c8d9e0a",
    "headline": "Data analyst",
    "credentials": [
        {
            **{
                k: v
                for k, v in CREDENTIAL_SUMMARY.items()
                if k not in ("id", "verification_url", "issued_at", "valid_until")
            },
            "issued_month": "2026-11",
            "valid_until_month": None,
        }
    ],
}


def _cursor_cipher():
    return Fernet(base64.urlsafe_b64encode(salted_hmac("partners.talent-cursor", "", algorithm="sha256").digest()))


class TalentCursor(Cursor):
    """Talent search's cursor, in the partner's own order of results (``selectors.in_partner_order``), encrypted
    and bound to the partner: DRF's plain cursor holds the last result's position, which two partners could
    compare, or exchange, to link one learner."""

    ordering = "partner_rank"

    def encode_cursor(self, cursor):
        payload = {"organisation": self.request.auth.organisation_id, "cursor": list(cursor)}
        token = _cursor_cipher().encrypt(json.dumps(payload).encode()).decode()
        return replace_query_param(self.base_url, self.cursor_query_param, token)

    def decode_cursor(self, request):
        token = request.query_params.get(self.cursor_query_param)
        if token is None:
            return None
        try:
            payload = json.loads(_cursor_cipher().decrypt(token.encode()))
            if payload["organisation"] != request.auth.organisation_id:
                raise ValueError("another partner's cursor")  # refused as a forged one is
            return pagination.Cursor(*payload["cursor"])
        except (InvalidToken, KeyError, TypeError, ValueError):
            raise NotFound(self.invalid_cursor_message) from None


class ShareView(APIView):
    """A share a learner gave you: their signed credentials and a readable summary."""

    permission_classes = [HasScope.of("talent")]

    @extend_schema(
        summary="Read a learner's share (by its token or short code)",
        description="The signed credentials the learner chose and a readable summary. 404 once withdrawn or expired.",
        responses=ShareSerializer,
        examples=[OpenApiExample("Share", value=SHARE_EXAMPLE, response_only=True)],
    )
    def get(self, request, token):
        share = selectors.share_for(token, api_key=request.auth)
        if share is None:
            raise Http404
        payload = share_payload(share)
        what = f"Read share “{share.code}” ({len(payload['credentials'])} credential(s)) through the API"
        services.access_record(learners=[share.learner_id], api_key=request.auth, what=what, share=share)
        return Response(ShareSerializer(payload).data)


class TalentSearchView(ListAPIView):
    """Learners who chose to be discoverable, with only the credentials they marked discoverable."""

    permission_classes = [HasScope.of("talent")]
    serializer_class = TalentSerializer
    pagination_class = TalentCursor
    filter_backends = []

    @extend_schema(
        summary="Search discoverable learners by skill",
        description=(
            "Only learners who opted in, with only the credentials they marked discoverable. Each learner has an "
            "id of its own for your organisation, the same on every search; credential ids, verification links and "
            "names come only with a share the learner gives you."
        ),
        examples=[OpenApiExample("Talent", value=TALENT_EXAMPLE, response_only=True)],
        parameters=[
            OpenApiParameter("competency", OpenApiTypes.STR, description="Competency code"),
            OpenApiParameter("framework", OpenApiTypes.STR, description="Skill framework name"),
            OpenApiParameter("min_level", OpenApiTypes.INT, description="Lowest EQF level of the credential"),
            OpenApiParameter("pathway", OpenApiTypes.STR, description="Slug of a pathway whose award they hold"),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        try:
            min_level = int(params["min_level"]) if params.get("min_level") else None
        except ValueError:
            raise ValidationError({"min_level": ["A whole number (EQF level)."]}) from None
        profiles = selectors.talent_search(
            competency=params.get("competency", ""),
            framework=params.get("framework", ""),
            min_level=min_level,
            pathway=params.get("pathway", ""),
        )
        return selectors.in_partner_order(profiles, self.request.auth.organisation)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        organisation = request.auth.organisation
        rows = [
            {
                "id": services.pseudonym(organisation, profile.learner_id),
                "headline": profile.headline,
                "credentials": profile.learner.shown_awards,
            }
            for profile in page
        ]
        if rows:
            services.access_record(
                learners=[profile.learner_id for profile in page],
                api_key=request.auth,
                what="Appeared in a talent search",
            )
        return self.get_paginated_response(TalentSerializer(rows, many=True).data)


urlpatterns = [
    path("shares/<str:token>", ShareView.as_view(), name="share"),
    path("talent", TalentSearchView.as_view(), name="talent"),
]
