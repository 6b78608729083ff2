"""Read-side queries for learner records, in a constant number of queries."""

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from catalog.models import Pathway, Program
from catalog.pathways import PathwayEvaluation, evaluate_pathway

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
