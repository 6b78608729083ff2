"""Two requests racing to finalise the same attempt, or to request the same award, yield one award."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from awards import services
from awards.models import Award
from learners import services as learner_services
from tests.factories import assessable_enrolment, levels_for

pytestmark = pytest.mark.django_db(transaction=True)


def race(action, runners=2):
    """Run ``action`` in ``runners`` threads released at the same instant; return what each returned or raised."""
    barrier, outcomes = threading.Barrier(runners), []

    def run():
        barrier.wait()
        try:
            outcomes.append(action())
        except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_registrars_finalising_the_same_attempt_yield_one_award(signing_key, registrar):
    enrolment = assessable_enrolment()
    attempt = learner_services.attempt_record(
        enrolment=enrolment,
        assessor=registrar,
        levels=levels_for(enrolment.program, Analysis=3, Communication=3),
        assessed_on="2026-11-20",
        recorded_by=registrar,
    )
    outcomes = race(lambda: learner_services.attempt_finalise(attempt=attempt, user=registrar))
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["AssessmentAttempt", "ValidationError"]
    assert Award.objects.filter(learner=enrolment.learner).count() == 1
    assert Award.objects.get().status == Award.Status.ISSUED


def test_the_same_award_requested_four_times_at_once_is_created_once(signing_key):
    enrolment = assessable_enrolment()
    outcomes = race(
        lambda: services.award_request(learner=enrolment.learner, program=enrolment.program, enrolment=enrolment),
        runners=4,
    )
    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert sorted(created for _, created in outcomes) == [False, False, False, True]
    assert len({award.pk for award, _ in outcomes}) == 1
    assert Award.objects.count() == 1


def test_finalising_a_finalised_attempt_is_refused_with_a_clear_message(registrar):
    enrolment = assessable_enrolment()
    attempt = learner_services.attempt_record(
        enrolment=enrolment,
        assessor=registrar,
        levels=levels_for(enrolment.program, Analysis=1, Communication=1),
        assessed_on="2026-11-20",
        recorded_by=registrar,
        finalise=True,
    )
    with pytest.raises(ValidationError, match="already"):
        learner_services.attempt_finalise(attempt=attempt, user=registrar)
