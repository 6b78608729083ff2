"""The approver's queue in Chromium: a program changed after its approval is back in the queue with a readable diff;
the approver sends it back with a comment, then approves it once it is submitted again, and it is published. The
pages pass axe's WCAG checks."""

import pytest
from django.core import mail

from catalog.models import Program
from catalog.services import program_after_edit, program_transition
from tests.browser.conftest import assert_accessible, signed_in_context, submit, watch_csp
from tests.factories import ProgramFactory, UserFactory, rubric_with_criteria

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Status = Program.Status


@pytest.fixture
def registrar():
    return UserFactory(username="registrar-a", groups=["Registrar"], email="registrar@example.edu")


@pytest.fixture
def approver_page(browser, live_server):
    context = signed_in_context(browser, live_server, UserFactory(username="approver-a", groups=["Program approver"]))
    page = context.new_page()
    violations = watch_csp(page)
    yield page
    context.close()
    assert not violations, violations


@pytest.fixture
def changed_after_approval(registrar):
    """CYB-301, approved as "Cloud security", then retitled by the registrar: back in review."""
    program = ProgramFactory(code="CYB-301", title="Cloud security", created_by=registrar)
    rubric_with_criteria(program)
    program = program_transition(program=program, action="submit", user=registrar)
    program = program_transition(program=program, action="approve", user=UserFactory(groups=["Program approver"]))
    Program.objects.filter(pk=program.pk).update(title="Cloud security architecture")
    program_after_edit(program=program, user=registrar)
    mail.outbox.clear()
    return Program.objects.get(pk=program.pk)


def _open_from_queue(page, program):
    page.goto("/admin/catalog/programapproval/")
    row = page.get_by_role("row").filter(has_text=program.code)
    assert "Changed since its last approval" in row.inner_text()
    with page.expect_navigation():
        row.get_by_role("link", name=str(program)).click()


def test_the_approver_sends_back_then_approves_a_program_changed_after_approval(
    approver_page, changed_after_approval, registrar
):
    page, program = approver_page, changed_after_approval
    _open_from_queue(page, program)
    diff = page.locator("table.substance-diff")
    assert diff.locator("caption").text_content() == "Changes since the last approval"
    assert diff.get_by_role("row").filter(has_text="Title").inner_text().split("\t")[1:] == [
        "Cloud security",
        "Cloud security architecture",
    ]
    assert page.locator("table.rubric").get_by_role("row").count() == 3  # a header and two criteria
    assert_accessible(page, "approval-queue-program")

    submit(page, page.get_by_role("button", name="Send back with this comment"))
    assert "Say why the program is sent back" in page.locator(".messagelist").inner_text()
    page.get_by_label("Comment for the submitter").fill("Keep the original title: employers know it.")
    submit(page, page.get_by_role("button", name="Send back with this comment"))
    assert "sent back to draft" in page.locator(".messagelist").inner_text()
    assert_accessible(page, "approval-queue")
    assert Program.objects.get(pk=program.pk).status == Status.DRAFT
    assert "Keep the original title" in mail.outbox[-1].body and mail.outbox[-1].to == [registrar.email]

    program_transition(program=program, action="submit", user=registrar)
    page.goto("/admin/catalog/programapproval/")
    with page.expect_navigation():
        page.get_by_role("link", name=str(Program.objects.get(pk=program.pk))).click()
    submit(page, page.get_by_role("button", name="Approve"))
    assert "approved; the registrar may publish it" in page.locator(".messagelist").inner_text()

    published = program_transition(program=Program.objects.get(pk=program.pk), action="publish", user=registrar)
    assert published.status == Status.PUBLISHED
    page.goto(f"/admin/catalog/programdecision/?program__id__exact={program.pk}")
    history = page.locator("#result_list").inner_text()
    for step in ("Submitted for approval", "Sent back", "Approved", "Published"):
        assert step in history
