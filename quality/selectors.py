"""Outcome KPIs for the quality dashboard. Every figure is aggregated in the database, grouped by program
version (or criterion, level, term or score band): the number of queries is fixed whatever the number of
learners, and no loop in Python runs over learners.

Definitions (also on the dashboard):
- completion rate: completed ÷ enrolments; withdrawal rate: withdrawn ÷ enrolments;
- first-attempt pass rate: of the enrolments assessed at least once, those completed after exactly one sitting
  (a sitting is a finalised assessment that is not a correction; a corrected first sitting counts as its
  correction's outcome);
- median days to complete: completion date − enrolment date, of completed enrolments;
- learner-reported figures (surveys, follow-ups) are shown only for groups of at least the anonymity threshold;
- a criterion's failure rate: final assessments below its required level ÷ final assessments of it; criteria
  are ranked by that rate (not by the raw count, which favours the biggest programs), and only once at least
  ``FAILURE_RANKING_MIN_ASSESSED`` assessments back the rate.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Floor, RowNumber
from django.utils import timezone

from awards.models import Award
from catalog.models import Program
from learners.models import AssessmentAttempt, CriterionScore, Enrolment
from partners.models import Share, VerifiedCredential

from .models import EmployerFeedback, OutcomeFollowUp, ProgramReview, SurveyResponse
from .services import review_due_on

REVIEW_HORIZON_DAYS = 30  # "due for review" includes programs due within this many days
FAILURE_RANKING_MIN_ASSESSED = 5  # below this, one learner moves a criterion's failure rate by 20 points or more


@dataclass(frozen=True)
class Scope:
    """What the dashboard covers: programs (by code, subject or pathway) and enrolments (by term or dates)."""

    code: str = ""
    subject_id: int | None = None
    pathway_id: int | None = None
    cohort: str = ""
    enrolled_from: date | None = None
    enrolled_to: date | None = None

    def programs(self):
        programs = Program.objects.exclude(status__in=[Program.Status.DRAFT, Program.Status.IN_REVIEW])
        if self.code:
            programs = programs.filter(code=self.code)
        if self.subject_id:
            programs = programs.filter(subject_id=self.subject_id)
        if self.pathway_id:
            in_rules = Program.objects.filter(pathway_rules__pathway_id=self.pathway_id).values("code")
            award = Program.objects.filter(awarded_by_pathway__pk=self.pathway_id).values("code")
            programs = programs.filter(Q(code__in=in_rules) | Q(code__in=award))
        return programs

    def enrolments(self):
        enrolments = Enrolment.objects.filter(program__in=self.programs())
        if self.cohort:
            enrolments = enrolments.filter(cohort=self.cohort)
        if self.enrolled_from:
            enrolments = enrolments.filter(enrolled_on__gte=self.enrolled_from)
        if self.enrolled_to:
            enrolments = enrolments.filter(enrolled_on__lte=self.enrolled_to)
        return enrolments

    def awards(self):
        awards = Award.objects.filter(program__in=self.programs())
        if self.cohort or self.enrolled_from or self.enrolled_to:
            awards = awards.filter(enrolment__in=self.enrolments())
        return awards


@dataclass
class ProgramOutcome:
    program: Program
    enrolments: int = 0
    completed: int = 0
    withdrawn: int = 0
    assessed: int = 0
    first_attempt_passes: int = 0
    median_days: float | None = None
    issued: int = 0
    revoked: int = 0
    expired: int = 0
    verifications: int = 0
    shares: int = 0
    surveys: int = 0
    surveys_invited: int = 0
    relevance: float | None = None
    fairness: float | None = None
    workload: float | None = None
    follow_ups: int = 0
    follow_ups_invited: int = 0
    new_job: float | None = None
    promotion: float | None = None
    pay_rise: float | None = None
    used_skills: float | None = None
    employer_ratings: int = 0
    employer_rating: float | None = None
    review_due_on: date | None = None
    last_review: str = ""
    failing_criteria: list = field(default_factory=list)

    @property
    def completion_rate(self):
        return _rate(self.completed, self.enrolments)

    @property
    def withdrawal_rate(self):
        return _rate(self.withdrawn, self.enrolments)

    @property
    def first_attempt_pass_rate(self):
        return _rate(self.first_attempt_passes, self.assessed)


@dataclass
class CriterionOutcome:
    program_id: int
    program_code: str
    criterion: str
    levels: list  # (level name, points, count, below the required level)
    required_level: str = ""  # the level a learner must reach on this criterion ("" when the rubric sets none)
    scored: int = 0
    below_required: int = 0
    ranked: bool = False  # enough assessments for its failure rate to be ranked

    @property
    def below_required_rate(self):
        return _rate(self.below_required, self.scored)


@dataclass
class Dashboard:
    scope: Scope
    programs: list[ProgramOutcome]
    criteria: list[CriterionOutcome]
    terms: list[dict]
    score_bands: list[tuple[str, int]]
    due_for_review: list[ProgramOutcome]
    min_group: int
    comments: list[str]
    failing_criteria: list[CriterionOutcome]  # ranked by failure rate, each backed by enough assessments
    too_few_to_rank: list[CriterionOutcome]  # criteria with a required level but too few assessments to rank
    ranking_min_assessed: int = FAILURE_RANKING_MIN_ASSESSED


def _rate(part, whole):
    return part / whole if whole else None


def _share(count, total):
    return count / total if total else None


def outcomes_dashboard(scope: Scope, today: date | None = None) -> Dashboard:
    """Everything the dashboard shows, in a fixed number of queries."""
    today = today or timezone.localdate()
    min_group = settings.QUALITY_MIN_GROUP_SIZE
    rows = {program.pk: ProgramOutcome(program) for program in _programs(scope)}
    _add_enrolments(rows, scope)
    _add_durations(rows, scope)
    _add_awards(rows, scope)
    _add_surveys(rows, scope, min_group)
    _add_follow_ups(rows, scope, min_group)
    _add_employer_feedback(rows, scope)
    criteria = _criteria(scope)
    failing, too_few = rank_by_failure_rate(criteria)
    for criterion in failing + too_few:
        if criterion.below_required and criterion.program_id in rows:
            rows[criterion.program_id].failing_criteria.append(criterion)
    for row in rows.values():
        latest = row.program.latest_review
        published = row.program.status == Program.Status.PUBLISHED
        row.review_due_on = review_due_on(row.program, latest) if published else None
        row.last_review = latest.get_outcome_display() if latest else ""
    programs = sorted(rows.values(), key=lambda row: (row.program.code, row.program.version))
    horizon = today + timedelta(days=REVIEW_HORIZON_DAYS)
    due = [row for row in programs if row.review_due_on and row.review_due_on <= horizon]
    return Dashboard(
        comments=_comments(scope, sum(row.surveys for row in programs), min_group),
        scope=scope,
        programs=programs,
        criteria=criteria,
        terms=_terms(scope),
        score_bands=_score_bands(scope),
        due_for_review=sorted(due, key=lambda row: row.review_due_on),
        min_group=min_group,
        failing_criteria=failing,
        too_few_to_rank=too_few,
    )


def rank_by_failure_rate(criteria, min_assessed=None):
    """The criteria that have a required level, split in two: those assessed at least ``min_assessed`` times,
    highest failure rate first (then most failures), and the rest, in the same order, too few to rank."""
    min_assessed = FAILURE_RANKING_MIN_ASSESSED if min_assessed is None else min_assessed
    ordered = sorted(
        (c for c in criteria if c.required_level),
        key=lambda c: (-(c.below_required_rate or 0), -c.below_required, c.program_code, c.criterion),
    )
    for criterion in ordered:
        criterion.ranked = criterion.scored >= min_assessed
    return [c for c in ordered if c.ranked], [c for c in ordered if not c.ranked]


def _programs(scope):
    latest = ProgramReview.objects.filter(program=OuterRef("pk")).order_by("-reviewed_at", "-pk")
    programs = list(
        scope.programs()
        .select_related("subject")
        .annotate(latest_review_id=Subquery(latest.values("pk")[:1]))
        .order_by("code", "version")
    )
    reviews = ProgramReview.objects.in_bulk([p.latest_review_id for p in programs if p.latest_review_id])
    for program in programs:
        program.latest_review = reviews.get(program.latest_review_id)
    return programs


def _sittings():
    """An enrolment's finalised assessments that are not corrections of an earlier one. (``supersedes`` is
    tested through COALESCE: on a plain ``IS NULL`` SQLite probes the unique index of ``supersedes``, which
    holds every uncorrected attempt, instead of the enrolment's — quadratic in the number of attempts.)"""
    return (
        AssessmentAttempt.objects.filter(enrolment=OuterRef("pk"))
        .alias(corrects=Coalesce("supersedes_id", Value(0)))
        .filter(corrects=0)
        .exclude(status=AssessmentAttempt.Status.DRAFT)
    )


def _add_enrolments(rows, scope):
    # EXISTS probes on the attempts' enrolment index, not a count per enrolment: "assessed" is a first
    # sitting, "resat" a second one (OFFSET 1).
    completed = Q(status=Enrolment.Status.COMPLETED)
    counts = (
        scope.enrolments()
        .alias(assessed=Exists(_sittings()), resat=Exists(_sittings()[1:2]))
        .values("program_id")
        .annotate(
            total=Count("pk"),
            completed=Count("pk", filter=completed),
            withdrawn=Count("pk", filter=Q(status=Enrolment.Status.WITHDRAWN)),
            assessed=Count("pk", filter=Q(assessed=True)),
            first=Count("pk", filter=completed & Q(resat=False)),
        )
        .order_by()
    )
    for count in counts:
        row = rows.get(count["program_id"])
        if row:
            row.enrolments, row.completed, row.withdrawn = count["total"], count["completed"], count["withdrawn"]
            row.assessed, row.first_attempt_passes = count["assessed"], count["first"]


def _add_durations(rows, scope):
    """Median days from enrolment to completion per program: the middle one or two rows of each program's
    ordered durations, picked by window functions in the database."""
    days = ExpressionWrapper(F("completed_on") - F("enrolled_on"), output_field=DurationField())
    middle = (
        scope.enrolments()
        .filter(status=Enrolment.Status.COMPLETED, completed_on__isnull=False)
        .annotate(
            days=days,
            position=Window(RowNumber(), partition_by=[F("program_id")], order_by=[days.asc(), F("pk").asc()]),
            size=Window(Count("pk"), partition_by=[F("program_id")]),
        )
        .filter(position__gte=F("size") / 2.0, position__lte=F("size") / 2.0 + 1)
        .values_list("program_id", "days")
    )
    found = {}
    for program_id, duration in middle:
        found.setdefault(program_id, []).append(duration.total_seconds() / 86400)
    for program_id, values in found.items():
        if program_id in rows:
            rows[program_id].median_days = sum(values) / len(values)


def _add_awards(rows, scope):
    now = timezone.now()
    issued = Q(status=Award.Status.ISSUED)
    counts = (
        scope.awards()
        .filter(replaced_by__isnull=True)  # a corrected credential and the one it replaced are one achievement
        .values("program_id")
        .annotate(
            issued=Count("pk", filter=issued),
            revoked=Count("pk", filter=issued & Q(revoked_at__isnull=False)),
            expired=Count("pk", filter=issued & Q(revoked_at__isnull=True, valid_until__lt=now)),
        )
        .order_by()
    )
    for count in counts:
        if row := rows.get(count["program_id"]):
            row.issued, row.revoked, row.expired = count["issued"], count["revoked"], count["expired"]
    awards = scope.awards().values("pk")
    verified = (
        VerifiedCredential.objects.verified()
        .filter(award__in=awards)
        .values("award__program_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for count in verified:
        if row := rows.get(count["award__program_id"]):
            row.verifications = count["n"]
    shared = (
        Share.awards.through.objects.filter(award__in=awards)
        .values("award__program_id")
        .annotate(n=Count("share_id", distinct=True))
        .order_by()
    )
    for count in shared:
        if row := rows.get(count["award__program_id"]):
            row.shares = count["n"]


def _add_surveys(rows, scope, min_group):
    answered = Q(submitted_at__isnull=False)
    answers = (
        SurveyResponse.objects.filter(enrolment__in=scope.enrolments().values("pk"))
        .values("enrolment__program_id")
        .annotate(
            invited=Count("pk"),
            n=Count("pk", filter=answered),
            relevance=Avg("relevance", filter=answered),
            fairness=Avg("fairness", filter=answered),
            workload=Avg("workload", filter=answered),
        )
        .order_by()
    )
    for answer in answers:
        row = rows.get(answer["enrolment__program_id"])
        if row is None:
            continue
        row.surveys, row.surveys_invited = answer["n"], answer["invited"]
        if answer["n"] >= min_group:  # below the threshold a mean could identify a respondent
            row.relevance, row.fairness, row.workload = answer["relevance"], answer["fairness"], answer["workload"]


def _add_follow_ups(rows, scope, min_group):
    answered = Q(submitted_at__isnull=False)
    answers = (
        OutcomeFollowUp.objects.filter(award__in=scope.awards().values("pk"))
        .values("award__program_id")
        .annotate(
            invited=Count("pk"),
            n=Count("pk", filter=answered),
            new_job=Count("pk", filter=answered & Q(new_job=True)),
            promotion=Count("pk", filter=answered & Q(promotion=True)),
            pay_rise=Count("pk", filter=answered & Q(pay_rise=True)),
            used_skills=Count("pk", filter=answered & Q(used_skills=True)),
        )
        .order_by()
    )
    for answer in answers:
        row = rows.get(answer["award__program_id"])
        if row is None:
            continue
        row.follow_ups = total = answer["n"]
        row.follow_ups_invited = answer["invited"]
        if total >= min_group:
            for name in ("new_job", "promotion", "pay_rise", "used_skills"):
                setattr(row, name, _share(answer[name], total))


def _add_employer_feedback(rows, scope):
    ratings = (
        EmployerFeedback.objects.filter(award__in=scope.awards().values("pk"))
        .values("award__program_id")
        .annotate(n=Count("pk"), mean=Avg("rating"))
        .order_by()
    )
    for rating in ratings:
        if row := rows.get(rating["award__program_id"]):
            row.employer_ratings, row.employer_rating = rating["n"], rating["mean"]


def _criteria(scope):
    """How many final assessments reached each level of each criterion, and how many fell below the required
    level: one grouped query (criteria × levels rows, however many learners)."""
    counts = (
        CriterionScore.objects.filter(
            attempt__status=AssessmentAttempt.Status.FINAL,
            attempt__enrolment__in=scope.enrolments().values("pk"),
        )
        .values(
            "criterion_id",
            "criterion__name",
            "criterion__order",
            "criterion__rubric__program_id",
            "criterion__rubric__program__code",
            "criterion__min_level__points",
            "criterion__min_level__name",
            "level__name",
            "level__points",
            "level__order",
        )
        .annotate(n=Count("pk"))
        .order_by("criterion__rubric__program_id", "criterion__order", "criterion_id", "level__order", "level__points")
    )
    criteria = {}
    for count in counts:
        criterion = criteria.setdefault(
            count["criterion_id"],
            CriterionOutcome(
                count["criterion__rubric__program_id"],
                count["criterion__rubric__program__code"],
                count["criterion__name"],
                [],
                count["criterion__min_level__name"] or "",
            ),
        )
        required = count["criterion__min_level__points"]
        below = required is not None and count["level__points"] < required
        criterion.levels.append((count["level__name"], count["level__points"], count["n"], below))
        criterion.scored += count["n"]
        criterion.below_required += count["n"] if below else 0
    return list(criteria.values())


COMMENTS_SHOWN = 50


def _comments(scope, answers, min_group):
    """Learners' free-text comments on one program (a code is chosen), only when at least ``min_group`` learners
    answered; without names or dates and in alphabetical order, so that no comment points to its author."""
    if not scope.code or answers < min_group:
        return []
    answered = SurveyResponse.objects.filter(enrolment__in=scope.enrolments().values("pk"), submitted_at__isnull=False)
    return list(answered.exclude(comments="").order_by("comments").values_list("comments", flat=True)[:COMMENTS_SHOWN])


def _terms(scope):
    """Completion and withdrawal per term (cohort label), oldest first."""
    return list(
        scope.enrolments()
        .exclude(cohort="")
        .values("cohort")
        .annotate(
            total=Count("pk"),
            completed=Count("pk", filter=Q(status=Enrolment.Status.COMPLETED)),
            withdrawn=Count("pk", filter=Q(status=Enrolment.Status.WITHDRAWN)),
        )
        .order_by("cohort")
    )


SCORE_BANDS = 10


def _score_bands(scope):
    """Histogram of final weighted rubric totals as a share of the best total seen, in ten bands (two queries)."""
    finals = AssessmentAttempt.objects.final().filter(enrolment__in=scope.enrolments().values("pk"))
    best = finals.aggregate(best=Max("total_points"))["best"]
    if not best:
        return []
    width = Decimal(best) / SCORE_BANDS
    counts = dict(
        finals.annotate(band=Floor(F("total_points") / width))
        .values("band")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("band", "n")
    )
    bands = []
    for band in range(SCORE_BANDS):
        n = counts.get(band, 0) + (counts.get(SCORE_BANDS, 0) if band == SCORE_BANDS - 1 else 0)
        low, high = width * band, width * (band + 1)
        bands.append((f"{float(low):.3g}–{float(high):.3g}", n))
    return bands


RECENT_COMMENTS = 10


@dataclass
class ReviewEvidence:
    """What a reviewer weighs before deciding on one program version. ``since`` starts the review period (the
    last review, else publication) for revocations and suspensions; the other figures cover the version's
    whole life."""

    outcome: ProgramOutcome
    criteria: list[CriterionOutcome]  # ranked by failure rate; those with too few assessments last
    since: datetime | None
    revoked: int
    suspended: int
    public_reasons: list[tuple[str, str, int]]  # ("revoked" or "suspended", public reason, credentials)
    employer_feedback: list[dict]  # per competency: name, ratings, mean (1–5)
    comments: list[str]
    min_group: int
    ranking_min_assessed: int = FAILURE_RANKING_MIN_ASSESSED


def program_review_evidence(program: Program, today: date | None = None) -> ReviewEvidence:
    """The review page's evidence for ``program`` (one version), in a fixed number of queries."""
    dashboard = outcomes_dashboard(Scope(code=program.code), today)
    outcome = next(row for row in dashboard.programs if row.program.pk == program.pk)
    mine = [c for c in dashboard.criteria if c.program_id == program.pk]
    failing, too_few = rank_by_failure_rate(mine)
    latest = outcome.program.latest_review
    since = latest.reviewed_at if latest else program.published_at
    revoked, suspended, reasons = _revocations_and_suspensions(program, since)
    return ReviewEvidence(
        outcome=outcome,
        criteria=failing + too_few + [c for c in mine if not c.required_level],
        since=since,
        revoked=revoked,
        suspended=suspended,
        public_reasons=reasons,
        employer_feedback=list(
            EmployerFeedback.objects.filter(award__program=program)
            .values(name=F("competency__name"))
            .annotate(ratings=Count("pk"), mean=Avg("rating"))
            .order_by("name")
        ),
        comments=_recent_comments(program, outcome.surveys, dashboard.min_group),
        min_group=dashboard.min_group,
    )


def _revocations_and_suspensions(program, since):
    """Credentials of ``program`` revoked, and suspended (including suspensions lifted since, read from the
    history), from ``since`` on, with their public reasons: two grouped queries."""
    revocations = Award.objects.filter(program=program, revoked_at__isnull=False, replaced_by__isnull=True)
    suspensions = Award.history.filter(program_id=program.pk, suspended_at__isnull=False)
    if since:
        revocations = revocations.filter(revoked_at__gte=since)
        suspensions = suspensions.filter(suspended_at__gte=since)
    revoked = list(revocations.values_list("revocation_public_reason").annotate(n=Count("pk")).order_by("-n"))
    suspended = list(
        suspensions.values_list("suspension_public_reason").annotate(n=Count("id", distinct=True)).order_by("-n")
    )
    reasons = [("revoked", reason, n) for reason, n in revoked] + [("suspended", r, n) for r, n in suspended]
    return sum(n for _, n in revoked), sum(n for _, n in suspended), reasons


def _recent_comments(program, answers, min_group):
    """The latest comments on ``program``, when enough learners answered; shown in alphabetical order, without
    names or dates, so that no comment points to its author."""
    if answers < min_group:
        return []
    answered = SurveyResponse.objects.filter(enrolment__program=program, submitted_at__isnull=False)
    latest = answered.exclude(comments="").order_by("-submitted_at").values_list("comments", flat=True)
    return sorted(latest[:RECENT_COMMENTS])


def verified_for_feedback(organisation):
    """The credentials ``organisation`` verified, newest first, with how many competencies it rated on each."""
    return (
        VerifiedCredential.objects.verified()
        .filter(organisation=organisation)
        .select_related("award__program")
        .annotate(
            rated=Count(
                "award__employer_feedback",
                filter=Q(award__employer_feedback__organisation=organisation),
                distinct=True,
            )
        )
        .order_by("-at")
    )


def learner_invitations(learner):
    """The surveys and follow-ups waiting for ``learner``'s answers (two queries)."""
    surveys = SurveyResponse.objects.filter(enrolment__learner=learner, submitted_at=None).select_related(
        "enrolment__program"
    )
    follow_ups = OutcomeFollowUp.objects.filter(award__learner=learner, submitted_at=None).select_related(
        "award__program"
    )
    return list(surveys), list(follow_ups)
