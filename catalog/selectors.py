"""Read-side queries for the catalog."""

from collections import defaultdict

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from .models import Alignment, Competency, CompetencyMapping, Criterion, Level, Pathway, PathwayRule, Program, Rubric


def confirmed_mappings() -> Prefetch:
    """Prefetch, on competencies, the reference-framework skills staff confirmed (``Competency.confirmed_skills``)."""
    return Prefetch(
        "mappings",
        queryset=CompetencyMapping.objects.filter(status=CompetencyMapping.Status.CONFIRMED).select_related(
            "skill__framework"
        ),
    )


def competencies_with_matches() -> QuerySet[Competency]:
    return Competency.objects.select_related("framework").prefetch_related(confirmed_mappings())


def alignments_with_matches() -> QuerySet[Alignment]:
    return Alignment.objects.select_related("competency__framework").prefetch_related(
        Prefetch("competency__mappings", queryset=confirmed_mappings().queryset)
    )


def rubric_with_levels(program: Program) -> Rubric:
    """The program's rubric with criteria and levels loaded, ready for ``rubrics.score_rubric``."""
    return (
        Rubric.objects.filter(program=program)
        .prefetch_related(
            Prefetch(
                "criteria",
                queryset=Criterion.objects.prefetch_related(Prefetch("levels", queryset=Level.objects.all())),
            )
        )
        .get()
    )


def pathway_graph(exclude_pathway_id: int | None = None) -> dict[str, set[str]]:
    """Map every pathway's award code to the codes of its component programs (one query)."""
    rows = PathwayRule.objects.exclude(pathway_id=exclude_pathway_id).values_list(
        "pathway__award__code", "programs__code"
    )
    graph = defaultdict(set)
    for award_code, component_code in rows:
        if component_code:
            graph[award_code].add(component_code)
    return dict(graph)


def catalog_programs() -> QuerySet[Program]:
    """The public catalog: published programs a learner enrols in (not the awards pathways confer), by title."""
    # NOT EXISTS rather than a left join on IS NULL: PostgreSQL estimates the anti-join's rows correctly.
    return (
        Program.objects.published()
        .filter(~Exists(Pathway.objects.filter(award=OuterRef("pk"))))
        .select_related("subject")
        .order_by("title")
    )
