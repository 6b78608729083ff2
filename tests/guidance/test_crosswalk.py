"""Suggesting ESCO skills for the institution's competencies, staff decisions, and confirmed skills in
credentials and the API."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from awards.models import Award
from catalog import services
from catalog.models import CompetencyMapping
from tests.awards.helpers import credential_of, did_public_key, schema_errors
from tests.factories import (
    AlignmentFactory,
    CompetencyFactory,
    EscoSkillFactory,
    UserFactory,
    assessable_enrolment,
    confirm_mapping,
    esco,
    published_program,
    record_pass,
)
from tests.vc import independent_verifier

pytestmark = pytest.mark.django_db


@pytest.fixture
def skills():
    return {
        name: EscoSkillFactory(name=name, description=description)
        for name, description in [
            ("data visualisation software", "Software to present data in charts, graphs and dashboards."),
            ("prepare visual data", "Prepare charts and graphs to present data visually."),
            ("roast malt", "Roast malt for brewing beer."),
            ("use SQL", "Write queries against relational databases."),
        ]
    }


def test_suggestions_rank_the_skills_closest_in_words(skills):
    competency = CompetencyFactory(name="Data visualisation", description="Presenting data in charts and dashboards.")
    added = services.suggest_mappings(competencies=[competency], framework=esco())
    ranked = list(competency.mappings.order_by("-similarity").values_list("skill__name", flat=True))
    assert added == len(ranked) == 2
    assert ranked == ["data visualisation software", "prepare visual data"]  # nothing about malt or SQL
    assert set(competency.mappings.values_list("status", flat=True)) == {"suggested"}


def test_decided_mappings_are_not_suggested_again(skills, registrar):
    competency = CompetencyFactory(name="Data visualisation", description="Presenting data in charts and dashboards.")
    services.suggest_mappings(competencies=[competency], framework=esco())
    services.decide_mappings(
        mappings=competency.mappings.filter(skill__name="prepare visual data"), status="rejected", user=registrar
    )
    assert services.suggest_mappings(competencies=[competency], framework=esco()) == 0
    assert competency.mappings.get(skill__name="prepare visual data").status == "rejected"


def test_a_decision_records_who_and_when_with_history(skills, registrar):
    mapping = CompetencyMapping.objects.create(competency=CompetencyFactory(), skill=skills["use SQL"])
    assert services.decide_mappings(mappings=CompetencyMapping.objects.all(), status="confirmed", user=registrar) == 1
    mapping.refresh_from_db()
    assert (mapping.status, mapping.decided_by) == ("confirmed", registrar) and mapping.decided_at
    assert list(mapping.history.values_list("status", flat=True)) == ["confirmed", "suggested"]


def test_deciding_needs_the_permission(skills):
    CompetencyMapping.objects.create(competency=CompetencyFactory(), skill=skills["use SQL"])
    with pytest.raises(PermissionDenied):
        services.decide_mappings(mappings=CompetencyMapping.objects.all(), status="confirmed", user=UserFactory())
    assert CompetencyMapping.objects.get().status == "suggested"


def test_the_registrar_suggests_and_confirms_in_the_admin(client, registrar, skills):
    competency = CompetencyFactory(name="Data visualisation", description="Presenting data in charts and dashboards.")
    client.force_login(registrar)
    response = client.post(
        reverse("admin:catalog_competency_changelist"),
        {"action": "suggest_skills", "_selected_action": [competency.pk]},
        follow=True,
    )
    assert "2 suggestions added" in response.content.decode()
    chosen = competency.mappings.get(skill__name="data visualisation software")
    client.post(
        reverse("admin:catalog_competencymapping_changelist"),
        {"action": "confirm", "_selected_action": [chosen.pk]},
    )
    chosen.refresh_from_db()
    assert (chosen.status, chosen.decided_by) == ("confirmed", registrar)


def test_the_program_approver_may_read_mappings_but_not_decide(client, approver, skills):
    mapping = CompetencyMapping.objects.create(competency=CompetencyFactory(), skill=skills["use SQL"])
    client.force_login(approver)
    response = client.post(
        reverse("admin:catalog_competencymapping_changelist"), {"action": "confirm", "_selected_action": [mapping.pk]}
    )
    assert response.status_code == 200  # the action is not offered: Django re-shows the list
    mapping.refresh_from_db()
    assert mapping.status == "suggested"


def test_a_credential_issued_after_confirmation_aligns_to_the_esco_skill(
    registrar, signing_key, skills, client, django_capture_on_commit_callbacks
):
    enrolment = assessable_enrolment()
    alignment = AlignmentFactory(program=enrolment.program)
    confirm_mapping(alignment.competency, skills["use SQL"])
    CompetencyMapping.objects.create(competency=alignment.competency, skill=skills["roast malt"])  # only suggested
    with django_capture_on_commit_callbacks(execute=True):
        record_pass(enrolment, registrar)
    credential = credential_of(Award.objects.get())
    alignments = credential["credentialSubject"]["achievement"]["alignment"]
    assert [a["targetName"] for a in alignments][:2] == [alignment.competency.name, "use SQL"]  # then the CTDL record
    assert alignments[1]["targetUrl"] == skills["use SQL"].target_url
    assert alignments[1]["targetFramework"] == "ESCO 1.2.0"
    assert schema_errors(credential) == []
    assert independent_verifier.verify(credential, did_public_key(client, credential["proof"]["verificationMethod"]))


def test_the_api_lists_a_competency_s_confirmed_matches(client, skills):
    program = published_program()
    for _ in range(3):
        competency = CompetencyFactory()
        AlignmentFactory(program=program, competency=competency)
        confirm_mapping(competency, skills["use SQL"])
    CompetencyMapping.objects.create(competency=competency, skill=skills["roast malt"])
    body = client.get(f"/api/v1/programs/{program.pk}").json()
    matches = [c["matches"] for c in body["competencies"]]
    assert matches == [[{"name": "use SQL", "target_url": skills["use SQL"].target_url, "framework": "ESCO"}]] * 3
