"""Read-only catalog endpoints for partners: public (a key raises the rate limit), published versions only."""

import django_filters
from django.db.models import Max, Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, viewsets
from rest_framework.permissions import AllowAny

from config.api import ConditionalGetMixin

from .models import Competency, Criterion, Institution, Level, Pathway, PathwayRule, Program, SkillFramework
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


class PublicCatalogMixin(ConditionalGetMixin):
    permission_classes = [AllowAny]


@extend_schema_view(
    list=extend_schema(summary="Published programs", description="Published program versions with their rubric."),
    retrieve=extend_schema(summary="One published program"),
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
            Prefetch("competencies", queryset=Competency.objects.select_related("framework")),
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


@extend_schema_view(list=extend_schema(summary="Published pathways"), retrieve=extend_schema(summary="One pathway"))
class PathwayViewSet(PublicCatalogMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PathwaySerializer
    ordering = ["slug"]
    queryset = (
        Pathway.objects.published()
        .select_related("award", "institution")
        .prefetch_related(Prefetch("rules", queryset=PathwayRule.objects.prefetch_related("programs")))
    )


@extend_schema_view(list=extend_schema(summary="Institutions"), retrieve=extend_schema(summary="One institution"))
class InstitutionViewSet(PublicCatalogMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = InstitutionSerializer
    queryset = Institution.objects.all()


@extend_schema_view(list=extend_schema(summary="Skill frameworks"), retrieve=extend_schema(summary="One framework"))
class SkillFrameworkViewSet(PublicCatalogMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SkillFrameworkSerializer
    queryset = SkillFramework.objects.all()


@extend_schema_view(list=extend_schema(summary="Competencies"), retrieve=extend_schema(summary="One competency"))
class CompetencyViewSet(PublicCatalogMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CompetencySerializer
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, filters.SearchFilter]
    filterset_fields = {"framework__name": ["exact"], "code": ["exact"]}
    search_fields = ["code", "name"]
    queryset = Competency.objects.select_related("framework")


def register(router):
    router.register("programs", ProgramViewSet, basename="program")
    router.register("pathways", PathwayViewSet, basename="pathway")
    router.register("institutions", InstitutionViewSet, basename="institution")
    router.register("frameworks", SkillFrameworkViewSet, basename="framework")
    router.register("competencies", CompetencyViewSet, basename="competency")
