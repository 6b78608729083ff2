"""A known learner for guidance: results on two criteria, a goal of four ESCO skills, and programs that teach them.

skill        importance  demonstrated by (confirmed mapping)     learner's evidence
S-analysis   1.0         C-analysis   (criterion Analysis)       L3, passing level L2  -> met
S-comms      0.8         C-comms      (criterion Communication)  L1, passing level L2  -> below
S-viz        0.6         C-viz        (aligned to VIZ, BOTH)     none                  -> missing
S-law        0.4         nothing here teaches it                                       -> missing, not taught

COMMS teaches C-comms; VIZ teaches C-viz; BOTH teaches C-comms and C-viz but needs PREP first.
"""

from dataclasses import dataclass
from decimal import Decimal

from catalog.models import Program
from learners import services as learner_services
from learners.models import Enrolment
from tests.factories import (
    AlignmentFactory,
    CompetencyFactory,
    EnrolmentFactory,
    EscoSkillFactory,
    InstitutionFactory,
    LearnerFactory,
    ProgramFactory,
    confirm_mapping,
    goal_with_skills,
    levels_for,
    rubric_with_criteria,
)


@dataclass
class Known:
    learner: object
    goal: object
    skills: dict
    competencies: dict
    programs: dict
    assessed: object


def _program(code, institution, title, *, hours=40, cost="0", status=Program.Status.PUBLISHED):
    return ProgramFactory(
        code=code, title=title, institution=institution, effort_hours=hours, cost=Decimal(cost), status=status
    )


def known_learner(registrar) -> Known:
    institution = InstitutionFactory()
    skills = {name: EscoSkillFactory(name=name) for name in ("analysis", "communication", "visualisation", "law")}
    competencies = {name: CompetencyFactory(name=f"Own {name}") for name in ("analysis", "communication", "viz")}
    confirm_mapping(competencies["analysis"], skills["analysis"])
    confirm_mapping(competencies["communication"], skills["communication"])
    confirm_mapping(competencies["viz"], skills["visualisation"])

    assessed = _program("ASSESSED", institution, "Assessed Program")
    rubric = rubric_with_criteria(assessed, points=(0, 1, 2, 3), min_total=Decimal("0"))
    for criterion in rubric.criteria.all():
        criterion.min_level = criterion.levels.get(name="L2")
        criterion.save()
        criterion.competencies.set([competencies["analysis" if criterion.name == "Analysis" else "communication"]])

    programs = {
        "COMMS": _program("COMMS", institution, "Communicating Data", hours=20, cost="100"),
        "VIZ": _program("VIZ", institution, "Visualising Data", hours=30),
        "BOTH": _program("BOTH", institution, "Data Stories", hours=60),
        "PREP": _program("PREP", institution, "Preparing Data", hours=10),
    }
    AlignmentFactory(program=programs["COMMS"], competency=competencies["communication"])
    AlignmentFactory(program=programs["VIZ"], competency=competencies["viz"])
    AlignmentFactory(program=programs["BOTH"], competency=competencies["communication"])
    AlignmentFactory(program=programs["BOTH"], competency=competencies["viz"])
    programs["BOTH"].prerequisites.add(programs["PREP"])

    learner = LearnerFactory(institution=institution)
    enrolment = EnrolmentFactory(learner=learner, program=assessed)
    learner_services.attempt_record(
        enrolment=enrolment,
        assessor=registrar,
        levels=levels_for(assessed, Analysis=3, Communication=1),
        assessed_on=enrolment.enrolled_on,
        recorded_by=registrar,
        finalise=True,
    )
    goal = goal_with_skills(
        learner,
        [
            (skills["analysis"], 1.0),
            (skills["communication"], 0.8),
            (skills["visualisation"], 0.6),
            (skills["law"], 0.4),
        ],
    )
    return Known(learner, goal, skills, competencies, programs, assessed)


def complete(learner, program):
    return EnrolmentFactory(learner=learner, program=program, status=Enrolment.Status.COMPLETED)
