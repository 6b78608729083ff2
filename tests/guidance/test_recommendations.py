import pytest

from catalog.models import Program
from guidance.recommend import compute_guidance as compute_facts
from guidance.wording import describe
from tests.factories import PathwayFactory, add_rule
from tests.guidance.dataset import complete


def _gaps(guidance):
    return [(gap["label"], gap["status"]) for gap in guidance["goals"][0]["gaps"]]


def compute_guidance(learner):
    return describe(compute_facts(learner))


def test_gaps_come_from_criterion_levels_ranked_by_importance(known):
    guidance = compute_guidance(known.learner)
    goal = guidance["goals"][0]
    assert _gaps(guidance) == [("communication", "below"), ("visualisation", "missing"), ("law", "missing")]
    assert [(s["label"], s["status"]) for s in goal["met_skills"]] == [("analysis", "met")]
    assert (goal["skills"], goal["met"], goal["not_taught"]) == (4, 1, 1)


def test_a_met_skill_names_the_criterion_and_level_that_show_it(known):
    met = compute_guidance(known.learner)["goals"][0]["met_skills"][0]
    assert met["evidence"] == "“Analysis” at L3 in Assessed Program"


def test_a_skill_assessed_below_the_passing_level_says_how_far_it_got(known):
    below = compute_guidance(known.learner)["goals"][0]["gaps"][0]
    assert below["evidence"] == "“Communication” reached L1"
    assert below["taught_by"] == ["ASSESSED", "BOTH", "COMMS"]


def test_a_corrected_result_replaces_the_superseded_one(known, registrar):
    from learners import services
    from tests.factories import levels_for

    attempt = known.assessed.enrolments.get().attempts.get()
    services.attempt_record(
        enrolment=attempt.enrolment,
        assessor=registrar,
        levels=levels_for(known.assessed, Analysis=3, Communication=2),
        assessed_on=attempt.assessed_on,
        recorded_by=registrar,
        finalise=True,
        supersedes=attempt,
        correction_reason="Marking error on Communication.",
    )
    assert ("communication", "below") not in _gaps(compute_guidance(known.learner))


def test_completing_an_aligned_program_demonstrates_its_skills(known):
    complete(known.learner, known.programs["VIZ"])
    guidance = compute_guidance(known.learner)
    assert _gaps(guidance) == [("communication", "below"), ("law", "missing")]
    assert {"label": "visualisation", "evidence": "completed Visualising Data"}.items() <= next(
        s for s in guidance["goals"][0]["met_skills"] if s["label"] == "visualisation"
    ).items()


def test_programs_are_ranked_by_the_gaps_they_close_and_say_why(known):
    programs = compute_guidance(known.learner)["programs"]
    # COMMS and ASSESSED close the same gap: the shorter one first. BOTH waits for its prerequisite.
    assert [p["code"] for p in programs] == ["COMMS", "ASSESSED", "VIZ"]
    assert programs[0]["reasons"] == [
        "Closes 1 of 3 gaps for data analyst: communication.",
        "20 hours, 100.00 EUR.",
    ]
    assert programs[2]["closes"] == ["visualisation"]


def test_a_program_failed_before_is_offered_again_saying_so(known):
    retake = next(p for p in compute_guidance(known.learner)["programs"] if p["code"] == "ASSESSED")
    assert "You attempted it before without passing; another attempt can close the gap." in retake["reasons"]


def test_a_program_whose_prerequisite_is_missing_waits_in_the_later_list(known):
    later = compute_guidance(known.learner)["later"]
    assert [p["code"] for p in later] == ["BOTH"]
    assert later[0]["needs"] == ["Preparing Data"]
    assert "First complete Preparing Data." in later[0]["reasons"]


def test_once_the_prerequisite_is_completed_the_program_leads_the_list(known):
    complete(known.learner, known.programs["PREP"])
    programs = compute_guidance(known.learner)["programs"]
    assert programs[0]["code"] == "BOTH"
    assert programs[0]["reasons"][0] == "Closes 2 of 3 gaps for data analyst: communication and visualisation."
    assert "Builds on Preparing Data." in programs[0]["reasons"]


@pytest.mark.parametrize("status", [Program.Status.DRAFT, Program.Status.APPROVED, Program.Status.RETIRED])
def test_programs_not_published_are_never_recommended(known, status):
    Program.objects.filter(pk=known.programs["COMMS"].pk).update(status=status)
    guidance = compute_guidance(known.learner)
    assert "COMMS" not in [p["code"] for p in guidance["programs"] + guidance["later"]]
    assert guidance["goals"][0]["gaps"][0]["taught_by"] == ["ASSESSED", "BOTH"]


def test_programs_the_learner_completed_or_follows_now_are_not_recommended(known):
    from tests.factories import EnrolmentFactory

    EnrolmentFactory(learner=known.learner, program=known.programs["COMMS"])
    complete(known.learner, known.programs["VIZ"])
    assert [p["code"] for p in compute_guidance(known.learner)["programs"]] == ["ASSESSED"]


def test_a_program_counting_toward_a_started_pathway_ranks_higher_and_says_so(known):
    pathway = PathwayFactory(name="Certificate in Data")
    add_rule(pathway, "all_of", [known.programs["PREP"], known.programs["VIZ"]])
    complete(known.learner, known.programs["PREP"])
    programs = {p["code"]: p for p in compute_guidance(known.learner)["programs"]}
    assert programs["VIZ"]["score"] == 1.1 > programs["COMMS"]["score"]  # 0.6 for its gap, 0.5 for the pathway
    assert "Counts toward your Certificate in Data (50% done)." in programs["VIZ"]["reasons"]


def test_a_learner_halfway_through_a_pathway_is_nudged_with_what_remains(known):
    pathway = PathwayFactory(name="Certificate in Data")
    add_rule(pathway, "all_of", [known.programs["PREP"], known.programs["VIZ"]], label="Core")
    complete(known.learner, known.programs["PREP"])
    nudge = compute_guidance(known.learner)["nudges"][0]
    assert nudge["text"] == "You are 50% of the way to Certificate in Data."
    assert nudge["still_needed"] == ["Core: 1 of 2 required done; still needed: Visualising Data."]


def test_a_pathway_barely_started_is_not_a_nudge(known):
    pathway = PathwayFactory()
    add_rule(pathway, "all_of", [known.programs["PREP"], known.programs["VIZ"], known.programs["COMMS"]])
    complete(known.learner, known.programs["PREP"])
    assert compute_guidance(known.learner)["nudges"] == []


def test_rejected_or_suggested_mappings_do_not_count(known):
    from catalog.models import CompetencyMapping

    CompetencyMapping.objects.filter(skill=known.skills["visualisation"]).update(status="suggested")
    gap = next(g for g in compute_guidance(known.learner)["goals"][0]["gaps"] if g["label"] == "visualisation")
    assert gap["taught_by"] == []


def _recognise(known, registrar, program):
    from awards import transfer
    from awards.models import ForeignCredential

    brought = ForeignCredential.objects.create(
        learner=known.learner, document="{}", issuer_id="did:key:z6MkElsewhere", issuer_name="Elsewhere College",
        achievement_name="Data Visualisation", counts_as=program,
    )  # fmt: skip
    return transfer.foreign_credential_decide(credential=brought, user=registrar, approve=True)


def test_a_credential_recognised_from_another_issuer_counts_as_completing_its_program(known, registrar):
    _recognise(known, registrar, known.programs["VIZ"])
    guidance = compute_guidance(known.learner)
    assert _gaps(guidance) == [("communication", "below"), ("law", "missing")]
    assert "VIZ" not in [p["code"] for p in guidance["programs"]]


def test_a_pathway_half_done_through_a_recognised_credential_is_a_nudge(known, registrar):
    add_rule(PathwayFactory(name="Certificate in Data"), "all_of", [known.programs["PREP"], known.programs["VIZ"]])
    _recognise(known, registrar, known.programs["VIZ"])
    assert compute_guidance(known.learner)["nudges"][0]["text"] == "You are 50% of the way to Certificate in Data."
