"""Pathways go through the programs' lifecycle: submitted, approved (recording their award and rules), published only
with their award and components published, sent back to review by an edit, withdrawn when their award is retired."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from catalog.models import Pathway, Program
from catalog.pathways import RuleSpec
from catalog.services import pathway_set_rules, pathway_transition, program_transition
from tests.factories import PathwayFactory, ProgramFactory, add_rule, published_program

pytestmark = pytest.mark.django_db
Status = Program.Status


@pytest.fixture
def draft_pathway():
    pathway = PathwayFactory(status=Status.DRAFT, is_published=False)
    add_rule(pathway, "all_of", [published_program(code="DATA-101"), published_program(code="DATA-102")])
    return pathway


def _approved(pathway, registrar, approver):
    pathway = pathway_transition(pathway=pathway, action="submit", user=registrar)
    return pathway_transition(pathway=pathway, action="approve", user=approver)


def test_a_pathway_goes_through_submit_approve_and_publish_recording_who(draft_pathway, registrar, approver):
    pathway = pathway_transition(
        pathway=_approved(draft_pathway, registrar, approver), action="publish", user=registrar
    )
    assert (pathway.status, pathway.is_published) == (Status.PUBLISHED, True)
    assert (pathway.submitted_by, pathway.approved_by, pathway.published_by) == (registrar, approver, registrar)
    assert Pathway.objects.published().get() == pathway


def test_a_registrar_cannot_approve_a_pathway(draft_pathway, registrar):
    pathway = pathway_transition(pathway=draft_pathway, action="submit", user=registrar)
    with pytest.raises(PermissionDenied):
        pathway_transition(pathway=pathway, action="approve", user=registrar)


def test_sending_a_pathway_back_needs_a_comment(draft_pathway, registrar, approver):
    pathway = pathway_transition(pathway=draft_pathway, action="submit", user=registrar)
    with pytest.raises(ValidationError, match="Say why"):
        pathway_transition(pathway=pathway, action="return_to_draft", user=approver)
    pathway = pathway_transition(pathway=pathway, action="return_to_draft", user=approver, comment="Add electives.")
    assert pathway.status == Status.DRAFT
    assert pathway.history.first().history_change_reason == "Add electives."


def test_a_pathway_is_not_published_while_its_award_is_a_draft(draft_pathway, registrar, approver):
    Program.objects.filter(pk=draft_pathway.award_id).update(status=Status.DRAFT)
    pathway = _approved(draft_pathway, registrar, approver)
    with pytest.raises(ValidationError, match="publish it first"):
        pathway_transition(pathway=pathway, action="publish", user=registrar)
    assert not Pathway.objects.get(pk=pathway.pk).is_published


def test_a_pathway_is_not_published_while_a_rule_names_a_program_with_no_published_version(
    draft_pathway, registrar, approver
):
    Program.objects.filter(code="DATA-102").update(status=Status.APPROVED)
    pathway = _approved(draft_pathway, registrar, approver)
    with pytest.raises(ValidationError, match="DATA-102, which has no published version"):
        pathway_transition(pathway=pathway, action="publish", user=registrar)


def test_a_rule_naming_an_older_version_does_not_stop_publishing(draft_pathway, registrar, approver):
    old = Program.objects.get(code="DATA-101")
    ProgramFactory(code="DATA-101", version=2, predecessor=old, status=Status.PUBLISHED)
    Program.objects.filter(pk=old.pk).update(status=Status.RETIRED)
    pathway = _approved(draft_pathway, registrar, approver)
    assert pathway_transition(pathway=pathway, action="publish", user=registrar).is_published


def test_changing_a_published_pathways_rules_sends_it_back_to_review_and_off_the_public_pages(
    draft_pathway, registrar, approver
):
    pathway = pathway_transition(
        pathway=_approved(draft_pathway, registrar, approver), action="publish", user=registrar
    )
    pathway_set_rules(
        pathway=pathway,
        rules=[RuleSpec(label="Core", kind="all_of", programs=(Program.objects.get(code="DATA-101"),))],
        user=registrar,
    )
    pathway.refresh_from_db()
    assert (pathway.status, pathway.is_published, pathway.submitted_by) == (Status.IN_REVIEW, False, registrar)


def test_renaming_a_published_pathway_keeps_it_published(draft_pathway, registrar, approver, client):
    pathway = pathway_transition(
        pathway=_approved(draft_pathway, registrar, approver), action="publish", user=registrar
    )
    client.force_login(registrar)
    url = reverse("admin:catalog_pathway_change", args=[pathway.pk])
    rule = pathway.rules.get()
    client.post(
        url,
        {
            "institution": pathway.institution_id, "name": "Renamed", "slug": pathway.slug, "description": "",
            "award": pathway.award_id, "credit_toward": "", "rules-TOTAL_FORMS": 1, "rules-INITIAL_FORMS": 1,
            "rules-MIN_NUM_FORMS": 0, "rules-MAX_NUM_FORMS": 1000, "rules-0-id": rule.pk, "rules-0-pathway": pathway.pk,
            "rules-0-order": 0, "rules-0-label": rule.label, "rules-0-label_translations": "{}",
            "rules-0-kind": rule.kind, "rules-0-required_count": "", "rules-0-min_credits": "",
            "rules-0-programs": list(rule.programs.values_list("pk", flat=True)),
        },
    )  # fmt: skip
    pathway.refresh_from_db()
    assert (pathway.name, pathway.status, pathway.is_published) == ("Renamed", Status.PUBLISHED, True)


def test_retiring_a_pathways_award_withdraws_the_pathway(draft_pathway, registrar, approver):
    pathway = pathway_transition(
        pathway=_approved(draft_pathway, registrar, approver), action="publish", user=registrar
    )
    program_transition(program=pathway.award, action="retire", user=registrar)
    pathway.refresh_from_db()
    assert (pathway.status, pathway.is_published) == (Status.DRAFT, False)
    assert pathway.award.decisions.get(action="retired").comment.endswith(f"incomplete: {pathway.name}.")


def test_the_lifecycle_buttons_move_a_pathway_and_say_what_comes_next(draft_pathway, registrar, client):
    client.force_login(registrar)
    response = client.post(
        reverse("admin:catalog_pathway_lifecycle", args=[draft_pathway.pk]), {"action": "submit"}, follow=True
    )
    draft_pathway.refresh_from_db()
    assert draft_pathway.status == Status.IN_REVIEW
    assert "Next: an approver approves it" in response.content.decode()


def test_the_rule_picker_offers_only_current_published_versions(draft_pathway, registrar, client):
    current = Program.objects.get(code="DATA-101")
    ProgramFactory(code="DRAFT-1", title="Data draft")
    client.force_login(registrar)
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "", "app_label": "catalog", "model_name": "pathwayrule", "field_name": "programs"},
    )
    offered = {int(result["id"]) for result in response.json()["results"]}
    assert current.pk in offered
    assert Program.objects.get(code="DRAFT-1").pk not in offered


def test_a_new_choice_of_a_draft_program_in_a_rule_is_refused_with_a_field_error(draft_pathway, registrar, client):
    draft = ProgramFactory(code="DRAFT-1")
    client.force_login(registrar)
    rule = draft_pathway.rules.get()
    response = client.post(
        reverse("admin:catalog_pathway_change", args=[draft_pathway.pk]),
        {
            "institution": draft_pathway.institution_id, "name": draft_pathway.name, "slug": draft_pathway.slug,
            "description": "", "award": draft_pathway.award_id, "credit_toward": "", "rules-TOTAL_FORMS": 1,
            "rules-INITIAL_FORMS": 1, "rules-MIN_NUM_FORMS": 0, "rules-MAX_NUM_FORMS": 1000, "rules-0-id": rule.pk,
            "rules-0-pathway": draft_pathway.pk, "rules-0-order": 0, "rules-0-label": rule.label,
            "rules-0-label_translations": "{}", "rules-0-kind": rule.kind, "rules-0-required_count": "",
            "rules-0-min_credits": "", "rules-0-programs": [*rule.programs.values_list("pk", flat=True), draft.pk],
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert f"{draft}: choose the current published version." in response.content.decode()
