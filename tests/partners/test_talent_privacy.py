"""Talent search shows what a learner can do, never who they are: each partner knows a candidate by its own
pseudonym, and nothing in a result (credential ids, links, exact dates, cursors) identifies or links the learner
until they share."""

import base64
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from awards import credentials
from awards.models import Award
from learners.models import Sharing
from partners import services
from tests.factories import assessable_enrolment, record_pass
from tests.partners.conftest import key_for

pytestmark = pytest.mark.django_db
TALENT = "/api/v1/talent"


def _other(partner):
    _, secret = key_for(partner)
    return Client(HTTP_AUTHORIZATION=f"Api-Key {secret}")


def test_two_partners_see_different_ids_for_one_learner(discoverable, api, other_partner):
    ours = api.get(TALENT).json()["results"][0]["id"]
    theirs = _other(other_partner).get(TALENT).json()["results"][0]["id"]
    assert ours != theirs
    assert str(discoverable.learner.pk) not in (ours, theirs)


def test_a_partner_sees_the_same_id_on_every_search(discoverable, api):
    ids = {api.get(TALENT).json()["results"][0]["id"] for _ in range(3)}
    assert len(ids) == 1 and ids.pop().startswith("lrn_")


def test_search_results_carry_no_credential_id_link_or_name(discoverable, api):
    text = api.get(TALENT).content.decode()
    assert str(discoverable.pk) not in text and discoverable.pk.hex not in text
    assert credentials.credential_url(discoverable) not in text and "/credentials/" not in text
    assert discoverable.learner.legal_name not in text


def test_search_results_date_credentials_to_the_month(discoverable, api):
    credential = api.get(TALENT).json()["results"][0]["credentials"][0]
    assert re.fullmatch(r"\d{4}-\d{2}", credential["issued_month"])
    assert "issued_at" not in credential and "valid_until" not in credential


def test_the_next_page_cursor_carries_no_row_id(discoverable, api, registrar, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        second = record_pass(assessable_enrolment(), registrar).enrolment.learner
    services.talent_profile_set(learner=second, discoverable=True)
    Award.objects.filter(learner=second).update(sharing=Sharing.DISCOVERABLE)
    first_page = api.get(TALENT, {"page_size": 1}).json()
    cursor = parse_qs(urlsplit(first_page["next"]).query)["cursor"][0]
    decoded = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    for profile in (discoverable.learner.talent_profile, second.talent_profile):
        assert f"p={profile.pk}".encode() not in decoded
    second_page = api.get(first_page["next"]).json()
    ids = [first_page["results"][0]["id"], second_page["results"][0]["id"]]
    assert len(set(ids)) == 2


def test_a_cursor_that_was_not_issued_is_refused(discoverable, api):
    forged = base64.b64encode(b"p=0").decode()
    response = api.get(TALENT, {"cursor": forged})
    assert response.status_code == 404
