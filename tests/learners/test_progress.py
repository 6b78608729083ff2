from decimal import Decimal

import pytest

from catalog.models import Program
from learners.models import Enrolment
from learners.selectors import learner_progress
from tests.factories import EnrolmentFactory, LearnerFactory, PathwayFactory, ProgramFactory, add_rule

pytestmark = pytest.mark.django_db


def _programs(count, prefix="P"):
    return [
        ProgramFactory(
            code=f"{prefix}-{i}", title=f"{prefix} {i}", status=Program.Status.PUBLISHED, credit_value=Decimal(2)
        )
        for i in range(count)
    ]


def _complete(learner, *programs):
    for program in programs:
        EnrolmentFactory(learner=learner, program=program, status=Enrolment.Status.COMPLETED)


@pytest.fixture
def catalog():
    core, electives, credits = _programs(2, "CORE"), _programs(3, "ELEC"), _programs(3, "CRED")
    certificate = PathwayFactory(name="Certificate", award__code="CERT")
    add_rule(certificate, "all_of", core, label="Core")
    add_rule(certificate, "n_of", electives, label="Electives", required_count=2)
    credit_path = PathwayFactory(name="Credit pathway", award__code="CREDITS")
    add_rule(credit_path, "min_credits", credits, label="Credits", min_credits=Decimal(4))
    diploma = PathwayFactory(name="Diploma", award__code="DIPLOMA")
    add_rule(diploma, "all_of", [certificate.award, credit_path.award], label="Certificates")
    PathwayFactory(name="Unrelated", award__code="OTHER")
    return {"core": core, "electives": electives, "credits": credits}


def _by_name(evaluations):
    return {evaluation.pathway.name: evaluation for evaluation in evaluations}


def test_learner_with_no_achievements_has_no_pathways(catalog):
    assert learner_progress(LearnerFactory()) == []


def test_lists_only_pathways_the_learner_has_started(catalog):
    learner = LearnerFactory()
    _complete(learner, catalog["core"][0])
    progress = _by_name(learner_progress(learner))
    assert set(progress) == {"Certificate"}
    assert progress["Certificate"].percent == 25  # core 1/2, electives 0/2


def test_n_of_m_rule_is_explained_in_words(catalog):
    learner = LearnerFactory()
    _complete(learner, *catalog["core"], catalog["electives"][0])
    certificate = _by_name(learner_progress(learner))["Certificate"]
    assert certificate.rules[0].satisfied
    assert certificate.rules[1].explanation == "Electives: 1 of 2 needed done; choose 1 more of: ELEC 1, ELEC 2."
    assert [p.code for p in certificate.suggested_programs] == ["ELEC-1", "ELEC-2"]


def test_min_credit_rule_counts_credits(catalog):
    learner = LearnerFactory()
    _complete(learner, catalog["credits"][0])
    credits = _by_name(learner_progress(learner))["Credit pathway"]
    assert (credits.satisfied, credits.percent) == (False, 50)
    assert "2 of 4 credits earned; 2 more from" in credits.rules[0].explanation


def test_satisfied_pathways_count_toward_nested_pathways(catalog):
    learner = LearnerFactory()
    _complete(learner, *catalog["core"], *catalog["electives"][:2], *catalog["credits"][:2])
    progress = _by_name(learner_progress(learner))
    assert progress["Certificate"].satisfied and progress["Credit pathway"].satisfied
    assert progress["Diploma"].satisfied
    assert progress["Diploma"].percent == 100


def test_nested_pathway_shows_as_started_when_one_inner_award_is_earned(catalog):
    learner = LearnerFactory()
    _complete(learner, *catalog["credits"][:2])
    diploma = _by_name(learner_progress(learner))["Diploma"]
    assert diploma.percent == 50
    assert (
        diploma.rules[0].explanation
        == "Certificates: 1 of 2 required done; still needed: " + diploma.rules[0].missing[0].title + "."
    )


def test_query_count_does_not_grow_with_pathways_or_programs(catalog, django_assert_num_queries):
    learner = LearnerFactory()
    _complete(learner, *catalog["core"])
    with django_assert_num_queries(4):
        learner_progress(learner)
    for index in range(5):
        extra = _programs(4, f"X{index}")
        add_rule(PathwayFactory(), "n_of", extra, required_count=2)
        _complete(learner, extra[0])
    with django_assert_num_queries(4):
        assert len(learner_progress(learner)) == 6
