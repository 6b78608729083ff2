from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalog.models import Program
from catalog.services import program_new_version, program_transition
from tests.factories import AlignmentFactory, ProgramFactory, rubric_with_criteria

pytestmark = pytest.mark.django_db
Status = Program.Status


@pytest.fixture
def published(registrar, approver):
    program = ProgramFactory(created_by=registrar, code="DATA-101")
    rubric = rubric_with_criteria(program)
    criterion = rubric.criteria.first()
    criterion.min_level = criterion.levels.get(name="L1")
    criterion.save()
    AlignmentFactory(program=program)
    for action, user in (("submit", registrar), ("approve", approver), ("publish", registrar)):
        program = program_transition(program=program, action=action, user=user)
    return program


def test_changing_a_credential_field_of_a_published_program_is_rejected(published):
    published.title = "Something else"
    published.credit_value = Decimal("9")
    with pytest.raises(ValidationError) as error:
        published.full_clean()
    assert set(error.value.message_dict) == {"title", "credit_value"}
    assert "create a new version" in error.value.message_dict["title"][0]


def test_changing_a_non_credential_field_of_a_published_program_is_allowed(published):
    published.cost = Decimal("999")
    published.full_clean()


def test_new_version_is_a_draft_pointing_to_its_predecessor(published, registrar):
    draft = program_new_version(program=published, user=registrar)
    assert (draft.code, draft.version, draft.status, draft.predecessor) == ("DATA-101", 2, Status.DRAFT, published)
    assert draft.slug == "data-101-v2"
    assert draft.created_by == registrar
    assert draft.published_by is None


def test_new_version_copies_rubric_alignments_and_minimum_levels(published, registrar):
    draft = program_new_version(program=published, user=registrar)
    old, new = published.rubric, draft.rubric
    assert [c.name for c in new.criteria.all()] == [c.name for c in old.criteria.all()]
    assert new.criteria.first().min_level.name == "L1"
    assert new.criteria.first().min_level.criterion == new.criteria.first()
    assert list(draft.competencies.all()) == list(published.competencies.all())
    assert old.criteria.first().levels.count() == 4  # the published rubric is untouched


def test_new_version_is_editable_and_publishing_it_retires_the_old_one(published, registrar, approver):
    draft = program_new_version(program=published, user=registrar)
    draft.title = "Data Wrangling, revised"
    draft.full_clean()
    draft.save()
    for action, user in (("submit", registrar), ("approve", approver), ("publish", registrar)):
        draft = program_transition(program=draft, action=action, user=user)
    published.refresh_from_db()
    assert published.status == Status.RETIRED
    assert published.title != draft.title


def test_a_version_can_only_be_succeeded_once(published, registrar):
    program_new_version(program=published, user=registrar)
    with pytest.raises(ValidationError, match="already has a newer version"):
        program_new_version(program=published, user=registrar)


def test_a_draft_is_edited_directly_not_versioned(registrar):
    with pytest.raises(ValidationError, match="still editable"):
        program_new_version(program=ProgramFactory(), user=registrar)
