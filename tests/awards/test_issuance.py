import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from awards import keys, services, tasks
from awards.models import Award, SigningKey
from awards.vc import jsonld
from tests.awards.helpers import credential_of, did_public_key, schema_errors
from tests.factories import assessable_enrolment, record_pass
from tests.vc import independent_verifier

pytestmark = pytest.mark.django_db


def test_passing_attempt_issues_one_signed_credential(passed_attempt):
    award = Award.objects.get()
    assert (award.status, award.learner, award.program) == (
        "issued",
        passed_attempt.enrolment.learner,
        passed_attempt.enrolment.program,
    )
    assert award.attempt == passed_attempt and award.signing_key.status == SigningKey.Status.ACTIVE


def test_credential_verifies_with_an_independent_verifier_and_the_published_key(passed_attempt, client):
    credential = credential_of(Award.objects.get())
    key = did_public_key(client, credential["proof"]["verificationMethod"])
    assert independent_verifier.verify(credential, key)


def test_credential_validates_against_the_1edtech_schema(passed_attempt):
    assert schema_errors(credential_of(Award.objects.get())) == []


def test_credential_expands_in_json_ld_safe_mode(passed_attempt):
    jsonld.expand_safe(credential_of(Award.objects.get()))


def test_credential_carries_rubric_results_alignments_and_evidence(passed_attempt):
    credential = credential_of(Award.objects.get())
    subject = credential["credentialSubject"]
    achievement = subject["achievement"]
    descriptions = {d["name"]: d for d in achievement["resultDescription"]}
    assert descriptions["Analysis"]["resultType"] == "RubricCriterionLevel"
    assert [level["name"] for level in descriptions["Analysis"]["rubricCriterionLevel"]] == ["L0", "L1", "L2", "L3"]
    achieved = {r["resultDescription"]: r.get("achievedLevel") for r in subject["result"]}
    analysis_l3 = next(lv["id"] for lv in descriptions["Analysis"]["rubricCriterionLevel"] if lv["name"] == "L3")
    assert achieved[descriptions["Analysis"]["id"]] == analysis_l3
    total = next(r for r in subject["result"] if r["resultDescription"] == descriptions["Weighted rubric total"]["id"])
    assert (total["value"], total["status"]) == ("5", "Completed")
    assert achievement["alignment"][0]["targetType"] == "ceasn:Competency"
    assert {"id": "https://portfolio.example.org/p1", "type": ["Evidence"], "name": "Project"} in credential["evidence"]
    assert subject["creditsEarned"] == 2.0 and achievement["achievementType"] == "MicroCredential"


def test_validity_period_sets_valid_until(passed_attempt):
    award = Award.objects.get()
    credential = credential_of(award)
    assert credential["validUntil"][:4] == str(award.valid_from.year + 2)
    assert award.valid_until.year == award.valid_from.year + 2


def test_learner_email_is_never_in_clear(passed_attempt):
    award = Award.objects.get()
    assert award.learner.email not in award.credential
    identifier = credential_of(award)["credentialSubject"]["identifier"][0]
    assert identifier["hashed"] is True and identifier["identityHash"].startswith("sha256$")


def test_running_the_task_again_changes_nothing(passed_attempt):
    award = Award.objects.get()
    before = award.credential
    result = tasks.issue_award.apply(args=[str(award.pk)]).get()
    assert result["issued_now"] is False
    assert Award.objects.get().credential == before


def test_requesting_the_same_award_twice_returns_the_first(passed_attempt):
    award = Award.objects.get()
    again, created = services.award_request(learner=award.learner, program=award.program)
    assert (again, created, Award.objects.count()) == (award, False, 1)


def test_signed_credential_cannot_be_changed(passed_attempt):
    award = Award.objects.get()
    award.credential = award.credential.replace("Analysis", "Analysing")
    with pytest.raises(ValidationError, match="immutable"):
        award.save()


def test_rolled_back_attempt_issues_nothing(registrar, signing_key):
    enrolment = assessable_enrolment()
    with pytest.raises(RuntimeError), transaction.atomic():
        record_pass(enrolment, registrar)
        raise RuntimeError("crash")
    assert not Award.objects.exists()


def test_permanent_failure_is_recorded_and_retry_issues(registrar, django_capture_on_commit_callbacks):
    enrolment = assessable_enrolment()
    with django_capture_on_commit_callbacks(execute=True):
        record_pass(enrolment, registrar)
    award = Award.objects.get()
    assert award.status == "failed" and "No active signing key" in award.error
    keys.generate_key()
    with django_capture_on_commit_callbacks(execute=True):
        services.award_retry(award=award, user=registrar)
    award.refresh_from_db()
    assert (award.status, award.error) == ("issued", "")


def _pending_award():
    """An award requested but not yet sent to a worker (its on-commit dispatch never runs in this test)."""
    enrolment = assessable_enrolment()
    award, _ = services.award_request(learner=enrolment.learner, program=enrolment.program, enrolment=enrolment)
    return award


def test_transient_errors_are_retried_until_they_succeed(signing_key, monkeypatch, retries_run_eagerly):
    from django.db import OperationalError

    award = _pending_award()
    real_issue, calls = services.award_issue, []

    def flaky(award_id):
        calls.append(award_id)
        if len(calls) < 3:
            raise OperationalError("database is locked")
        return real_issue(award_id)

    monkeypatch.setattr(services, "award_issue", flaky)
    tasks.issue_award.apply(args=[str(award.pk)])
    award.refresh_from_db()
    assert (len(calls), award.status) == (3, "issued")


def test_persistent_transient_errors_leave_the_award_visibly_failed(signing_key, monkeypatch, retries_run_eagerly):
    from django.db import OperationalError

    award = _pending_award()

    def always_locked(award_id):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "award_issue", always_locked)
    result = tasks.issue_award.apply(args=[str(award.pk)])
    assert result.failed()
    award.refresh_from_db()
    assert award.status == "failed" and award.error.startswith("Gave up after 6 retries")


def test_credential_json_is_stored_exactly_as_signed(passed_attempt):
    award = Award.objects.get()
    assert json.loads(award.credential)["proof"]["cryptosuite"] == "eddsa-rdfc-2022"


def test_the_recovery_command_requeues_lost_certificates_and_pending_awards(
    passed_attempt, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    issued = Award.objects.get()
    issued.certificate.delete(save=False)
    Award.objects.filter(pk=issued.pk).update(certificate="")  # the worker died mid-render
    pending = _pending_award()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("issue_pending_awards", "--older-than-minutes", "0", stdout=io.StringIO())
    issued.refresh_from_db()
    pending.refresh_from_db()
    assert issued.certificate and issued.certificate.storage.exists(issued.certificate.name)
    assert pending.status == "issued" and pending.certificate
