"""Rows for the registrar's lists: credentials made directly (no signing), enrolments and attempts."""

import datetime
import itertools

from django.utils import timezone

from awards.models import Award
from tests.factories import (
    EnrolmentFactory,
    LearnerFactory,
    ProgramFactory,
    assessable_enrolment,
    record_pass,
    results_recorded_without_awards,
)

_status_list_index = itertools.count(10_000)


def at(day):
    """Noon on ``day`` in the registry's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def credential(*, issued_on=datetime.date(2026, 11, 20), program=None, cohort="2026-autumn", **learner):
    """An issued credential of a new learner (``learner`` are LearnerFactory fields) in ``program``."""
    program = program or ProgramFactory(status="published")
    enrolment = EnrolmentFactory(
        program=program, learner=LearnerFactory(institution=program.institution, **learner), cohort=cohort
    )
    return Award.objects.create(
        learner=enrolment.learner,
        program=program,
        enrolment=enrolment,
        status=Award.Status.ISSUED,
        issued_at=at(issued_on),
        valid_from=at(issued_on),
        status_list_index=next(_status_list_index),
    )


def passed_attempt(registrar, **enrolment):
    """A finalised passing attempt on a new assessable enrolment (``enrolment`` are EnrolmentFactory fields),
    recorded without issuing its credential."""
    with results_recorded_without_awards():
        return record_pass(assessable_enrolment(**enrolment), registrar)
