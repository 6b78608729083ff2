"""Learners decide what partners see: shares (revocable, expiring, optionally for one partner), discovery,
pseudonymous ids, and a log of every read that the learner sees."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from awards.models import Award
from learners.models import Sharing
from partners import services
from partners.models import AccessLog, Share
from tests.factories import assessable_enrolment, learner_user, record_pass
from tests.partners.conftest import key_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder(award):
    client = Client()
    client.force_login(award.learner.user)
    return client


def _create_share(holder, award, **extra):
    data = {"label": "Acme application", "awards": [award.pk], **extra}
    response = holder.post("/me/shares/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Share.objects.latest("created_at")


def test_a_learner_shares_chosen_credentials_and_a_partner_reads_them(holder, award, api, partner):
    share = _create_share(holder, award)
    body = api.get(f"/api/v1/shares/{share.token}").json()
    assert body["holder"] == award.learner.legal_name
    assert [c["program"] for c in body["credentials"]] == [award.program.code]
    credential = body["credentials"][0]
    assert credential["signed_credential"]["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert {r["criterion"] for r in credential["rubric_results"]} == {"Analysis", "Communication"}
    assert api.get(f"/api/v1/shares/{share.code}").status_code == 200  # the short code works too


def test_revoking_a_share_makes_the_api_and_the_page_404_at_once(holder, award, api):
    share = _create_share(holder, award)
    assert Client().get(f"/shared/{share.token}/").status_code == 200
    holder.post(f"/me/shares/{share.pk}/revoke/")
    assert api.get(f"/api/v1/shares/{share.token}").status_code == 404
    assert Client().get(f"/shared/{share.token}/").status_code == 404


def test_an_expired_share_is_gone(award, api):
    share = services.share_create(learner=award.learner, label="x", awards=[award])
    Share.objects.filter(pk=share.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert api.get(f"/api/v1/shares/{share.token}").status_code == 404


def test_a_share_for_one_partner_is_not_readable_by_another(award, api, other_partner):
    share = services.share_create(learner=award.learner, label="x", awards=[award], partner=other_partner)
    assert api.get(f"/api/v1/shares/{share.token}").status_code == 404
    _, secret = key_for(other_partner)
    assert Client(HTTP_AUTHORIZATION=f"Api-Key {secret}").get(f"/api/v1/shares/{share.token}").status_code == 200


def test_a_learner_cannot_share_someone_elses_credential(award):
    from django.core.exceptions import ValidationError

    stranger = learner_user()
    with pytest.raises(ValidationError):
        services.share_create(learner=stranger, label="x", awards=[award])


def test_the_recruiter_page_shows_each_credential_with_its_live_verdict(award, registrar):
    share = services.share_create(learner=award.learner, label="x", awards=[award])
    from awards import services as award_services

    award_services.award_revoke(award=award, user=registrar, reason="x")
    page = Client().get(f"/shared/{share.token}/").content.decode()
    assert award.program.title in page and "Revoked" in page


def test_every_partner_read_is_in_the_learners_access_log(holder, award, api, partner):
    share = _create_share(holder, award)
    api.get(f"/api/v1/shares/{share.token}")
    Client().get(f"/shared/{share.token}/")
    entries = list(AccessLog.objects.filter(learner=award.learner).order_by("at"))
    assert [(e.organisation, e.key_name) for e in entries] == [(partner, "ATS"), (None, "")]
    page = holder.get("/me/shares/").content.decode()
    assert "Acme Hiring (ATS)" in page and "Someone with your link" in page


def test_talent_search_finds_only_discoverable_learners_and_credentials(discoverable, api, registrar):
    hidden_credential = record_pass(assessable_enrolment(learner=discoverable.learner), registrar)
    not_opted_in = record_pass(assessable_enrolment(), registrar)
    Award.objects.filter(enrolment=not_opted_in.enrolment).update(sharing=Sharing.DISCOVERABLE)
    results = api.get("/api/v1/talent").json()["results"]
    assert len(results) == 1
    assert [c["program"] for c in results[0]["credentials"]] == [discoverable.program.code]
    assert hidden_credential.enrolment.program.code not in json.dumps(results)


def test_talent_search_filters_by_competency_and_level(discoverable, api):
    code = discoverable.program.competencies.first().code
    assert len(api.get("/api/v1/talent", {"competency": code}).json()["results"]) == 1
    assert api.get("/api/v1/talent", {"competency": "NOPE"}).json()["results"] == []
    assert api.get("/api/v1/talent", {"min_level": 8}).json()["results"] == []
    assert api.get("/api/v1/talent", {"min_level": "x"}).status_code == 400


def test_turning_discovery_off_hides_the_learner(discoverable, api):
    services.talent_profile_set(learner=discoverable.learner, discoverable=False)
    assert api.get("/api/v1/talent").json()["results"] == []


def test_no_endpoint_reveals_an_email_a_student_number_or_a_non_sharing_learners_name(discoverable, api, registrar):
    private_one = record_pass(assessable_enrolment(), registrar).enrolment.learner
    share = services.share_create(learner=discoverable.learner, label="x", whole_record=True)
    outputs = [
        api.get("/api/v1/talent").content,
        api.get(f"/api/v1/shares/{share.token}").content,
        api.get(f"/api/v1/credentials/{discoverable.pk}/verification").content,
        api.get("/api/v1/programs").content,
        api.get("/api/v1/pathways").content,
        Client().get(f"/shared/{share.token}/").content,
    ]
    text = b"".join(outputs).decode()
    for secret in (
        discoverable.learner.email,
        discoverable.learner.student_id,
        private_one.email,
        private_one.student_id,
        private_one.legal_name,
    ):
        assert secret and secret not in text, secret


def test_a_share_names_only_the_pathways_completed(award, api, registrar, django_capture_on_commit_callbacks):
    from awards import services as award_services
    from catalog.models import Program
    from tests.factories import PathwayFactory, add_rule

    share = services.share_create(learner=award.learner, label="x", whole_record=True)
    assert api.get(f"/api/v1/shares/{share.token}").json()["pathways_completed"] == []  # a microcredential only
    pathway = PathwayFactory(name="Certificate in Testing", award__status=Program.Status.PUBLISHED)
    add_rule(pathway, "all_of", [award.program])
    with django_capture_on_commit_callbacks(execute=True):
        award_services.pathways_check([award.learner_id])
    body = api.get(f"/api/v1/shares/{share.token}").json()
    assert body["pathways_completed"] == ["Certificate in Testing"]
    assert len(body["credentials"]) == 2
