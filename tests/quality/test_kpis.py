"""Every KPI on a small known cohort, with exact expected numbers (tests/quality/dataset.py says who did what)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.services import award_reissue
from partners.models import PartnerOrganisation, Share, VerifiedCredential
from quality.models import EmployerFeedback, OutcomeFollowUp, SurveyResponse
from quality.selectors import Scope, outcomes_dashboard
from tests.factories import UserFactory, completed_cohort
from tests.quality.dataset import known_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(registrar):
    return known_cohort(registrar)


def _row(dashboard, program):
    return next(row for row in dashboard.programs if row.program.pk == program.pk)


def test_enrolment_kpis_of_the_whole_program(known):
    row = _row(outcomes_dashboard(Scope(code=known.program.code)), known.program)
    assert (row.enrolments, row.completed, row.withdrawn) == (6, 4, 1)
    assert row.completion_rate == pytest.approx(4 / 6) and row.withdrawal_rate == pytest.approx(1 / 6)
    # e1, e3 (corrected first sitting) and e6 passed at their first sitting; e2 needed two.
    assert (row.assessed, row.first_attempt_passes) == (4, 3)
    assert row.median_days == pytest.approx((80 + 85) / 2)  # 50, 80, 85 and 91 days


def test_a_term_filter_narrows_every_enrolment_kpi(known):
    row = _row(outcomes_dashboard(Scope(code=known.program.code, cohort="2026-autumn")), known.program)
    assert (row.enrolments, row.completed, row.withdrawn, row.assessed, row.first_attempt_passes) == (5, 3, 1, 3, 2)
    assert row.median_days == pytest.approx(85)


def test_a_version_without_completions_has_zero_completion_and_no_median(known):
    row = _row(outcomes_dashboard(Scope(code=known.program.code)), known.next_version)
    assert (row.enrolments, row.completion_rate, row.first_attempt_pass_rate, row.median_days) == (1, 0, None, None)


def test_credentials_issued_revoked_expired_verified_and_shared(known):
    organisation = PartnerOrganisation.objects.create(name="Acme", contact_email="hr@acme.example")
    VerifiedCredential.objects.create(organisation=organisation, award=known.awards["e1"])
    share = Share.objects.create(learner=known.awards["e1"].learner, label="CV")
    share.awards.set([known.awards["e1"]])
    row = _row(outcomes_dashboard(Scope(code=known.program.code)), known.program)
    assert (row.issued, row.revoked, row.expired, row.verifications, row.shares) == (3, 1, 1, 1, 1)


def test_a_check_that_could_not_be_completed_is_not_counted_as_a_verification(known):
    organisation = PartnerOrganisation.objects.create(name="Acme", contact_email="hr@acme.example")
    VerifiedCredential.objects.create(
        organisation=organisation, award=known.awards["e1"], verdict="too_complex", verified_at=None
    )
    assert _row(outcomes_dashboard(Scope(code=known.program.code)), known.program).verifications == 0


def test_rubric_levels_reached_count_final_assessments_only(known):
    criteria = {c.criterion: c for c in outcomes_dashboard(Scope(code=known.program.code)).criteria}
    analysis, communication = criteria["Analysis"], criteria["Communication"]
    # Final: e1 A3 C3, e2 A1 C1 then A3 C2, e3's correction A2 C2 (its first sitting is superseded), e6 A2 C2.
    assert [(name, count) for name, _, count, _ in analysis.levels] == [("L1", 1), ("L2", 2), ("L3", 2)]
    assert [(name, count) for name, _, count, _ in communication.levels] == [("L1", 1), ("L2", 3), ("L3", 1)]
    assert (analysis.scored, analysis.below_required, communication.below_required) == (5, 1, 0)


def test_the_criteria_failed_most_are_listed_on_their_program(known):
    row = _row(outcomes_dashboard(Scope(code=known.program.code)), known.program)
    assert [criterion.criterion for criterion in row.failing_criteria] == ["Analysis"]


def test_terms_and_score_bands(known):
    dashboard = outcomes_dashboard(Scope(code=known.program.code))
    assert [(t["cohort"], t["total"], t["completed"], t["withdrawn"]) for t in dashboard.terms] == [
        ("2026-autumn", 5, 3, 1),
        ("2027-spring", 2, 1, 0),
    ]
    # Final totals 6, 2, 5, 4, 4 in bands of 0.6 points; the best total falls in the last band.
    assert [count for _, count in dashboard.score_bands] == [0, 0, 0, 1, 0, 0, 2, 0, 1, 1]


def _answer_surveys(known):
    answers = {"e1": (4, 5, 1, "Useful at work"), "e3": (2, 3, -1, "Assessment felt rushed")}
    for name, (relevance, fairness, workload, comments) in answers.items():
        SurveyResponse.objects.update_or_create(
            enrolment=known.enrolments[name],
            defaults={
                "relevance": relevance,
                "fairness": fairness,
                "workload": workload,
                "comments": comments,
                "submitted_at": "2027-01-01T00:00Z",
            },
        )


def test_survey_means_show_for_a_group_at_the_threshold(known, settings):
    settings.QUALITY_MIN_GROUP_SIZE = 2
    _answer_surveys(known)
    row = _row(outcomes_dashboard(Scope(code=known.program.code)), known.program)
    assert (row.surveys, row.relevance, row.fairness, row.workload) == (2, 3.0, 4.0, 0.0)


def test_survey_means_are_withheld_below_the_anonymity_threshold(known, settings):
    settings.QUALITY_MIN_GROUP_SIZE = 3
    _answer_surveys(known)
    dashboard = outcomes_dashboard(Scope(code=known.program.code))
    row = _row(dashboard, known.program)
    assert (row.surveys, row.relevance, row.fairness, row.workload) == (2, None, None, None)
    assert dashboard.comments == []


def test_comments_of_one_program_show_in_alphabetical_order_at_the_threshold(known, settings):
    settings.QUALITY_MIN_GROUP_SIZE = 2
    _answer_surveys(known)
    assert outcomes_dashboard(Scope(code=known.program.code)).comments == ["Assessment felt rushed", "Useful at work"]
    assert outcomes_dashboard(Scope()).comments == []  # only for one chosen program


def test_employment_outcomes_and_employer_ratings(known, settings):
    settings.QUALITY_MIN_GROUP_SIZE = 2
    answers = {"e1": (True, False, True, True), "e2": (False, False, False, True)}
    for name, (new_job, promotion, pay_rise, used_skills) in answers.items():
        OutcomeFollowUp.objects.create(
            award=known.awards[name], months=3, submitted_at="2027-03-01T00:00Z", new_job=new_job,
            promotion=promotion, pay_rise=pay_rise, used_skills=used_skills,
        )  # fmt: skip
    organisation = PartnerOrganisation.objects.create(name="Acme", contact_email="hr@acme.example")
    competency = known.program.alignments.get().competency
    for rating, award in ((4, known.awards["e1"]), (2, known.awards["e2"])):
        EmployerFeedback.objects.create(
            organisation=organisation, award=award, competency=competency, rating=rating, given_by=UserFactory()
        )
    row = _row(outcomes_dashboard(Scope(code=known.program.code)), known.program)
    assert (row.follow_ups, row.new_job, row.promotion, row.pay_rise, row.used_skills) == (2, 0.5, 0.0, 0.5, 1.0)
    assert (row.employer_ratings, row.employer_rating) == (2, 3.0)


def test_the_dashboard_runs_the_same_queries_whatever_the_number_of_learners(known, registrar):
    def count():
        with CaptureQueriesContext(connection) as captured:
            outcomes_dashboard(Scope())
        return len(captured.captured_queries)

    before = count()
    completed_cohort(registrar, 12)
    completed_cohort(registrar, 3, cohort="2027-spring")
    assert count() == before


def test_a_corrected_credential_counts_once_and_its_correction_is_not_a_revocation(
    known, registrar, signing_key, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        award_reissue(award=known.awards["e1"], user=registrar, reason="Name misspelt at enrolment.")
    row = _row(outcomes_dashboard(Scope(code=known.program.code)), known.program)
    assert (row.issued, row.revoked, row.expired) == (3, 1, 1)
