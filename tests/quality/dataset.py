"""A small known cohort for the outcome KPIs, with every edge the definitions care about."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from awards.models import Award
from catalog.models import Program
from learners import services as learner_services
from learners.models import Enrolment
from tests.factories import (
    AlignmentFactory,
    EnrolmentFactory,
    LearnerFactory,
    ProgramFactory,
    assessable_enrolment,
    levels_for,
    results_recorded_without_awards,
    rubric_with_criteria,
)


@dataclass
class Known:
    program: Program
    next_version: Program
    enrolments: dict
    awards: dict


def _sit(enrolment, registrar, on, supersedes=None, **points):
    return learner_services.attempt_record(
        enrolment=enrolment,
        assessor=registrar,
        levels=levels_for(enrolment.program, **points),
        assessed_on=on,
        recorded_by=registrar,
        finalise=True,
        supersedes=supersedes,
        correction_reason="Marking error" if supersedes else "",
    )


def known_cohort(registrar) -> Known:
    """Program P v1 (Analysis must reach L2; pass at 3 points in all), six enrolments:

    e1 passes at the first sitting (A3 C3) on 2026-11-20; e2 fails (A1 C1), then passes at a second sitting
    (A3 C2) on 2026-12-01; e3's first sitting (A1 C1) is corrected to a pass (A2 C2) on 2026-11-25; e4 withdrew;
    e5 is still enrolled; e6 (term 2027-spring, enrolled 2027-01-10) passes (A2 C2) on 2027-03-01.
    P v2 has one enrolment (2027-spring), not assessed. Awards: e1 issued, e2 issued and revoked, e3 issued
    and expired, e6 pending.
    """
    e1 = assessable_enrolment(enrolled_on=datetime.date(2026, 9, 1))
    program = e1.program
    AlignmentFactory(program=program)
    analysis = program.rubric.criteria.get(name="Analysis")
    analysis.min_level = analysis.levels.get(name="L2")
    analysis.save()

    def enrol(**kwargs):
        learner = LearnerFactory(institution=program.institution)
        kwargs.setdefault("enrolled_on", datetime.date(2026, 9, 1))
        return EnrolmentFactory(program=program, learner=learner, **kwargs)

    e2, e3, e4, e5 = enrol(), enrol(), enrol(), enrol()
    e6 = enrol(cohort="2027-spring", enrolled_on=datetime.date(2027, 1, 10))
    with results_recorded_without_awards():
        _sit(e1, registrar, datetime.date(2026, 11, 20), Analysis=3, Communication=3)
        _sit(e2, registrar, datetime.date(2026, 11, 20), Analysis=1, Communication=1)
        _sit(e2, registrar, datetime.date(2026, 12, 1), Analysis=3, Communication=2)
        first = _sit(e3, registrar, datetime.date(2026, 11, 20), Analysis=1, Communication=1)
        _sit(e3, registrar, datetime.date(2026, 11, 25), supersedes=first, Analysis=2, Communication=2)
        _sit(e6, registrar, datetime.date(2027, 3, 1), Analysis=2, Communication=2)
    learner_services.enrolment_withdraw(enrolment=e4, user=registrar)

    next_version = ProgramFactory(
        code=program.code, version=2, status=Program.Status.PUBLISHED, subject=program.subject,
        institution=program.institution,
    )  # fmt: skip
    rubric_with_criteria(next_version)
    EnrolmentFactory(
        program=next_version, learner=LearnerFactory(institution=program.institution), cohort="2027-spring"
    )

    now = timezone.now()
    awards = {}
    for index, (name, enrolment, extra) in enumerate(
        [
            ("e1", e1, {}),
            ("e2", e2, {"revoked_at": now}),
            ("e3", e3, {"valid_until": now - datetime.timedelta(days=1)}),
        ]
    ):
        awards[name] = Award.objects.create(
            learner=enrolment.learner, program=program, enrolment=enrolment, status=Award.Status.ISSUED,
            issued_at=now - datetime.timedelta(days=10), status_list_index=index + 1, **extra,
        )  # fmt: skip
    awards["e6"] = Award.objects.create(learner=e6.learner, program=program, enrolment=e6, status_list_index=9)
    names = ["e1", "e2", "e3", "e4", "e5", "e6"]
    enrolments = {name: Enrolment.objects.get(pk=e.pk) for name, e in zip(names, [e1, e2, e3, e4, e5, e6], strict=True)}
    return Known(program, next_version, enrolments, awards)
