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
from partners import selectors, services
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


@pytest.fixture
def four_discoverable(discoverable, registrar, django_capture_on_commit_callbacks):
    """Four learners who opted into discovery, each with a discoverable credential."""
    learners = [discoverable.learner]
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            learner = record_pass(assessable_enrolment(), registrar).enrolment.learner
        services.talent_profile_set(learner=learner, discoverable=True)
        Award.objects.filter(learner=learner).update(sharing=Sharing.DISCOVERABLE)
        learners.append(learner)
    return learners


def _learners_in_order(client, organisation, learners, page_size):
    """The learners a partner's paging visits, in its order, following each ``next`` link."""
    by_pseudonym = {services.pseudonym(organisation, learner.pk): learner.pk for learner in learners}
    visited, url, query = [], TALENT, {"page_size": page_size}
    while url:
        page = client.get(url, query).json()
        visited += [by_pseudonym[result["id"]] for result in page["results"]]
        url, query = page["next"], None
    return visited


def test_two_partners_see_the_results_in_orders_of_their_own(
    four_discoverable, api, partner, other_partner, monkeypatch
):
    keys = {partner.pk: (1, 0), other_partner.pk: (selectors.TALENT_ORDER_PRIME - 1, 0)}  # ascending, descending
    monkeypatch.setattr(selectors, "talent_order_keys", lambda organisation: keys[organisation.pk])
    ours = _learners_in_order(api, partner, four_discoverable, page_size=10)
    theirs = _learners_in_order(_other(other_partner), other_partner, four_discoverable, page_size=10)
    ids = sorted(learner.pk for learner in four_discoverable)
    assert (ours, theirs) == (ids, ids[::-1])


def test_each_partner_has_order_keys_of_its_own(partner, other_partner):
    ours, theirs = selectors.talent_order_keys(partner), selectors.talent_order_keys(other_partner)
    prime = selectors.TALENT_ORDER_PRIME
    assert ours != theirs and all(0 < a < prime and 0 <= b < prime for a, b in (ours, theirs))


@pytest.mark.parametrize("page_size", [1, 3])
def test_each_partner_s_paging_visits_every_learner_once(four_discoverable, api, partner, other_partner, page_size):
    for client, organisation in ((api, partner), (_other(other_partner), other_partner)):
        visited = _learners_in_order(client, organisation, four_discoverable, page_size)
        assert sorted(visited) == sorted(learner.pk for learner in four_discoverable)


def test_another_partner_s_cursor_is_refused(four_discoverable, api, other_partner):
    next_page = api.get(TALENT, {"page_size": 1}).json()["next"]
    cursor = parse_qs(urlsplit(next_page).query)["cursor"][0]
    assert api.get(TALENT, {"page_size": 1, "cursor": cursor}).status_code == 200
    assert _other(other_partner).get(TALENT, {"page_size": 1, "cursor": cursor}).status_code == 404
