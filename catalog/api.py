"""Read-only catalog endpoints for partners: public (a key raises the rate limit), published versions only."""

import django_filters
from django.db.models import Max, Prefetch
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import filters, viewsets
from rest_framework.permissions import AllowAny

from config.api import LastModifiedMixin

from .models import Criterion, Institution, Level, Pathway, PathwayRule, Program, SkillFramework
from .selectors import competencies_with_matches
from .serializers import (
    CompetencySerializer,
    InstitutionSerializer,
    PathwaySerializer,
    ProgramSerializer,
    SkillFrameworkSerializer,
)


class ProgramAPIFilter(django_filters.FilterSet):
    competency = django_filters.CharFilter(field_name="competencies__code", help_text="Competency code")
    framework = django_filters.CharFilter(field_name="competencies__framework__name", help_text="Framework name")
    level = django_filters.NumberFilter(help_text="EQF level")
    subject = django_filters.CharFilter(field_name="subject__slug", help_text="Subject slug")
    delivery_mode = django_filters.ChoiceFilter(choices=Program.DeliveryMode.choices)
    credits_min = django_filters.NumberFilter(field_name="credit_value", lookup_expr="gte")
    credits_max = django_filters.NumberFilter(field_name="credit_value", lookup_expr="lte")
    cost_min = django_filters.NumberFilter(field_name="cost", lookup_expr="gte")
    cost_max = django_filters.NumberFilter(field_name="cost", lookup_expr="lte")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Program
        fields = []

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).distinct()


PROGRAM_EXAMPLE = {
    "id": 12,
    "code": "DATA-201",
    "version": 1,
    "title": "Data Visualisation and Storytelling",
    "achievement_type": "microcredential",
    "summary": "Turn analyses into honest, accessible charts and a narrative.",
    "description": "…",
    "learning_outcomes": ["Choose a chart for the question", "Explain uncertainty to a lay audience"],
    "criteria_narrative": "Pass the rubric: every criterion at Competent or above.",
    "institution": "Northbridge University",
    "subject": "Data and Analytics",
    "level": 6,
    "effort_hours": 60,
    "credit_value": "2.00",
    "credit_system": "ECTS",
    "delivery_mode": "online",
    "language": "en",
    "cost": "450.00",
    "currency": "EUR",
    "validity_months": None,
    "competencies": [
        {
            "id": 7,
            "code": "VISL",
            "name": "Data visualisation",
            "description": "",
            "target_url": "",
            "framework": "SFIA",
            "matches": [
                {
                    "name": "data visualisation software",
                    "target_url": "http://data.europa.eu/esco/skill/6d3edede-8951-4621-a835-e04323300fa0",
                    "framework": "ESCO",
                }
            ],
        }
    ],
    "rubric": {
        "min_total_points": "6.00",
        "criteria": [
            {
                "name": "Chart choice",
                "description": "",
                "weight": "1.00",
                "min_level": "Competent",
                "competencies": ["VISL"],
                "levels": [{"name": "Competent", "description": "", "points": "2.00"}],
            }
        ],
    },
    "url": "https://registry.example.edu/programs/data-201-v1/",
    "updated_at": "2026-11-20T09:00:00Z",
}


def _example(name, value, many=False):
    body = {"next": None, "previous": None, "results": [value]} if many else value
    return [OpenApiExample(name, value=body, response_only=True)]


def _documented(plural, singular, example, description=None):
    """List and retrieve, each with a summary and an example response."""
    return extend_schema_view(
        list=extend_schema(summary=plural, description=description, examples=_example(plural, example, many=True)),
        retrieve=extend_schema(summary=f"One {singular.lower()}", examples=_example(singular, example)),
    )


class PublicCatalogMixin(LastModifiedMixin):
    """Public: no key needed (a key raises the rate limit). Answers If-None-Match and If-Modified-Since with 304."""

    permission_classes = [AllowAny]


@_documented(
    "Published programs",
    "Published program",
    PROGRAM_EXAMPLE,
    "Published program versions with their rubric, competencies, credits, level, cost and mode.",
)
class ProgramViewSet(PublicCatalogMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ProgramSerializer
    filterset_class = ProgramAPIFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    search_fields = ["title", "summary", "code", "competencies__name"]
    ordering_fields = ["code", "title", "updated_at", "credit_value", "cost", "effort_hours"]
    ordering = ["code", "version"]
    queryset = (
        Program.objects.published()
        .select_related("institution", "subject", "rubric")
        .prefetch_related(
            Prefetch("competencies", queryset=competencies_with_matches()),
            Prefetch(
                "rubric__criteria",
                queryset=Criterion.objects.select_related("min_level").prefetch_related(
                    "competencies", Prefetch("levels", queryset=Level.objects.all())
                ),
            ),
        )
    )

    def last_modified(self, request):
        return self.filter_queryset(self.get_queryset()).aggregate(latest=Max("updated_at"))["latest"]


PATHWAY_EXAMPLE = {
    "id": 2,
    "name": "Certificate in Data Analytics",
    "slug": "cert-da",
    "description": "",
    "award": "CERT-DA",
    "institution": "Northbridge University",
    "credit_toward": "10 ECTS toward the BSc",
    "rules": [
        {
            "label": "Core",
            "kind": "all_of",
            "required_count": None,
            "min_credits": None,
            "programs": ["DATA-101", "DATA-102"],
        }
    ],
}


@_documented(
    "Published pathways",
    "Pathway",
    PATHWAY_EXAMPLE,
    "Stackable pathways with their rules (all of, N of, minimum credits).",
)
class PathwayViewSet(PublicCatalogMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PathwaySerializer
    queryset = (
        Pathway.objects.published()
        .select_related("award", "institution")
        .prefetch_related(Prefetch("rules", queryset=PathwayRule.objects.prefetch_related("programs")))
    )


INSTITUTION_EXAMPLE = {
    "id": 1,
    "name": "Northbridge University",
    "slug": "northbridge",
    "url": "https://northbridge.example.edu",
    "description": "",
    "accreditation_body": "QAA",
    "accreditation": "",
}
FRAMEWORK_EXAMPLE = {
    "id": 1,
    "name": "SFIA",
    "publisher": "SFIA Foundation",
    "version": "9",
    "url": "https://sfia-online.org",
}
COMPETENCY_EXAMPLE = PROGRAM_EXAMPLE["competencies"][0]


@_documented("Institutions", "Institution", INSTITUTION_EXAMPLE)
class InstitutionViewSet(PublicCatalogMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = InstitutionSerializer
    queryset = Institution.objects.all()


@_documented("Skill frameworks", "Framework", FRAMEWORK_EXAMPLE)
class SkillFrameworkViewSet(PublicCatalogMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SkillFrameworkSerializer
    queryset = SkillFramework.objects.all()


@_documented("Competencies", "Competency", COMPETENCY_EXAMPLE)
class CompetencyViewSet(PublicCatalogMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CompetencySerializer
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, filters.SearchFilter]
    filterset_fields = {"framework__name": ["exact"], "code": ["exact"]}
    search_fields = ["code", "name"]
    queryset = competencies_with_matches()


def register(router):
    router.register("programs", ProgramViewSet, basename="program")
    router.register("pathways", PathwayViewSet, basename="pathway")
    router.register("institutions", InstitutionViewSet, basename="institution")
    router.register("frameworks", SkillFrameworkViewSet, basename="framework")
    router.register("competencies", CompetencyViewSet, basename="competency")
