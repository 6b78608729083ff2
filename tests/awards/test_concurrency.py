"""Two requests racing to finalise the same attempt, or to request the same award, yield one award; issuances racing
through one issuer key stay within its quota."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from awards import keys, services
from awards.models import Award, VCAPIIssuance
from awards.vcapi import services as vcapi
from learners import services as learner_services
from tests.concurrency import race
from tests.factories import assessable_enrolment, levels_for, record_pass

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_registrars_finalising_the_same_attempt_yield_one_award(signing_key, registrar):
    enrolment = assessable_enrolment()
    attempt = record_pass(enrolment, registrar, finalise=False)
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


def test_four_issuances_at_once_through_a_key_with_two_left_sign_two(signing_key):
    api_key, _ = vcapi.issuer_api_key_create(name="LMS", expires_at=timezone.now() + timedelta(days=1), daily_quota=2)
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": keys.issuer_did(),
        "credentialSubject": {"id": "did:example:learner"},
    }
    outcomes = race(lambda: vcapi.issue(credential, {}, api_key=api_key), runners=4)
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["QuotaExceeded", "QuotaExceeded", "dict", "dict"]
    assert VCAPIIssuance.objects.count() == 2
