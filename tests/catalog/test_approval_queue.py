"""The approver's queue: what awaits a decision and what changed since the last approval; every decision recorded
(who approved what and when), and the submitter told by email."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from catalog import selectors
from catalog.models import Program, ProgramDecision
from catalog.services import program_after_edit, program_new_version, program_transition
from catalog.tasks import email_submitter_decision
from tests.factories import PathwayFactory, ProgramFactory, UserFactory, rubric_with_criteria

pytestmark = pytest.mark.django_db
Status = Program.Status
Action = ProgramDecision.Action
QUEUE = reverse("admin:catalog_programapproval_changelist")


@pytest.fixture
def submitted(registrar):
    program = ProgramFactory(created_by=registrar, code="DATA-201", title="Data storytelling")
    rubric_with_criteria(program)
    return program_transition(program=program, action="submit", user=registrar)


@pytest.fixture
def approver_client(client, approver):
    client.force_login(approver)
    return client


def _page(program):
    return reverse("admin:catalog_programapproval_change", args=[program.pk])


def test_every_transition_records_a_decision_with_who_and_the_substance_digest(submitted, registrar, approver):
    approved = program_transition(program=submitted, action="approve", user=approver, comment="Clear outcomes.")
    decisions = list(approved.decisions.order_by("decided_at", "pk"))
    assert [(d.action, d.decided_by) for d in decisions] == [(Action.SUBMITTED, registrar), (Action.APPROVED, approver)]
    assert decisions[1].comment == "Clear outcomes."
    assert decisions[1].digest == approved.approved_digest


def test_sending_a_program_back_needs_a_comment(submitted, approver):
    with pytest.raises(ValidationError, match="Say why"):
        program_transition(program=submitted, action="return_to_draft", user=approver)


def test_an_approval_emails_the_submitter_once(submitted, registrar, approver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        program_transition(program=submitted, action="approve", user=approver)
    decision = ProgramDecision.objects.get(action=Action.APPROVED)
    email_submitter_decision.apply(args=[decision.pk])  # a second run, as a redelivered task
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [registrar.email]
    assert "approved DATA-201 v1: Data storytelling" in mail.outbox[0].body


def test_sending_back_emails_the_submitter_the_comment(submitted, approver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        program_transition(program=submitted, action="return_to_draft", user=approver, comment="Add a 4th level.")
    assert "Add a 4th level." in mail.outbox[0].body


def test_the_submitter_sees_recent_decisions_on_their_programs(submitted, registrar, approver):
    program_transition(program=submitted, action="return_to_draft", user=approver, comment="Shorter title.")
    notices = selectors.decisions_for_submitter(registrar)
    assert [(n.program, n.action, n.comment) for n in notices] == [(submitted, Action.SENT_BACK, "Shorter title.")]
    assert selectors.decisions_for_submitter(approver) == []


def test_the_queue_lists_programs_in_review_and_what_kind_of_decision(approver_client, submitted, registrar, approver):
    approved = program_transition(
        program=ProgramFactory(code="CYB-301", title="Cloud security", status=Status.IN_REVIEW),
        action="approve",
        user=approver,
    )
    Program.objects.filter(pk=approved.pk).update(status=Status.IN_REVIEW, title="Cloud security architecture")
    ProgramFactory(code="DRAFT-9", title="Still a draft")
    content = approver_client.get(QUEUE).content.decode()
    assert "New program: first submission" in content
    assert "Changed since its last approval" in content
    assert "DRAFT-9" not in content


def test_the_queue_is_listed_in_a_constant_number_of_queries(approver_client, submitted, django_assert_num_queries):
    approver_client.get(QUEUE)
    with django_assert_num_queries(8):
        approver_client.get(QUEUE)
    for code in ("A-1", "A-2", "A-3"):
        ProgramFactory(code=code, status=Status.IN_REVIEW, submitted_by=submitted.submitted_by)
    with django_assert_num_queries(8):
        approver_client.get(QUEUE)


def test_the_queue_shows_what_changed_since_the_last_approval(approver_client, registrar, approver):
    program = ProgramFactory(created_by=registrar, title="Cloud security", effort_hours=40, status=Status.IN_REVIEW)
    rubric_with_criteria(program)
    program = program_transition(program=program, action="approve", user=approver)
    Program.objects.filter(pk=program.pk).update(status=Status.IN_REVIEW, title="Cloud security architecture")
    content = approver_client.get(_page(program)).content.decode()
    assert "Changes since the last approval" in content
    assert "<td>Title</td><td>Cloud security</td><td>Cloud security architecture</td>" in content
    assert "Effort hours" not in content.split("What changed")[1].split("Rubric")[0]


def test_a_new_version_is_compared_with_the_approved_previous_version(approver_client, registrar, approver):
    program = ProgramFactory(created_by=registrar, effort_hours=40, status=Status.IN_REVIEW)
    rubric_with_criteria(program)
    program = program_transition(program=program, action="approve", user=approver)
    program = program_transition(program=program, action="publish", user=registrar)
    draft = program_new_version(program=program, user=registrar)
    Program.objects.filter(pk=draft.pk).update(effort_hours=55)
    draft = program_transition(program=Program.objects.get(pk=draft.pk), action="submit", user=registrar)
    content = approver_client.get(_page(draft)).content.decode()
    assert "New version of a published program (v1)" in content
    assert "Changes since the version 1 as approved" in content
    assert "<td>Effort hours</td><td>40</td><td>55</td>" in content


def test_a_first_submission_says_so_and_shows_the_rubric(approver_client, submitted):
    content = approver_client.get(_page(submitted)).content.decode()
    assert "First submission: nothing was approved before." in content
    assert "<td>Analysis</td>" in content


def test_the_approver_approves_from_the_queue(approver_client, submitted, approver):
    reviewed = approver_client.get(_page(submitted)).context["reviewed_digest"]
    response = approver_client.post(
        _page(submitted), {"_approve": "Approve", "comment": "", "reviewed_digest": reviewed}, follow=True
    )
    submitted.refresh_from_db()
    assert (submitted.status, submitted.approved_by) == (Status.APPROVED, approver)
    assert "approved; the registrar may publish it" in response.content.decode()


def test_sending_back_from_the_queue_without_a_comment_is_refused(approver_client, submitted):
    response = approver_client.post(_page(submitted), {"_send_back": "Send back", "comment": " "}, follow=True)
    submitted.refresh_from_db()
    assert submitted.status == Status.IN_REVIEW
    assert "Say why the program is sent back" in response.content.decode()


def test_sending_back_from_the_queue_records_the_comment(approver_client, submitted):
    approver_client.post(_page(submitted), {"_send_back": "Send back", "comment": "Weights do not add up."})
    submitted.refresh_from_db()
    assert submitted.status == Status.DRAFT
    assert submitted.decisions.get(action=Action.SENT_BACK).comment == "Weights do not add up."


def test_the_queue_is_the_approvers_only(registrar_client, submitted):
    assert registrar_client.get(QUEUE).status_code == 403
    assert registrar_client.post(_page(submitted), {"_approve": "Approve"}).status_code == 403


def test_the_queue_points_to_pathways_awaiting_a_decision(approver_client):
    PathwayFactory(status=Status.IN_REVIEW, is_published=False)
    assert "1 pathway awaits your decision too." in approver_client.get(QUEUE).content.decode()


def test_a_programs_decisions_are_listed_read_only(registrar_client, submitted):
    url = reverse("admin:catalog_programdecision_changelist") + f"?program__id__exact={submitted.pk}"
    response = registrar_client.get(url)
    assert response.status_code == 200
    assert "Submitted for approval" in response.content.decode()
    decision = submitted.decisions.get()
    assert registrar_client.post(reverse("admin:catalog_programdecision_delete", args=[decision.pk])).status_code == 403


def test_an_approval_is_refused_when_the_program_changed_after_the_approver_opened_it(
    approver_client, submitted, approver
):
    reviewed = approver_client.get(_page(submitted)).context["reviewed_digest"]
    Program.objects.filter(pk=submitted.pk).update(effort_hours=1)
    response = approver_client.post(_page(submitted), {"_approve": "Approve", "reviewed_digest": reviewed}, follow=True)
    submitted.refresh_from_db()
    assert submitted.status == Status.IN_REVIEW
    assert "changed while you were reviewing it" in response.content.decode()


def test_whoever_edits_a_program_awaiting_approval_may_not_approve_it(submitted):
    both = UserFactory(groups=["Registrar", "Program approver"])
    submitted.title = "A title nobody approved"
    submitted.save()
    program_after_edit(program=submitted, user=both)
    with pytest.raises(PermissionDenied, match="another approver must"):
        program_transition(program=submitted, action="approve", user=both)


@pytest.mark.parametrize(
    "url", ["/admin/catalog/programapproval/not-a-number/change/", "/admin/catalog/pathway/not-a-number/lifecycle/"]
)
def test_a_decision_posted_to_a_made_up_address_is_not_found(approver_client, url):
    assert approver_client.post(url, {"_approve": "Approve", "action": "approve"}).status_code == 404
