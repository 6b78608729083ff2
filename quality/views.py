"""Quality pages: the staff outcomes dashboard and program review, the learner's survey and follow-up, and the
partner member's feedback on credentials their organisation verified. Thin: selectors read, services write."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Program
from config.forms import add_service_errors
from config.spreadsheets import escape_row
from learners.selectors import learner_of_request
from partners.models import VerifiedCredential

from . import charts, selectors, services
from .forms import EmployerFeedbackForm, FollowUpForm, ReviewForm, ScopeForm, SurveyForm
from .models import EmployerFeedback, OutcomeFollowUp, SurveyResponse


@login_required
@permission_required("quality.view_outcomes", raise_exception=True)
def dashboard(request):
    form = ScopeForm(request.GET or None)
    scope = selectors.Scope()
    if form.is_valid():
        data = form.cleaned_data
        scope = selectors.Scope(
            code=data["code"].strip().upper(),
            subject_id=data["subject"].pk if data["subject"] else None,
            pathway_id=data["pathway"].pk if data["pathway"] else None,
            cohort=data["cohort"].strip(),
            enrolled_from=data["enrolled_from"],
            enrolled_to=data["enrolled_to"],
        )
    dashboard = selectors.outcomes_dashboard(scope)
    tables = _tables(dashboard)
    export = request.GET.get("export")
    if export:
        if export not in tables:
            raise Http404("No such table.")
        return _csv(export, *tables[export])
    context = {"form": form, "dashboard": dashboard, "charts": _charts(dashboard), "query": _query(request)}
    return render(request, "quality/dashboard.html", context)


def _query(request):
    query = request.GET.copy()
    query.pop("export", None)
    return query.urlencode()


def _charts(dashboard):
    programs = dashboard.programs
    label = "{0.program.code} v{0.program.version}".format
    criteria = [c for c in dashboard.criteria if c.scored]
    points = {}  # every level name reached, ordered by its points: the stacked bars' segments
    for criterion in criteria:
        for name, value, _code, _share in criterion.levels:
            points.setdefault(name, value)
    segments = sorted(points, key=lambda name: (points[name], name))
    levels = [
        (
            f"{c.program_code}: {c.criterion}"[:34],
            [dict((n, k) for n, _value, k, _share in c.levels).get(s, 0) for s in segments],
        )
        for c in criteria
    ]
    return [
        charts.bar_chart(
            "completion",
            _("Completion rate by program"),
            [(label(row), row.completion_rate) for row in programs],
            axis=_("Completed, % of enrolments (0–100%)"),
        ),
        charts.bar_chart(
            "first-attempt",
            _("First-attempt pass rate by program"),
            [(label(row), row.first_attempt_pass_rate) for row in programs],
            axis=_("Passed at the first sitting, % of enrolments assessed (0–100%)"),
        ),
        charts.stacked_bar_chart(
            "criteria",
            _("Levels reached per rubric criterion"),
            levels,
            segments,
            axis=_("% of final assessments of the criterion (0–100%)"),
        ),
        charts.histogram(
            "scores",
            _("Weighted rubric totals (final assessments)"),
            dashboard.score_bands,
            x_axis=_("Weighted rubric total (points)"),
            y_axis=_("Final assessments (count)"),
        ),
        charts.line_chart(
            "terms",
            _("Completion rate by term"),
            [(term["cohort"], term["completed"] / term["total"]) for term in dashboard.terms],
            x_axis=_("Term"),
            y_axis=_("Completed, % of enrolments (0–100%)"),
        ),
    ]


def _percent(value):
    return "" if value is None else f"{value * 100:.1f}"


def _number(value, digits=1):
    return "" if value is None else f"{value:.{digits}f}"


def _tables(dashboard):
    """Every table of the dashboard as (headers, rows), for CSV export."""
    programs = (
        ["Program", "Version", "Title", "Status", "Enrolments", "Completion %", "Withdrawal %", "First-attempt pass %",
         "Median days to complete", "Effort hours", "Issued", "Revoked", "Expired", "Employer verifications", "Shares",
         "Surveys sent", "Survey responses", "Relevance (1-5)", "Fairness (1-5)", "Workload (-2..+2)",
         "Follow-ups sent", "Follow-up responses", "New job %", "Promotion %", "Raise %", "Used skills %",
         "Employer ratings", "Employer rating (1-5)",
         "Next review"],
        [
            [row.program.code, row.program.version, row.program.title, row.program.get_status_display(),
             row.enrolments, _percent(row.completion_rate), _percent(row.withdrawal_rate),
             _percent(row.first_attempt_pass_rate), _number(row.median_days), row.program.effort_hours, row.issued,
             row.revoked, row.expired, row.verifications, row.shares, row.surveys_invited, row.surveys,
             _number(row.relevance, 2), _number(row.fairness, 2), _number(row.workload, 2), row.follow_ups_invited,
             row.follow_ups, _percent(row.new_job),
             _percent(row.promotion), _percent(row.pay_rise), _percent(row.used_skills), row.employer_ratings,
             _number(row.employer_rating, 2), row.review_due_on or ""]
            for row in dashboard.programs
        ],
    )  # fmt: skip
    criteria = (
        ["Program", "Criterion", "Level", "Points", "Assessments", "Below the required level"],
        [
            [c.program_code, c.criterion, name, points, count, "yes" if below else "no"]
            for c in dashboard.criteria
            for name, points, count, below in c.levels
        ],
    )
    terms = (
        ["Term", "Enrolments", "Completed", "Withdrawn"],
        [[t["cohort"], t["total"], t["completed"], t["withdrawn"]] for t in dashboard.terms],
    )
    scores = (["Band", "Final assessments"], [list(band) for band in dashboard.score_bands])
    reviews = (
        ["Program", "Version", "Due", "Last review", "Completion %", "Most failed criterion"],
        [
            [row.program.code, row.program.version, row.review_due_on, row.last_review,
             _percent(row.completion_rate), row.failing_criteria[0].criterion if row.failing_criteria else ""]
            for row in dashboard.due_for_review
        ],
    )  # fmt: skip
    failing = (
        ["Rank", "Program", "Criterion", "Required level", "Failed", "Assessed", "Failure %"],
        [
            [rank, c.program_code, c.criterion, c.required_level, c.below_required, c.scored,
             _percent(c.below_required_rate)]
            for rank, c in enumerate(dashboard.failing_criteria, start=1)
        ]
        + [
            ["too few to rank", c.program_code, c.criterion, c.required_level, c.below_required, c.scored,
             _percent(c.below_required_rate)]
            for c in dashboard.too_few_to_rank
        ],
    )  # fmt: skip
    return {
        "programs": programs,
        "criteria": criteria,
        "failing": failing,
        "terms": terms,
        "scores": scores,
        "reviews": reviews,
    }


def _csv(name, headers, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="outcomes-{name}-{timezone.localdate()}.csv"'
    writer = csv.writer(response)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(escape_row(row))
    return response


@login_required
@permission_required("quality.add_programreview", raise_exception=True)
def review_program(request, pk):
    program = get_object_or_404(Program.objects.filter(status=Program.Status.PUBLISHED), pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.program_review_record(program=program, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Review recorded: %(outcome)s.") % {"outcome": review.get_outcome_display()})
            return redirect("quality:dashboard")
    context = {
        "program": program,
        "evidence": selectors.program_review_evidence(program),
        "form": form,
        "reviews": program.reviews.select_related("reviewed_by", "new_version")[:10],
    }
    return render(request, "quality/review.html", context)


@login_required
def survey(request, pk):
    learner = learner_of_request(request)
    survey = get_object_or_404(
        SurveyResponse.objects.select_related("enrolment__program"), pk=pk, enrolment__learner=learner
    )
    title = _("How was %(program)s?") % {"program": survey.enrolment.program.title}
    return _answer(request, survey, SurveyForm, services.survey_submit, learner, title)


@login_required
def follow_up(request, pk):
    learner = learner_of_request(request)
    follow_up = get_object_or_404(
        OutcomeFollowUp.objects.select_related("award__program"), pk=pk, award__learner=learner
    )
    title = _("%(months)s months after %(program)s") % {
        "months": follow_up.months,
        "program": follow_up.award.program.title,
    }
    return _answer(request, follow_up, FollowUpForm, services.follow_up_submit, learner, title)


def _answer(request, invitation, form_class, submit, learner, title):
    """A learner's survey or follow-up: the form until it is answered (once), then a thank-you."""
    form = form_class(request.POST or None, instance=invitation)
    if request.method == "POST" and not invitation.is_answered and form.is_valid():
        try:
            submit(invitation, learner=learner, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: your answers help improve the program."))
            return redirect("portal:dashboard")
    return render(request, "quality/answer.html", {"invitation": invitation, "form": form, "title": title})


@login_required
def partner_feedback(request):
    member = services.partner_member(request.user)
    verified = selectors.verified_for_feedback(member.organisation)
    return render(request, "quality/partner_feedback.html", {"member": member, "verified": verified})


@login_required
def partner_feedback_award(request, award_id):
    member = services.partner_member(request.user)
    interest = get_object_or_404(
        VerifiedCredential.objects.verified().select_related("award__program"),
        organisation=member.organisation,
        award_id=award_id,
    )
    award = interest.award
    competencies = [alignment.competency for alignment in award.program.alignments.select_related("competency")]
    given = {
        f"competency_{f.competency_id}": f.rating
        for f in EmployerFeedback.objects.filter(organisation=member.organisation, award=award)
    }
    form = EmployerFeedbackForm(request.POST or None, initial=given, competencies=competencies)
    if request.method == "POST" and form.is_valid():
        try:
            services.employer_feedback_record(
                user=request.user, award=award, ratings=form.ratings(), comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: your ratings were saved."))
            return redirect("quality:partner-feedback")
    return render(request, "quality/partner_feedback_award.html", {"award": award, "form": form})
