"""Read-side queries for the catalog."""

from collections import defaultdict

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from . import substance
from .models import (
    Alignment,
    Competency,
    CompetencyMapping,
    Criterion,
    Institution,
    Level,
    Pathway,
    PathwayRule,
    Program,
    ProgramDecision,
    Rubric,
    SubjectArea,
)


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


def decisions_for_submitter(user, limit: int = 10) -> list[ProgramDecision]:
    """The latest approvals and sendings back of programs ``user`` submitted: what the front page tells them."""
    return list(
        ProgramDecision.objects.filter(
            program__submitted_by=user,
            action__in=(ProgramDecision.Action.APPROVED, ProgramDecision.Action.SENT_BACK),
        )
        .select_related("program", "decided_by")
        .order_by("-decided_at", "-pk")[:limit]
    )


def program_baseline(program: Program) -> tuple[dict | None, str]:
    """What the approver compares ``program`` with: the substance approved last — its own, else its previous
    version's — and what that is ("last approval", "version 2 as approved", or nothing: a first submission)."""
    if program.approved_substance:
        return program.approved_substance, "last approval"
    if program.predecessor_id and program.predecessor.approved_substance:
        return program.predecessor.approved_substance, f"version {program.predecessor.version} as approved"
    return None, ""


def substance_differences(old: dict, new: dict) -> list[tuple[str, str, str]]:
    """What changed between two substances (``catalog.substance``), as rows a person reads — (what, before, after):
    each changed field with its values, competencies added and removed, and each rubric change."""
    changed = set(substance.changes(old, new))
    names = _names_for(old, new)
    rows = []
    for name in substance.FIELDS:
        if name.replace("_", " ") in changed:
            label = Program._meta.get_field(name).verbose_name
            before, after = old.get("fields", {}).get(name), new["fields"].get(name)
            rows.append(
                (
                    str(label).capitalize(),
                    names.get((name, before), _shown(before)),
                    names.get((name, after), _shown(after)),
                )
            )
    if "alignments" in changed:
        before, after = set(old.get("alignments", [])), set(new["alignments"])
        rows.append(
            (
                "Competencies",
                ", ".join(sorted(names[("competency", pk)] for pk in before - after)) or "—",
                ", ".join(sorted(names[("competency", pk)] for pk in after - before)) or "—",
            )
        )
    if "rubric" in changed:
        rows += _rubric_differences(old.get("rubric") or {}, new["rubric"] or {})
    return rows


def _names_for(old, new):
    """Names for the ids a substance holds (institution, subject, competencies): three queries at most."""

    def ids(part, name=None):
        return {s.get("fields", {}).get(name) for s in (old, new)} if name else set(old.get(part, [])) | set(new[part])

    names = {}
    names |= {
        ("institution", pk): name
        for pk, name in Institution.objects.filter(pk__in=ids(None, "institution")).values_list("pk", "name")
    }
    names |= {
        ("subject", pk): name
        for pk, name in SubjectArea.objects.filter(pk__in=ids(None, "subject")).values_list("pk", "name")
    }
    names |= {
        ("competency", pk): f"{code} {name}"
        for pk, code, name in Competency.objects.filter(pk__in=ids("alignments")).values_list("pk", "code", "name")
    }
    return names


def _rubric_differences(old, new):
    rows = []
    if old.get("min_total_points") != new.get("min_total_points"):
        rows.append(
            ("Pass mark (total points)", _shown(old.get("min_total_points")), _shown(new.get("min_total_points")))
        )
    before = {criterion["name"]: criterion for criterion in old.get("criteria", [])}
    after = {criterion["name"]: criterion for criterion in new.get("criteria", [])}
    for name in [*before, *(name for name in after if name not in before)]:
        if name not in after:
            rows.append((f"Criterion “{name}”", _criterion_summary(before[name]), "removed"))
        elif name not in before:
            rows.append((f"Criterion “{name}”", "added", _criterion_summary(after[name])))
        elif before[name] != after[name]:
            rows.append((f"Criterion “{name}”", _criterion_summary(before[name]), _criterion_summary(after[name])))
    return rows


def _criterion_summary(criterion):
    levels = ", ".join(f"{level['name']} {level['points']}" for level in criterion["levels"])
    minimum = f"; at least {criterion['min_level']}" if criterion["min_level"] else ""
    description = criterion["description"] or "no description"
    return f"weight {criterion['weight']}; levels {levels or 'none'}{minimum}; {description}"


def _shown(value):
    return "—" if value in (None, "") else str(value)
