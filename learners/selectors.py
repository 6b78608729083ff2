"""Read-side queries for learner records, in a constant number of queries."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from catalog.models import Criterion, Level, Pathway, Program
from catalog.pathways import PathwayEvaluation, evaluate_pathway
from catalog.rubrics import max_total

from .models import AssessmentAttempt, CriterionScore, Enrolment, Evidence, Learner


def learner_of(user) -> Learner | None:
    """The learner record linked to ``user``'s (signed-in) account, or None: staff, partner members, accounts
    not linked yet."""
    try:
        return user.learner
    except Learner.DoesNotExist:
        return None


def learner_of_request(request) -> Learner:
    """The signed-in user's learner record, for the portal's own-record pages; 404 when there is none."""
    learner = learner_of(request.user)
    if learner is None:
        raise Http404("No learner record is linked to this account.")
    return learner


def earned_programs(learner: Learner) -> list[Program]:
    """Programs (any version) the learner completed by assessment."""
    return list(
        Program.objects.filter(enrolments__learner=learner, enrolments__status=Enrolment.Status.COMPLETED).distinct()
    )


def learner_progress(learner: Learner, earned: Iterable[Program] | None = None) -> list[PathwayEvaluation]:
    """Evaluate every pathway that any earned achievement belongs to.

    Pathway awards are derived: a satisfied pathway's award counts as earned for the pathways that nest
    it, repeated until nothing changes. Four queries, however many pathways and programs there are.
    """
    earned = {program.code: program for program in (earned if earned is not None else earned_programs(learner))}
    # Only pathways the learner could have started: one of their programs is a component, or a component is
    # another pathway's award (which the loop below may derive).
    pathways = list(
        Pathway.objects.published()
        .filter(Q(rules__programs__code__in=earned) | Q(rules__programs__awarded_by_pathway__isnull=False))
        .distinct()
        .with_rules()
    )
    evaluations = {}
    changed = True
    while changed:
        changed = False
        for pathway in pathways:
            evaluation = evaluate_pathway(pathway, earned.values())
            evaluations[pathway.pk] = evaluation
            if evaluation.satisfied and pathway.award.code not in earned:
                earned[pathway.award.code] = pathway.award
                changed = True
    return [
        evaluations[pathway.pk]
        for pathway in pathways
        if any(program.code in earned for rule in pathway.rules.all() for program in rule.programs.all())
    ]


def learner_attempts(learner: Learner) -> QuerySet[AssessmentAttempt]:
    """The learner's attempts with rubric levels and evidence loaded, newest first."""
    return (
        AssessmentAttempt.objects.filter(enrolment__learner=learner)
        .exclude(status=AssessmentAttempt.Status.DRAFT)
        .select_related("enrolment__program", "assessor")
        .prefetch_related(
            Prefetch("scores", queryset=CriterionScore.objects.select_related("criterion", "level")),
            Prefetch("evidence", queryset=Evidence.objects.order_by("pk")),
        )
        .order_by("-assessed_on", "-number")
    )


@dataclass(frozen=True)
class CriterionOutcome:
    """One criterion of a result as the learner reads it: the level reached, among all the criterion's levels."""

    criterion: Criterion
    achieved: Level
    levels: tuple  # every level of the criterion, in the rubric's order
    minimum: Level | None  # the lowest level that still passes, when the criterion names one

    @property
    def weighted_points(self) -> Decimal:
        return self.criterion.weight * self.achieved.points

    @property
    def max_weighted_points(self) -> Decimal:
        return self.criterion.weight * max((level.points for level in self.levels), default=Decimal("0"))

    @property
    def meets_minimum(self) -> bool:
        return self.minimum is None or self.achieved.points >= self.minimum.points


@dataclass(frozen=True)
class AttemptResult:
    """A final (or corrected) attempt with what the learner needs to read it: the scale, the pass rule and
    what may come next."""

    attempt: AssessmentAttempt
    criteria: tuple  # CriterionOutcome, in the rubric's order
    max_points: Decimal
    pass_mark: Decimal | None  # the weighted total needed; None when only minimum levels decide

    @property
    def program(self) -> Program:
        return self.attempt.enrolment.program

    @property
    def below_pass_mark(self) -> bool:
        return self.pass_mark is not None and self.attempt.total_points < self.pass_mark

    @property
    def may_try_again(self) -> bool:
        """This is the enrolment's latest result, it did not pass, and the enrolment is still open to another
        attempt (a failed enrolment is: no rubric limits the number of attempts; a withdrawn one is not)."""
        attempt = self.attempt
        return (
            not attempt.passed
            and attempt.status == AssessmentAttempt.Status.FINAL
            and not attempt.has_later_attempt
            and attempt.enrolment.status == Enrolment.Status.FAILED
        )


def _results(learner: Learner) -> QuerySet[AssessmentAttempt]:
    later = AssessmentAttempt.objects.filter(enrolment=OuterRef("enrolment"), number__gt=OuterRef("number"))
    return (
        learner_attempts(learner)
        .select_related("enrolment__program__institution", "enrolment__program__rubric")
        .prefetch_related(
            Prefetch(
                "enrolment__program__rubric__criteria",
                queryset=Criterion.objects.prefetch_related(Prefetch("levels", queryset=Level.objects.all())),
            )
        )
        .annotate(has_later_attempt=Exists(later))
    )


def _result(attempt: AssessmentAttempt) -> AttemptResult:
    rubric = attempt.enrolment.program.rubric
    criteria = {criterion.pk: criterion for criterion in rubric.criteria.all()}
    achieved = {score.criterion_id: score.level_id for score in attempt.scores.all()}
    outcomes = []
    for criterion in criteria.values():
        levels = {level.pk: level for level in criterion.levels.all()}
        if criterion.pk in achieved:
            outcomes.append(
                CriterionOutcome(
                    criterion=criterion,
                    achieved=levels[achieved[criterion.pk]],
                    levels=tuple(levels.values()),
                    minimum=levels.get(criterion.min_level_id),
                )
            )
    return AttemptResult(
        attempt=attempt, criteria=tuple(outcomes), max_points=max_total(rubric), pass_mark=rubric.min_total_points
    )


def learner_results(learner: Learner) -> list[AttemptResult]:
    """The learner's results, newest first, each with its rubric's scale (a constant number of queries)."""
    return [_result(attempt) for attempt in _results(learner)]


def learner_result(learner: Learner, pk: int) -> AttemptResult:
    """One of the learner's results; raises AssessmentAttempt.DoesNotExist for drafts and others' attempts."""
    return _result(_results(learner).get(pk=pk))


def learner_enrolments(learner: Learner) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(learner=learner).select_related("program").order_by("-enrolled_on", "pk")


def cohort_results(enrolments: QuerySet[Enrolment]) -> QuerySet[AssessmentAttempt]:
    """Final attempts of the given enrolments with everything the results export needs."""
    return (
        AssessmentAttempt.objects.final()
        .filter(enrolment__in=enrolments)
        .select_related("enrolment__learner", "enrolment__program", "assessor")
        .prefetch_related(
            Prefetch("scores", queryset=CriterionScore.objects.select_related("criterion", "level")),
            Prefetch("evidence", queryset=Evidence.objects.order_by("pk")),
        )
        .order_by("enrolment__program__code", "enrolment__learner__legal_name")
    )
