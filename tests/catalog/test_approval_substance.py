"""An approval records exactly what was approved; publishing checks the program still is that, and an edit of an
approved program's substance, on whichever admin page, sends it back to review."""

from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError

from catalog import substance
from catalog.models import Level, Program
from catalog.services import program_new_version, program_transition
from tests.factories import CompetencyFactory, ProgramFactory, rubric_with_criteria

pytestmark = pytest.mark.django_db
Status = Program.Status


@pytest.fixture
def approved(registrar, approver):
    program = ProgramFactory(created_by=registrar)
    rubric_with_criteria(program)
    program = program_transition(program=program, action="submit", user=registrar)
    return program_transition(program=program, action="approve", user=approver)


def test_an_approval_records_the_substance_it_approved_and_its_digest(approved):
    assert approved.approved_substance == substance.substance(approved)
    assert approved.approved_digest == substance.digest(approved.approved_substance)
    assert approved.approved_substance["fields"]["title"] == approved.title
    assert [criterion["name"] for criterion in approved.approved_substance["rubric"]["criteria"]] == [
        "Analysis",
        "Communication",
    ]


def test_an_unchanged_approved_program_is_published(approved, registrar):
    assert program_transition(program=approved, action="publish", user=registrar).status == Status.PUBLISHED


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"title": "Another title"}, "title"),
        ({"effort_hours": 99}, "effort hours"),
        ({"cost": Decimal("999.00")}, "cost"),
    ],
)
def test_a_program_edited_after_approval_is_not_published(approved, registrar, change, named):
    Program.objects.filter(pk=approved.pk).update(**change)
    with pytest.raises(ValidationError, match=f"changed since it was approved \\({named}\\)"):
        program_transition(program=approved, action="publish", user=registrar)
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED


def test_a_rubric_edited_after_approval_is_not_published(approved, registrar):
    Level.objects.filter(criterion__rubric__program=approved, name="L3").update(points=Decimal("30"))
    with pytest.raises(ValidationError, match="\\(rubric\\)"):
        program_transition(program=approved, action="publish", user=registrar)


def test_an_alignment_added_after_approval_is_not_published(approved, registrar):
    approved.alignments.create(competency=CompetencyFactory())
    with pytest.raises(ValidationError, match="\\(alignments\\)"):
        program_transition(program=approved, action="publish", user=registrar)


def test_a_program_approved_before_approvals_recorded_their_content_needs_approval_again(approved, registrar):
    Program.objects.filter(pk=approved.pk).update(approved_digest="", approved_substance=None)
    approved.refresh_from_db()
    with pytest.raises(ValidationError, match="submit it for approval again"):
        program_transition(program=approved, action="publish", user=registrar)


def test_editing_an_approved_program_in_the_admin_sends_it_back_to_review(approved, registrar, client):
    level = Level.objects.get(criterion__rubric__program=approved, criterion__name="Analysis", name="L3")
    client.force_login(registrar)
    response = client.post(
        f"/admin/catalog/level/{level.pk}/change/",
        {"criterion": level.criterion_id, "order": level.order, "name": "L3", "description": "", "points": "5"},
        follow=True,
    )
    approved.refresh_from_db()
    assert approved.status == Status.IN_REVIEW
    assert (approved.submitted_by, approved.approved_digest) == (
        registrar,
        substance.digest(approved.approved_substance),
    )
    assert "back in review, for an approver to decide again" in response.content.decode()


def test_an_admin_edit_that_changes_nothing_keeps_the_approval(approved, registrar, client):
    level = Level.objects.get(criterion__rubric__program=approved, criterion__name="Analysis", name="L3")
    client.force_login(registrar)
    client.post(
        f"/admin/catalog/level/{level.pk}/change/",
        {"criterion": level.criterion_id, "order": level.order, "name": "L3", "description": "", "points": "3"},
    )
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED


def test_a_new_version_starts_without_the_approval_of_the_one_before(approved, registrar):
    published = program_transition(program=approved, action="publish", user=registrar)
    draft = program_new_version(program=published, user=registrar)
    assert (draft.approved_substance, draft.approved_digest) == (None, "")


def _form_data(form):
    """What the browser would send back for ``form`` unchanged (multi-valued and split fields included)."""
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue  # not sent: the file stays as it is
        value = form[name].value()
        widget_data = field.widget.format_value(value) if hasattr(field.widget, "widgets") else None
        if widget_data is not None and isinstance(widget_data, list):
            for index, part in enumerate(widget_data):
                data[f"{form.add_prefix(name)}_{index}"] = part if part is not None else ""
        elif isinstance(value, list | tuple):
            data[form.add_prefix(name)] = [str(item) for item in value]
        elif value is not None:
            data[form.add_prefix(name)] = value
    return data


def test_changing_an_approved_program_s_title_in_its_admin_page_sends_it_back_to_review(approved, registrar, client):
    client.force_login(registrar)
    page = client.get(f"/admin/catalog/program/{approved.pk}/change/")
    data = _form_data(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    data.update(title="A title nobody approved", effort_hours=99)
    response = client.post(f"/admin/catalog/program/{approved.pk}/change/", data, follow=True)
    approved.refresh_from_db()
    assert approved.title == "A title nobody approved"
    assert approved.status == Status.IN_REVIEW
    assert "back in review, for an approver to decide again" in response.content.decode()
    with pytest.raises(ValidationError, match="not possible from that state"):
        program_transition(program=approved, action="publish", user=registrar)
