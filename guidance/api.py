"""The learner's own guidance as JSON: signed in to the portal (session cookie), for their own record only.

Partners never reach it: their keys are not accepted here, and no learner can ask for another's guidance.
"""

from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from learners.selectors import learner_of_request

from . import services


class GoalSkillSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    uri = serializers.URLField(help_text="The skill's ESCO URI.")
    importance = serializers.FloatField(help_text="How much the goal needs it, 0–1.")
    source = serializers.ChoiceField(["essential", "optional", "matched"])
    status = serializers.ChoiceField(["met", "below", "missing"])
    evidence = serializers.CharField(help_text="What shows it, or why it is a gap.")
    taught_by = serializers.ListField(child=serializers.CharField(), help_text="Codes of programs that teach it.")


class CareerGoalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    occupation = serializers.URLField(allow_null=True, help_text="ESCO URI; null for a pasted job posting.")
    skills = serializers.IntegerField(help_text="Skills in the goal's profile.")
    met = serializers.IntegerField(help_text="Of them, demonstrated by assessment or a completed program.")
    gaps = GoalSkillSerializer(many=True)
    met_skills = GoalSkillSerializer(many=True)
    not_taught = serializers.IntegerField(help_text="Gaps no program of this catalog teaches.")


class RecommendedProgramSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField(help_text="Path of the program's page.")
    score = serializers.FloatField()
    effort_hours = serializers.IntegerField()
    cost = serializers.DecimalField(max_digits=9, decimal_places=2)
    currency = serializers.CharField()
    closes = serializers.ListField(child=serializers.CharField(), help_text="Gaps it closes.")
    reasons = serializers.ListField(child=serializers.CharField())
    needs = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Prerequisites still to complete (later list)."
    )


class PathwayNudgeSerializer(serializers.Serializer):
    pathway = serializers.CharField()
    url = serializers.CharField()
    percent = serializers.IntegerField()
    still_needed = serializers.ListField(child=serializers.CharField())
    text = serializers.CharField()


class GuidanceSerializer(serializers.Serializer):
    goals = CareerGoalSerializer(many=True)
    programs = RecommendedProgramSerializer(many=True, help_text="Recommended next programs, best first.")
    later = RecommendedProgramSerializer(
        many=True, help_text="Programs that fit once their prerequisites are completed."
    )
    nudges = PathwayNudgeSerializer(many=True, help_text="Pathways the learner is close to completing.")


EXAMPLE = {
    "goals": [
        {
            "id": 1,
            "title": "data analyst",
            "occupation": "http://data.europa.eu/esco/occupation/d3edb8f8-3a06-47a0-8fb9-9b212c006aa2",
            "skills": 12,
            "met": 3,
            "gaps": [
                {
                    "id": 41,
                    "label": "prepare visual data",
                    "uri": "http://data.europa.eu/esco/skill/c0326e27-5fa8-4dca-aecb-ed89ab491513",
                    "importance": 1.0,
                    "source": "matched",
                    "status": "missing",
                    "evidence": "not demonstrated yet",
                    "taught_by": ["DATA-201"],
                }
            ],
            "met_skills": [],
            "not_taught": 4,
        }
    ],
    "programs": [
        {
            "code": "DATA-201",
            "title": "Data Visualisation and Storytelling",
            "url": "/programs/data-201-v1/",
            "score": 1.5,
            "effort_hours": 40,
            "cost": "250.00",
            "currency": "EUR",
            "closes": ["prepare visual data"],
            "reasons": [
                "Closes 1 of 9 gaps for data analyst: prepare visual data.",
                "Counts toward your Certificate in Data Analytics (50% done).",
                "40 hours, 250.00 EUR.",
            ],
        }
    ],
    "later": [],
    "nudges": [],
}


class OwnGuidanceView(APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [UserRateThrottle]

    @extend_schema(
        tags=["Learner"],
        summary="My skill gaps and recommended programs",
        description="For a learner signed in to the portal: their career goals with skill gaps, the programs "
        "recommended next with the reasons, and pathways they are close to completing.",
        responses=GuidanceSerializer,
        examples=[OpenApiExample("Guidance", value=EXAMPLE, response_only=True)],
    )
    def get(self, request):
        payload = services.guidance_for(learner_of_request(request))
        return Response(GuidanceSerializer(payload).data)


urlpatterns = [path("me/guidance", OwnGuidanceView.as_view(), name="own-guidance")]
