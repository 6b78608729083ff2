"""Guidance is computed in a constant number of queries, stored, and discarded when what it reads changes."""

import datetime

import pytest
from django.utils import timezone

from catalog.models import CompetencyMapping, Program
from guidance import services
from guidance.models import LearnerGuidance
from guidance.recommend import compute_guidance
from tests.factories import (
    AlignmentFactory,
    CompetencyFactory,
    EnrolmentFactory,
    EscoSkillFactory,
    PathwayFactory,
    add_rule,
    confirm_mapping,
    goal_with_skills,
    published_program,
)
from tests.guidance.dataset import complete

pytestmark = pytest.mark.django_db
# goals + their skills, mappings, recognised credentials, enrolments, completed alignments, pathway progress,
# candidate programs + their prerequisites, what they align to and assess, criterion results and their competencies
COMPUTE_QUERIES = 16


def _grow(known, size):
    """``size`` more goal skills, each mapped and taught by its own program, and as many completed programs."""
    for n in range(size):
        skill, competency = EscoSkillFactory(), CompetencyFactory()
        confirm_mapping(competency, skill)
        AlignmentFactory(program=published_program(), competency=competency)
        known.goal.skills.create(skill=skill, importance=0.3, source="matched")
        complete(known.learner, published_program(code=f"DONE-{size}-{n}"))
    goal_with_skills(known.learner, [(EscoSkillFactory(), 1.0)], title=f"goal {size}")


def test_computing_guidance_takes_the_same_queries_however_much_there_is(known, django_assert_num_queries):
    add_rule(PathwayFactory(), "all_of", [known.programs["PREP"], known.programs["VIZ"]])
    complete(known.learner, known.programs["PREP"])
    with django_assert_num_queries(COMPUTE_QUERIES):
        small = compute_guidance(known.learner)
    _grow(known, 12)
    add_rule(
        PathwayFactory(), "n_of", [known.programs["COMMS"], Program.objects.get(code="DONE-12-0")], required_count=1
    )
    with django_assert_num_queries(COMPUTE_QUERIES):
        large = compute_guidance(known.learner)
    assert len(large["goals"]) == 2 and len(large["goals"][0]["gaps"]) > len(small["goals"][0]["gaps"])
    assert small["nudges"] and large["nudges"]


def test_stored_guidance_is_served_in_one_query(known, django_assert_num_queries):
    first = services.guidance_for(known.learner)
    with django_assert_num_queries(1):
        assert services.guidance_for(known.learner) == first


def test_a_new_result_discards_the_learner_s_stored_guidance(known, registrar):
    from learners import services as learner_services
    from tests.factories import assessable_enrolment, levels_for

    services.guidance_for(known.learner)
    enrolment = assessable_enrolment(learner=known.learner)
    learner_services.attempt_record(
        enrolment=enrolment,
        assessor=registrar,
        levels=levels_for(enrolment.program, Analysis=3, Communication=3),
        assessed_on=datetime.date(2026, 11, 20),
        recorded_by=registrar,
        finalise=True,
    )
    assert not LearnerGuidance.objects.filter(learner=known.learner).exists()


def test_an_enrolment_change_discards_it(known):
    services.guidance_for(known.learner)
    EnrolmentFactory(learner=known.learner, program=known.programs["COMMS"])
    assert [p["code"] for p in services.guidance_for(known.learner)["programs"]][0] != "COMMS"


def test_another_learner_s_result_leaves_it_alone(known):
    from tests.factories import LearnerFactory

    services.guidance_for(known.learner)
    EnrolmentFactory(learner=LearnerFactory(), program=known.programs["COMMS"])
    assert LearnerGuidance.objects.filter(learner=known.learner).exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda known: Program.objects.get(pk=known.programs["COMMS"].pk).save(),
        lambda known: confirm_mapping(CompetencyFactory(), known.skills["law"]),
        lambda known: CompetencyMapping.objects.filter(skill=known.skills["analysis"]).delete(),
        lambda known: known.programs["VIZ"].prerequisites.add(known.programs["PREP"]),
        lambda known: AlignmentFactory(program=known.programs["VIZ"]),
    ],
    ids=["program saved", "mapping confirmed", "mapping deleted", "prerequisite added", "alignment added"],
)
def test_catalog_and_mapping_changes_discard_everyone_s_guidance(known, change):
    services.guidance_for(known.learner)
    change(known)
    assert not LearnerGuidance.objects.exists()


def test_guidance_older_than_the_maximum_age_is_computed_again(known, settings):
    services.guidance_for(known.learner)
    LearnerGuidance.objects.update(computed_at=timezone.now() - settings.GUIDANCE_CACHE_MAX_AGE, payload={})
    assert services.guidance_for(known.learner)["goals"]


def test_recognising_a_credential_from_another_issuer_discards_the_learner_s_guidance(known, registrar):
    from awards import transfer
    from awards.models import ForeignCredential

    brought = ForeignCredential.objects.create(
        learner=known.learner, document="{}", issuer_id="did:key:z6MkElsewhere", issuer_name="Elsewhere College",
        achievement_name="Data Visualisation", counts_as=known.programs["VIZ"],
    )  # fmt: skip
    services.guidance_for(known.learner)
    transfer.foreign_credential_decide(credential=brought, user=registrar, approve=True)
    assert not LearnerGuidance.objects.filter(learner=known.learner).exists()


def test_one_stored_guidance_is_served_in_each_reader_s_language(known):
    from django.utils import translation

    services.guidance_for(known.learner)
    with translation.override("fr"):
        french = services.guidance_for(known.learner)
    english = services.guidance_for(known.learner)
    assert LearnerGuidance.objects.count() == 1
    assert english["programs"][0]["reasons"][0] == "Closes 1 of 3 gaps for data analyst: communication."
    assert french["programs"][0]["reasons"][0] == "Comble 1 des 3 écarts pour data analyst : communication."
    assert french["goals"][0]["gaps"][-1]["evidence"] == "pas encore démontrée"
