"""The review cycle: programs due for review are listed with their KPIs, and an approver's audited decision
is carried out (continue schedules the next review, revise opens a draft version, retire retires)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from catalog.models import Program
from quality import services
from quality.models import ProgramReview
from quality.selectors import Scope, outcomes_dashboard
from tests.factories import published_program, rubric_with_criteria

pytestmark = pytest.mark.django_db


def _published(months_ago):
    program = published_program(published_at=timezone.now() - datetime.timedelta(days=31 * months_ago))
    rubric_with_criteria(program)
    return program


def test_programs_due_within_30_days_are_listed_and_others_are_not():
    overdue, fresh = _published(13), _published(2)
    due = [row.program for row in outcomes_dashboard(Scope()).due_for_review]
    assert due == [overdue]
    assert fresh not in due


def test_continue_schedules_the_next_review_and_takes_the_program_off_the_list(approver):
    program = _published(13)
    review = services.program_review_record(
        program=program, user=approver, outcome="continue", rationale="Completion is healthy."
    )
    assert review.next_review_on > timezone.localdate() + datetime.timedelta(days=300)
    assert outcomes_dashboard(Scope()).due_for_review == []
    assert review.history.get().history_user == approver  # audited


def test_revise_opens_a_new_draft_version(approver):
    program = _published(13)
    review = services.program_review_record(
        program=program, user=approver, outcome="revise", rationale="Learners fail Analysis."
    )
    draft = review.new_version
    assert (draft.status, draft.version, draft.predecessor) == (Program.Status.DRAFT, 2, program)


def test_retire_retires_the_program(approver):
    program = _published(13)
    services.program_review_record(program=program, user=approver, outcome="retire", rationale="No demand.")
    program.refresh_from_db()
    assert program.status == Program.Status.RETIRED and program.retired_by == approver


def test_a_review_needs_a_rationale_and_the_review_permission(approver, registrar):
    program = _published(13)
    with pytest.raises(ValidationError):
        services.program_review_record(program=program, user=approver, outcome="continue", rationale="  ")
    with pytest.raises(PermissionDenied):
        services.program_review_record(program=program, user=registrar, outcome="continue", rationale="Fine.")
    assert not ProgramReview.objects.exists()


def test_the_approver_records_a_review_on_its_page_with_field_errors_first(client, approver):
    program = _published(13)
    client.force_login(approver)
    url = reverse("quality:review-program", args=[program.pk])
    past = {"outcome": "continue", "rationale": "Fine.", "next_review_on": "2020-01-01"}
    response = client.post(url, past)
    assert response.status_code == 200 and "must be in the future" in response.content.decode()
    assert client.post(url, {"outcome": "continue", "rationale": "Fine."}).status_code == 302
    assert ProgramReview.objects.get().reviewed_by == approver


def test_the_registrar_sees_the_dashboard_but_may_not_review(client, registrar):
    program = _published(13)
    client.force_login(registrar)
    assert client.get(reverse("quality:dashboard")).status_code == 200
    assert client.get(reverse("quality:review-program", args=[program.pk])).status_code == 403


def test_every_published_program_shows_its_next_review_date(registrar_client):
    program = published_program(published_at=datetime.datetime(2026, 3, 15, 12, tzinfo=datetime.UTC))
    assert services.review_due_on(program, None) == datetime.date(2027, 3, 15)  # 12 months, the default
    html = registrar_client.get(reverse("quality:dashboard")).content.decode()
    assert "2027-03-15" in html
