import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learners import services
from tests.factories import UserFactory, assessable_enrolment, learner_user, levels_for

pytestmark = pytest.mark.django_db
# session, user, learner, surveys and follow-ups awaiting answers, enrolments, attempts + scores + evidence + the
# rubrics' criteria + their levels, earned programs + pathways + rules + programs, credentials recognised from other
# issuers, stored guidance, notices about credentials
DASHBOARD_QUERIES = 16
# Guidance worked out again (a new result discards the stored one): the learner's goals, recognised credentials,
# enrolments, pathway progress, candidate programs and what they teach, criterion results, and storing it.
GUIDANCE_QUERIES = 11


def _final_attempt(registrar, enrolment, evidence=()):
    return services.attempt_record(
        enrolment=enrolment,
        assessor=registrar,
        levels=levels_for(enrolment.program, Analysis=2, Communication=2),
        assessed_on=datetime.date(2026, 11, 20),
        recorded_by=registrar,
        finalise=True,
        evidence=evidence,
        feedback="Private feedback for this learner",
    )


@pytest.fixture
def two_learners(registrar):
    mine, theirs = assessable_enrolment(), assessable_enrolment()
    learner_user(mine.learner), learner_user(theirs.learner)
    spec = services.EvidenceSpec(title="Their report", file=SimpleUploadedFile("report.pdf", b"%PDF-1.4 secret"))
    return _final_attempt(registrar, mine), _final_attempt(registrar, theirs, evidence=[spec])


def test_dashboard_shows_own_results_only(client, two_learners):
    mine, theirs = two_learners
    client.force_login(mine.enrolment.learner.user)
    content = client.get(reverse("portal:dashboard")).content.decode()
    assert mine.enrolment.program.title in content
    assert theirs.enrolment.program.title not in content


def test_learner_cannot_open_another_learners_attempt(client, two_learners):
    mine, theirs = two_learners
    client.force_login(mine.enrolment.learner.user)
    assert client.get(reverse("portal:attempt-detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("portal:attempt-detail", args=[theirs.pk])).status_code == 404


def test_learner_cannot_download_another_learners_evidence(client, two_learners):
    mine, theirs = two_learners
    evidence = theirs.evidence.get()
    client.force_login(mine.enrolment.learner.user)
    assert client.get(reverse("portal:evidence-file", args=[evidence.pk])).status_code == 404
    client.force_login(theirs.enrolment.learner.user)
    response = client.get(reverse("portal:evidence-file", args=[evidence.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 secret"


def test_registry_staff_can_download_evidence(registrar_client, two_learners):
    evidence = two_learners[1].evidence.get()
    assert registrar_client.get(reverse("portal:evidence-file", args=[evidence.pk])).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client, two_learners):
    response = client.get(reverse("portal:attempt-detail", args=[two_learners[0].pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_user_without_learner_record_sees_an_explanation(client):
    client.force_login(UserFactory())
    assert "No learner record yet" in client.get(reverse("portal:dashboard")).content.decode()


def test_dashboard_query_count_is_constant(client, registrar, django_assert_num_queries):
    enrolment = assessable_enrolment()
    learner = learner_user(enrolment.learner)
    _final_attempt(registrar, enrolment)
    client.force_login(learner.user)

    with django_assert_num_queries(DASHBOARD_QUERIES + GUIDANCE_QUERIES):
        assert client.get(reverse("portal:dashboard")).status_code == 200
    for _ in range(4):
        _final_attempt(registrar, assessable_enrolment(learner=learner))
    with django_assert_num_queries(DASHBOARD_QUERIES + GUIDANCE_QUERIES):
        assert client.get(reverse("portal:dashboard")).status_code == 200
    with django_assert_num_queries(DASHBOARD_QUERIES):  # nothing changed: the stored guidance is shown
        assert client.get(reverse("portal:dashboard")).status_code == 200
