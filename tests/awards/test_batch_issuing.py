"""A cohort is issued in chunks: one task, one transaction and a fixed number of queries per chunk."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards import keys, services
from awards.models import Award
from tests.concurrency import rows_locked_elsewhere
from tests.factories import LearnerFactory, completed_cohort
from tests.vc import independent_verifier

pytestmark = pytest.mark.django_db


def _pending(registrar, size):
    """``size`` pending awards of one batch, not yet sent to a worker."""
    batch, _, _ = services.batch_issue(enrolments=completed_cohort(registrar, size), user=registrar)
    return [award.pk for award in batch.awards.all()]


def test_the_bulk_issue_sends_the_cohort_in_chunks(
    signing_key, registrar, monkeypatch, django_capture_on_commit_callbacks
):
    from awards import tasks

    sent = []
    monkeypatch.setattr(services, "ISSUE_CHUNK", 4)
    monkeypatch.setattr(tasks.issue_awards, "delay", sent.append)
    monkeypatch.setattr(tasks.issue_award, "delay", lambda award_id: pytest.fail("sent one by one"))
    with django_capture_on_commit_callbacks(execute=True):
        _pending(registrar, 10)
    assert [len(chunk) for chunk in sent] == [4, 4, 2]


def test_a_cohort_is_requested_with_the_same_queries_whatever_its_size(registrar):
    counts = []
    for size in (3, 12):
        cohort = completed_cohort(registrar, size, cohort=f"size-{size}")
        with CaptureQueriesContext(connection) as captured:
            _, requested, skipped = services.batch_issue(enrolments=cohort, user=registrar)
        assert (requested, skipped) == (size, 0)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_a_cohort_request_records_each_award_once_with_the_registrar_in_its_history(registrar):
    ids = _pending(registrar, 4)
    awards = Award.objects.filter(pk__in=ids)
    assert len({award.status_list_index for award in awards}) == 4
    for award in awards:
        assert award.attempt is not None and award.attempt.passed and award.enrolment_id
        assert [(h.history_type, h.history_user) for h in award.history.all()] == [("+", registrar)]


def test_a_cohort_request_skips_enrolments_already_awarded_or_not_completed(registrar):
    cohort = completed_cohort(registrar, 3)
    first, second, _ = cohort.order_by("pk")
    services.award_request(learner=first.learner, program=first.program)
    second.status = second.Status.IN_PROGRESS
    second.save()
    _, requested, skipped = services.batch_issue(enrolments=cohort, user=registrar)
    assert (requested, skipped) == (1, 2)
    assert Award.objects.filter(learner=first.learner).count() == 1


def test_an_award_that_loses_its_status_index_to_another_request_is_requested_again(registrar, monkeypatch):
    cohort = completed_cohort(registrar, 3)
    taken = services.award_request(learner=LearnerFactory(), program=cohort.first().program)[0].status_list_index
    free = services.free_status_list_indexes
    monkeypatch.setattr(services, "free_status_list_indexes", lambda count: [taken, *free(count)[1:]])
    batch, requested, _ = services.batch_issue(enrolments=cohort, user=registrar)
    assert requested == 3 and batch.awards.count() == 3
    assert taken not in set(batch.awards.values_list("status_list_index", flat=True))


def test_a_chunk_sends_its_certificates_in_one_message_that_fans_out_per_award(
    signing_key, registrar, monkeypatch, django_capture_on_commit_callbacks
):
    from awards import tasks

    chunks, renders = [], []
    ids = _pending(registrar, 3)
    monkeypatch.setattr(tasks.queue_certificates, "delay", chunks.append)
    monkeypatch.setattr(tasks.render_certificate, "delay", renders.append)
    with django_capture_on_commit_callbacks(execute=True):
        services.award_issue_batch(ids)
    assert len(chunks) == 1 and sorted(chunks[0]) == sorted(map(str, ids))
    assert renders == []
    tasks.queue_certificates.apply(args=[chunks[0]])
    assert sorted(renders) == sorted(map(str, ids))


def test_a_chunk_is_issued_with_the_same_queries_whatever_its_size(signing_key, registrar):
    small, large = _pending(registrar, 3), _pending(registrar, 12)
    counts = []
    for ids in (small, large):
        with CaptureQueriesContext(connection) as captured:
            assert len(services.award_issue_batch(ids)) == len(ids)
        counts.append(len(captured.captured_queries))
    # One history row insert per bulk statement; nothing grows with the number of awards.
    assert counts[0] == counts[1]


def test_chunk_issued_credentials_verify_independently_and_are_recorded_once(signing_key, registrar):
    ids = _pending(registrar, 5)
    services.award_issue_batch(ids)
    for award in Award.objects.filter(pk__in=ids):
        assert award.status == Award.Status.ISSUED and award.tries == 1
        assert award.history.filter(status=Award.Status.ISSUED).count() == 1
        assert independent_verifier.verify(json.loads(award.credential), signing_key.public_key_multibase)


def test_a_chunk_already_issued_is_not_issued_again(signing_key, registrar):
    ids = _pending(registrar, 3)
    services.award_issue_batch(ids)
    assert services.award_issue_batch(ids) == []
    assert Award.objects.get(pk=ids[0]).tries == 1


def test_a_chunk_with_a_bad_award_issues_the_others_one_by_one(
    signing_key, registrar, monkeypatch, retries_run_eagerly, django_capture_on_commit_callbacks
):
    from awards import credentials, tasks

    ids = _pending(registrar, 4)
    bad = Award.objects.get(pk=ids[2])
    real_build = credentials.build

    def build(award, **options):
        if award.pk == bad.pk:
            raise ValueError("the program's rubric is missing")
        return real_build(award, **options)

    monkeypatch.setattr(credentials, "build", build)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.issue_awards.apply(args=[[str(award_id) for award_id in ids]])
    statuses = dict(Award.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert statuses.pop(bad.pk) == Award.Status.FAILED
    assert set(statuses.values()) == {Award.Status.ISSUED}
    assert "rubric is missing" in Award.objects.get(pk=bad.pk).error


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SKIP LOCKED is a PostgreSQL feature")
def test_overlapping_chunks_skip_what_another_worker_is_issuing(registrar, monkeypatch):
    from awards import tasks

    monkeypatch.setattr(tasks.issue_awards, "delay", lambda ids: None)  # autocommit would issue them at once
    keys.generate_key()
    ids = _pending(registrar, 4)
    with rows_locked_elsewhere(Award.objects.filter(pk__in=ids[:2])):
        assert sorted(services.award_issue_batch(ids)) == sorted(ids[2:])  # no waiting for the held two


def test_a_chunk_of_two_programs_gives_each_credential_its_own_program_s_achievement(signing_key, registrar):
    from awards import credentials

    ids = _pending(registrar, 2) + _pending(registrar, 2)
    services.award_issue_batch(ids)
    for award in Award.objects.filter(pk__in=ids).select_related("program"):
        achievement = json.loads(award.credential)["credentialSubject"]["achievement"]
        assert achievement["id"] == credentials.achievement_id(award.program)
        assert achievement["humanCode"] == award.program.code
    assert Award.objects.filter(pk__in=ids).values("program").distinct().count() == 2
