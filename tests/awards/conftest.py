import datetime

import pytest

from awards import keys
from learners import services as learner_services
from tests.factories import AlignmentFactory, assessable_enrolment, levels_for


@pytest.fixture
def signing_key(db):
    return keys.generate_key()


@pytest.fixture
def passed_attempt(registrar, signing_key, django_capture_on_commit_callbacks):
    """A finalised passing attempt whose award was issued (eagerly) through the normal event path."""
    enrolment = assessable_enrolment(program__validity_months=24)
    AlignmentFactory(program=enrolment.program)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = learner_services.attempt_record(
            enrolment=enrolment,
            assessor=registrar,
            levels=levels_for(enrolment.program, Analysis=3, Communication=2),
            assessed_on=datetime.date(2026, 11, 20),
            recorded_by=registrar,
            finalise=True,
            evidence=[learner_services.EvidenceSpec(title="Project", url="https://portfolio.example.org/p1")],
        )
    return attempt
