"""The program review page: the evidence a reviewer weighs is shown above the decision (results, revocations
and suspensions with their public reasons, criteria by failure rate, survey, follow-ups, employer feedback),
the decision has no preselected or blank choice, and committee minutes can be referenced."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import services as award_services
from partners.models import PartnerOrganisation
from quality.forms import ReviewForm
from quality.models import EmployerFeedback, OutcomeFollowUp, ProgramReview, SurveyResponse
from tests.factories import EnrolmentFactory, LearnerFactory, UserFactory
from tests.quality.dataset import known_cohort
from tests.quality.test_kpis import _answer_surveys

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(registrar):
    return known_cohort(registrar)


@pytest.fixture
def approver_client(client, approver):
    client.force_login(approver)
    return client


def _url(program):
    return reverse("quality:review-program", args=[program.pk])


def _text(response):
    """The page's text without tags, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_the_decision_has_no_blank_choice_and_nothing_preselected(approver_client, known):
    html = approver_client.get(_url(known.program)).content.decode()
    assert "---------" not in html
    assert html.count('name="outcome"') == 3 and "checked" not in html
    assert [value for value, _ in ReviewForm().fields["outcome"].choices] == ["continue", "revise", "retire"]


def test_a_review_without_a_decision_is_refused_with_a_field_error(approver_client, known):
    response = approver_client.post(_url(known.program), {"rationale": "Fine."})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not ProgramReview.objects.exists()


def test_the_page_shows_pass_rates_with_their_counts(approver_client, known):
    text = _text(approver_client.get(_url(known.program)))
    assert "Completed 67% (4 of 6)" in text
    assert "Passed at the first sitting 75% (3 of 4)" in text  # e1, e3 (corrected) and e6; e2 resat
    assert "Analysis L2 20% 1 5" in text  # failure rate, failed, assessed


def test_the_page_shows_revocations_and_suspensions_with_their_public_reasons(approver_client, known, registrar):
    award_services.award_suspend(
        award=known.awards["e1"], user=registrar, reason="Complaint", public_reason="Under investigation"
    )
    text = _text(approver_client.get(_url(known.program)))
    assert "1 credential revoked, 1 suspended (of 3 issued)" in text  # e2 revoked, e1 suspended
    assert "Suspended Under investigation 1" in text
    assert "Revoked no public reason given 1" in text


def test_a_suspension_lifted_since_the_last_review_still_counts(approver_client, known, registrar):
    award = known.awards["e1"]
    award_services.award_suspend(award=award, user=registrar, reason="Complaint", public_reason="Checking")
    award.refresh_from_db()
    award_services.award_unsuspend(award=award, user=registrar, reason="Complaint unfounded")
    assert "1 suspended" in _text(approver_client.get(_url(known.program)))


def test_the_survey_shows_its_scales_response_count_and_recent_comments(approver_client, known, settings):
    settings.QUALITY_MIN_GROUP_SIZE = 2
    _answer_surveys(known)
    invited = SurveyResponse.objects.filter(enrolment__program=known.program).count()
    text = _text(approver_client.get(_url(known.program)))
    assert f"2 of {invited} responded." in text
    assert "Relevance to the job 3.0 / 5" in text and "Fairness of the assessment 4.0 / 5" in text
    assert "Workload 0.0 on −2 (much less than advertised) … +2 (much more than advertised)" in text
    assert "Assessment felt rushed" in text and "Useful at work" in text
    assert known.enrolments["e3"].learner.legal_name not in text


def test_follow_ups_and_employer_feedback_per_competency_are_shown(approver_client, known, settings):
    settings.QUALITY_MIN_GROUP_SIZE = 2
    for name, new_job in (("e1", True), ("e2", False)):
        OutcomeFollowUp.objects.create(
            award=known.awards[name], months=3, submitted_at="2027-03-01T00:00Z", new_job=new_job,
            promotion=False, pay_rise=True, used_skills=True,
        )  # fmt: skip
    organisation = PartnerOrganisation.objects.create(name="Acme", contact_email="hr@acme.example")
    competency = known.program.alignments.get().competency
    for rating, award in ((4, known.awards["e1"]), (5, known.awards["e2"])):
        EmployerFeedback.objects.create(
            organisation=organisation, award=award, competency=competency, rating=rating, given_by=UserFactory()
        )
    text = _text(approver_client.get(_url(known.program)))
    assert "2 of 2 responded." in text
    assert "Started a new job 50% n = 2" in text and "Used the skills at work 100% n = 2" in text
    assert f"{competency.name} 4.5 / 5 2" in text


def test_committee_minutes_are_recorded_and_shown_as_a_link_in_the_history(approver_client, known, approver):
    minutes = {
        "minutes_reference": "Programme committee, 14 Nov 2026, item 5",
        "minutes_url": "https://docs.example/m/5",
    }
    response = approver_client.post(_url(known.program), {"outcome": "continue", "rationale": "Healthy.", **minutes})
    assert response.status_code == 302
    review = ProgramReview.objects.get()
    assert (review.minutes_reference, review.minutes_url) == (minutes["minutes_reference"], minutes["minutes_url"])
    html = approver_client.get(_url(known.program)).content.decode()
    assert '<a href="https://docs.example/m/5" rel="noopener noreferrer"' in html
    assert "Programme committee, 14 Nov 2026, item 5</a>" in html


def test_a_minutes_link_that_is_not_http_is_refused(approver_client, known):
    data = {"outcome": "continue", "rationale": "Healthy.", "minutes_url": "javascript:alert(1)"}
    response = approver_client.post(_url(known.program), data)
    assert response.status_code == 200 and not ProgramReview.objects.exists()
    assert 'href="javascript:' not in response.content.decode()


def test_the_review_page_runs_the_same_queries_whatever_the_number_of_learners(approver_client, known, settings):
    settings.QUALITY_MIN_GROUP_SIZE = 2
    _answer_surveys(known)  # above the threshold from the start: comments and means are read every time

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert approver_client.get(_url(known.program)).status_code == 200
        return len(captured.captured_queries)

    before = count()
    for number in range(6):
        enrolment = EnrolmentFactory(program=known.program, learner=LearnerFactory())
        SurveyResponse.objects.create(
            enrolment=enrolment, relevance=4, fairness=4, workload=0, comments=f"Comment {number}",
            submitted_at="2027-01-01T00:00Z",
        )  # fmt: skip
    assert count() == before


def test_the_quality_pages_and_the_review_admin_link_both_ways(approver_client, registrar, known, approver):
    registrar_client = Client()
    registrar_client.force_login(registrar)
    dashboard, review_page = reverse("quality:dashboard"), _url(known.program)
    admin_list = reverse("admin:quality_programreview_changelist")
    program_admin = reverse("admin:catalog_program_change", args=[known.program.pk])
    page = registrar_client.get(dashboard).content.decode()
    assert f'href="{reverse("admin:index")}"' in page and f'href="{program_admin}"' in page
    review_html = approver_client.get(review_page).content.decode()
    assert f'href="{reverse("admin:index")}"' in review_html and f'href="{dashboard}"' in review_html
    ProgramReview.objects.create(program=known.program, outcome="continue", rationale="Fine.", reviewed_by=approver)
    listing = approver_client.get(admin_list).content.decode()
    assert f'href="{dashboard}"' in listing and f'href="{review_page}"' in listing
