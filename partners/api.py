"""Partner endpoints that touch learners: consent shares and talent search. A key is always required."""

from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
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
        "pathways_completed": [a.program.title for a in awards if a.program.achievement_type != "microcredential"],
        "credentials": awards,
    }


class ShareView(APIView):
    """A share a learner gave you: their signed credentials and a readable summary."""

    permission_classes = [HasScope.of("talent")]

    @extend_schema(summary="Read a learner's share (by its token or short code)", responses=ShareSerializer)
    def get(self, request, token):
        share = selectors.share_for(token, api_key=request.auth)
        if share is None:
            raise Http404
        payload = share_payload(share)
        what = f"Read share “{share.code}” ({len(payload['credentials'])} credential(s)) through the API"
        services.access_record(learners=[share.learner_id], api_key=request.auth, what=what, share=share)
        return Response(ShareSerializer(payload).data)


class TalentPagination(Cursor):
    ordering = "pk"


class TalentSearchView(ListAPIView):
    """Learners who chose to be discoverable, with only the credentials they marked discoverable."""

    permission_classes = [HasScope.of("talent")]
    serializer_class = TalentSerializer
    pagination_class = TalentPagination
    filter_backends = []

    @extend_schema(
        summary="Search discoverable learners by skill",
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
            raise ValidationError({"min_level": "A whole number (EQF level)."}) from None
        return selectors.talent_search(
            competency=params.get("competency", ""),
            framework=params.get("framework", ""),
            min_level=min_level,
            pathway=params.get("pathway", ""),
        )

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
