"""What guidance reads from the database, in a constant number of queries per learner."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse

from awards.selectors import pathway_progress, recognised_credentials
from catalog.models import Alignment, CompetencyMapping, Criterion, Level, Program
from catalog.selectors import catalog_programs
from learners.models import AssessmentAttempt, CriterionScore, Enrolment, Learner

from .models import CareerGoal, GoalSkill


@dataclass(frozen=True)
class Score:
    """One criterion result of a final attempt, reduced to what a gap needs."""

    competency_ids: frozenset
    criterion: str
    level: str
    points: float
    pass_points: float  # the criterion's passing level; any level above the lowest when it names none
    max_points: float
    program_title: str

    @property
    def met(self):
        return self.points >= self.pass_points


@dataclass
class GuidanceInputs:
    goals: list  # CareerGoal with .skills (GoalSkill with .skill) loaded
    equivalents: dict  # target skill id -> set of competency ids that demonstrate it (itself and mapped ones)
    scores: list  # Score
    completed_alignments: dict  # competency id -> titles of completed programs aligned to it
    completed_codes: set
    active_codes: set  # programs the learner is enrolled in now
    ended_codes: dict  # code -> "failed" or "withdrawn", for programs the learner left without completing
    programs: list  # published catalog programs with .prerequisites loaded
    teaches: dict = field(default_factory=dict)  # program id -> competency ids it aligns to or assesses
    progress: list = field(default_factory=list)  # PathwayEvaluation of every pathway the learner has started


def guidance_inputs(learner: Learner) -> GuidanceInputs:
    goals = list(
        CareerGoal.objects.filter(learner=learner)
        .select_related("occupation")
        .prefetch_related(Prefetch("skills", queryset=GoalSkill.objects.select_related("skill")))
    )
    targets = {goal_skill.skill_id for goal in goals for goal_skill in goal.skills.all()}
    equivalents = {skill_id: {skill_id} for skill_id in targets}
    for competency_id, skill_id in CompetencyMapping.objects.filter(
        skill_id__in=targets, status=CompetencyMapping.Status.CONFIRMED
    ).values_list("competency_id", "skill_id"):
        equivalents[skill_id].add(competency_id)
    relevant = set().union(*equivalents.values()) if equivalents else set()

    # Credentials of other issuers the registrar recognised count as completed programs, as in pathways.
    recognised = recognised_credentials(learner)
    recognised_ids = [credential.counts_as_id for credential in recognised]
    enrolments = list(Enrolment.objects.filter(learner=learner).values_list("program__code", "status"))
    completed = {code for code, status in enrolments if status == Enrolment.Status.COMPLETED}
    completed |= {credential.counts_as.code for credential in recognised}
    active = {
        code for code, status in enrolments if status in (Enrolment.Status.ENROLLED, Enrolment.Status.IN_PROGRESS)
    }
    ended = {
        code: status
        for code, status in enrolments
        if status in (Enrolment.Status.FAILED, Enrolment.Status.WITHDRAWN) and code not in completed | active
    }
    completed_alignments = defaultdict(list)
    completed_here = Q(program__enrolments__learner=learner, program__enrolments__status=Enrolment.Status.COMPLETED)
    for competency_id, title in (
        Alignment.objects.filter(competency_id__in=relevant)
        .filter(completed_here | Q(program_id__in=recognised_ids))
        .values_list("competency_id", "program__title")
        .distinct()
    ):
        completed_alignments[competency_id].append(title)

    progress = [evaluation for evaluation in pathway_progress(learner, recognised) if not evaluation.satisfied]
    toward_pathways = {program.code for evaluation in progress for program in evaluation.suggested_programs}
    programs = list(
        catalog_programs()
        .filter(
            Q(alignments__competency_id__in=relevant)
            | Q(rubric__criteria__competencies__in=relevant)
            | Q(code__in=toward_pathways)
        )
        .distinct()
        .select_related(None)
        .only("code", "title", "slug", "effort_hours", "cost", "currency")  # what a recommendation shows
        .prefetch_related(Prefetch("prerequisites", queryset=Program.objects.only("code", "title")))
    )
    teaches = defaultdict(set)
    program_ids = [program.pk for program in programs]
    for program_id, competency_id in Alignment.objects.filter(program_id__in=program_ids).values_list(
        "program_id", "competency_id"
    ):
        teaches[program_id].add(competency_id)
    for program_id, competency_id in Criterion.competencies.through.objects.filter(
        criterion__rubric__program_id__in=program_ids
    ).values_list("criterion__rubric__program_id", "competency_id"):
        teaches[program_id].add(competency_id)

    return GuidanceInputs(
        goals=goals,
        equivalents=equivalents,
        scores=_scores(learner, relevant),
        completed_alignments=dict(completed_alignments),
        completed_codes=completed,
        active_codes=active,
        ended_codes=ended,
        programs=programs,
        teaches=dict(teaches),
        progress=progress,
    )


def _scores(learner, relevant) -> list[Score]:
    """The learner's criterion results on the relevant competencies, from final (not superseded) attempts."""
    levels = Level.objects.filter(criterion=OuterRef("criterion")).values("criterion")
    rows = list(
        CriterionScore.objects.filter(
            attempt__status=AssessmentAttempt.Status.FINAL,
            attempt__enrolment__learner=learner,
            criterion__competencies__in=relevant,
        )
        .annotate(
            max_points=Subquery(levels.annotate(points_=Max("points")).values("points_")),
            min_points=Subquery(levels.annotate(points_=Min("points")).values("points_")),
        )
        .values(
            "criterion_id",
            "criterion__name",
            "level__name",
            "level__points",
            "criterion__min_level__points",
            "min_points",
            "max_points",
            "attempt__enrolment__program__title",
        )
        .distinct()
    )
    competencies = defaultdict(set)
    for criterion_id, competency_id in Criterion.competencies.through.objects.filter(
        criterion_id__in={row["criterion_id"] for row in rows}
    ).values_list("criterion_id", "competency_id"):
        competencies[criterion_id].add(competency_id)
    return [
        Score(
            competency_ids=frozenset(competencies[row["criterion_id"]]),
            criterion=row["criterion__name"],
            level=row["level__name"],
            points=float(row["level__points"]),
            pass_points=_pass_points(row),
            max_points=float(row["max_points"]),
            program_title=row["attempt__enrolment__program__title"],
        )
        for row in rows
    ]


def _pass_points(row) -> float:
    if row["criterion__min_level__points"] is not None:
        return float(row["criterion__min_level__points"])
    # Without a named passing level, any level above the lowest shows the criterion.
    return float(row["min_points"]) + 0.001 if row["max_points"] > row["min_points"] else float(row["min_points"])


def also_took(learner: Learner, program: Program, *, limit: int = 3) -> list[dict]:
    """Programs other learners with one of ``learner``'s goal occupations completed, most taken first, each
    taken by enough of them to say so without pointing at anyone (two queries)."""
    occupations = list(learner.career_goals.exclude(occupation=None).values_list("occupation_id", flat=True))
    if not occupations:
        return []
    rows = (
        Enrolment.objects.filter(
            status=Enrolment.Status.COMPLETED,
            learner__career_goals__occupation_id__in=occupations,
            program__status=Program.Status.PUBLISHED,
        )
        .exclude(learner=learner)
        .exclude(program__code=program.code)
        .values("program__code", "program__title", "program__slug")
        .annotate(learners=Count("learner", distinct=True))
        .filter(learners__gte=settings.GUIDANCE_ALSO_TOOK_MIN_LEARNERS)
        .order_by("-learners", "program__title")[:limit]
    )
    return [
        {
            "title": row["program__title"],
            "url": reverse("catalog:program-detail", kwargs={"slug": row["program__slug"]}),
        }
        for row in rows
    ]


def programs_by_code(learner: Learner, codes) -> dict[str, dict]:
    """Title, page and whether ``learner`` is enrolled in it now, for the catalog programs with these codes (one
    query); the newest published version of a code wins."""
    enrolled = Enrolment.objects.filter(learner=learner, program__code=OuterRef("code"), status__in=Enrolment.ACTIVE)
    programs = (
        catalog_programs()
        .filter(code__in=set(codes))
        .select_related(None)
        .only("code", "title", "slug", "version")
        .annotate(enrolled=Exists(enrolled))
        .order_by("code", "version")
    )
    return {
        program.code: {
            "code": program.code,
            "title": program.title,
            "url": program.get_absolute_url(),
            "enrolled": program.enrolled,
        }
        for program in programs
    }
