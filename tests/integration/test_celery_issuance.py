"""Issuance through a real Redis broker and real Celery workers."""

import datetime
import json

import pytest

from awards import keys, services
from awards.models import Award
from awards.tasks import issue_award
from learners import services as learner_services
from tests.factories import LearnerFactory, RubricFactory, UserFactory, assessable_enrolment, record_pass
from tests.integration.conftest import wait_for
from tests.vc import independent_verifier

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _registrar():
    return UserFactory(username="registrar-it", groups=["Registrar"])


def test_finalised_attempt_is_issued_by_a_real_worker(workers):
    signing_key = keys.generate_key()
    registrar = _registrar()
    enrolment = assessable_enrolment()
    record_pass(enrolment, registrar)  # commits: the on-commit hook sends the task to Redis
    assert wait_for(lambda: Award.objects.filter(status=Award.Status.ISSUED).exists())
    award = Award.objects.get()
    credential = json.loads(award.credential)
    assert independent_verifier.verify(credential, signing_key.public_key_multibase)


def test_duplicate_deliveries_on_two_workers_issue_exactly_once(workers):
    keys.generate_key()
    enrolment = assessable_enrolment()
    award, _ = services.award_request(learner=enrolment.learner, program=enrolment.program, enrolment=enrolment)
    # The request already queued one task; deliver the same task nine more times, to both workers at once.
    results = [issue_award.delay(str(award.pk)) for _ in range(9)]
    outcomes = [result.get(timeout=60) for result in results]
    assert wait_for(lambda: Award.objects.get(pk=award.pk).status == Award.Status.ISSUED)
    award.refresh_from_db()
    assert sum(outcome["issued_now"] for outcome in outcomes) <= 1
    assert award.tries == 1
    assert award.history.filter(status=Award.Status.ISSUED).count() == 1
    assert Award.objects.count() == 1


def test_a_cohort_is_issued_by_the_workers(workers):
    keys.generate_key()
    registrar = _registrar()
    program = RubricFactory().program
    program.status = "published"
    program.save()
    from tests.factories import CriterionFactory, EnrolmentFactory, LevelFactory

    criterion = CriterionFactory(rubric=program.rubric, name="Work")
    top = LevelFactory(criterion=criterion, name="Good", points=5)
    enrolments = [
        EnrolmentFactory(program=program, learner=LearnerFactory(institution=program.institution)) for _ in range(12)
    ]
    for enrolment in enrolments:
        learner_services.attempt_record(
            enrolment=enrolment,
            assessor=registrar,
            levels={criterion.pk: top.pk},
            assessed_on=datetime.date(2026, 11, 20),
            recorded_by=registrar,
            finalise=True,
        )
    assert wait_for(lambda: Award.objects.filter(status=Award.Status.ISSUED).count() == 12, timeout=120)
    assert not Award.objects.exclude(status=Award.Status.ISSUED).exists()


def test_readyz_reports_ready_with_a_real_broker_and_workers(workers, client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"] == {"database": True, "broker": True, "workers": True}
