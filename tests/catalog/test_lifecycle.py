import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from catalog.models import Program
from catalog.services import program_transition
from tests.factories import PathwayFactory, ProgramFactory, UserFactory, rubric_with_criteria

pytestmark = pytest.mark.django_db
Status = Program.Status


@pytest.fixture
def program(registrar):
    program = ProgramFactory(created_by=registrar)
    rubric_with_criteria(program)
    return program


def _advance(program, registrar, approver, *actions):
    for action in actions:
        program = program_transition(
            program=program, action=action, user=approver if action == "approve" else registrar
        )
    return program


def test_full_lifecycle_records_who_and_when(program, registrar, approver):
    program = _advance(program, registrar, approver, "submit", "approve", "publish", "retire")
    assert program.status == Status.RETIRED
    assert (program.submitted_by, program.approved_by, program.published_by, program.retired_by) == (
        registrar,
        approver,
        registrar,
        registrar,
    )
    assert program.submitted_at <= program.approved_at <= program.published_at <= program.retired_at


def test_registrar_cannot_approve(program, registrar, approver):
    program = _advance(program, registrar, approver, "submit")
    with pytest.raises(PermissionDenied):
        program_transition(program=program, action="approve", user=registrar)


def test_author_cannot_approve_own_program_even_as_approver(registrar):
    author = UserFactory(groups=["Program approver", "Registrar"])
    program = ProgramFactory(created_by=author)
    rubric_with_criteria(program)
    program = program_transition(program=program, action="submit", user=author)
    with pytest.raises(PermissionDenied, match="another approver"):
        program_transition(program=program, action="approve", user=author)


def test_approver_cannot_publish(program, registrar, approver):
    program = _advance(program, registrar, approver, "submit", "approve")
    with pytest.raises(PermissionDenied):
        program_transition(program=program, action="publish", user=approver)


def test_user_without_roles_cannot_submit(program):
    with pytest.raises(PermissionDenied):
        program_transition(program=program, action="submit", user=UserFactory())


def test_cannot_publish_a_draft(program, registrar):
    with pytest.raises(ValidationError, match="not possible from that state"):
        program_transition(program=program, action="publish", user=registrar)
    program.refresh_from_db()
    assert program.status == Status.DRAFT


def test_cannot_publish_without_a_rubric(registrar, approver):
    program = _advance(ProgramFactory(created_by=registrar), registrar, approver, "submit", "approve")
    with pytest.raises(ValidationError, match="no assessment rubric"):
        program_transition(program=program, action="publish", user=registrar)


def test_cannot_publish_with_an_impossible_rubric(registrar, approver):
    program = ProgramFactory(created_by=registrar)
    rubric_with_criteria(program, min_total=100)
    program = _advance(program, registrar, approver, "submit", "approve")
    with pytest.raises(ValidationError, match="above the highest possible total"):
        program_transition(program=program, action="publish", user=registrar)


def test_pathway_award_is_published_without_a_rubric(registrar, approver):
    award = PathwayFactory(award__created_by=registrar, award__status=Status.DRAFT).award
    award = _advance(award, registrar, approver, "submit", "approve", "publish")
    assert award.status == Status.PUBLISHED


def test_approver_can_return_a_program_to_draft(program, registrar, approver):
    program = _advance(program, registrar, approver, "submit")
    program = program_transition(program=program, action="return_to_draft", user=approver, comment="Too vague.")
    assert program.status == Status.DRAFT


def test_each_transition_is_in_the_audit_history_with_its_user(program, registrar, approver):
    _advance(program, registrar, approver, "submit", "approve")
    history = list(program.history.order_by("history_date").values_list("status", "history_user__username"))
    assert history[-2:] == [("in_review", "registrar"), ("approved", "approver")]


def test_role_groups_are_created_with_their_permissions(role_groups):
    registrar_perms = {p.codename for p in role_groups["Registrar"].permissions.all()}
    approver_perms = {p.codename for p in role_groups["Program approver"].permissions.all()}
    assert {"submit_program", "publish_program", "retire_program", "change_program"} <= registrar_perms
    assert "approve_program" not in registrar_perms
    assert "approve_program" in approver_perms
    assert "change_program" not in approver_perms
