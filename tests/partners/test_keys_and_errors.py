"""Partner keys (hashed, scoped, expiring, revocable), throttling and the RFC 9457 error shape."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from partners.models import PartnerAPIKey
from tests.partners.conftest import key_for

pytestmark = pytest.mark.django_db
TALENT = "/api/v1/talent"


def _client(secret):
    return Client(HTTP_AUTHORIZATION=f"Api-Key {secret}")


def test_a_key_is_stored_hashed_and_works(partner):
    key, secret = key_for(partner)
    assert secret not in key.hashed_key and key.prefix == secret.split(".")[0]
    assert _client(secret).get(TALENT).status_code == 200
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_revoked_expired_and_unknown_keys_are_rejected_with_401(partner):
    revoked, revoked_secret = key_for(partner)
    PartnerAPIKey.objects.filter(pk=revoked.pk).update(revoked=True)
    _, expired_secret = key_for(partner, expires_at=timezone.now() - datetime.timedelta(minutes=1))
    for secret in (revoked_secret, expired_secret, "abcdefgh.not-a-real-key"):
        response = _client(secret).get(TALENT)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Api-Key"


def test_an_inactive_partners_keys_stop_working(partner):
    _, secret = key_for(partner)
    partner.is_active = False
    partner.save()
    assert _client(secret).get(TALENT).status_code == 401


def test_scopes_are_enforced(partner):
    _, secret = key_for(partner, scopes=["catalog"])
    response = _client(secret).get(TALENT)
    assert response.status_code == 403
    assert response.json()["detail"] == "This needs an API key with the “talent” scope."


def test_learner_data_needs_a_key(client):
    response = client.get(TALENT)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail"} and body["status"] == 401


def test_a_key_over_its_rate_gets_429_with_retry_after(partner):
    _, secret = key_for(partner, rate_per_minute=2)
    client = _client(secret)
    assert [client.get("/api/v1/programs").status_code for _ in range(3)] == [200, 200, 429]
    response = client.get("/api/v1/programs")
    assert int(response["Retry-After"]) > 0
    assert response.json()["title"] == "Too many requests" and response.json()["retry_after"] > 0


def test_anonymous_clients_are_throttled_per_ip(client, monkeypatch):
    from config.api import AnonymousRateThrottle

    monkeypatch.setattr(AnonymousRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    statuses = [client.get("/api/v1/programs", REMOTE_ADDR="203.0.113.9").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get("/api/v1/programs", REMOTE_ADDR="203.0.113.10").status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_every_write_on_a_read_only_resource_is_405(api, method):
    for url in ("/api/v1/programs", "/api/v1/talent", "/api/v1/shares/ABCD-EFGH"):
        response = getattr(api, method)(url, data={}, content_type="application/json")
        assert response.status_code == 405, url
        assert response.json()["status"] == 405


def test_not_found_is_a_problem_document(api):
    response = api.get("/api/v1/programs/999999")
    assert response.status_code == 404
    assert response.json()["type"].endswith("/not-found")


def test_bad_input_lists_field_errors(api):
    response = api.post("/api/v1/verifications", data={}, content_type="application/json")
    assert response.status_code == 400
    assert "credentials" in response.json()["errors"]


def test_staff_create_a_key_in_the_admin_and_see_it_once(registrar_client, partner):
    response = registrar_client.post(
        "/admin/partners/partnerapikey/add/",
        {
            "organisation": partner.pk,
            "name": "Workday",
            "scope_choices": ["verify", "talent"],
            "rate_per_minute": 60,
            "daily_quota": 1000,
            "max_batch": 50,
        },
        follow=True,
    )
    key = PartnerAPIKey.objects.get(name="Workday")
    assert key.scope_set == {"verify", "talent"}
    message = next(str(m) for m in response.context["messages"] if "copy it now" in str(m))
    secret = message.split("is: ")[1].split(" ")[0]
    assert PartnerAPIKey.objects.get_from_key(secret) == key
    assert secret not in registrar_client.get(f"/admin/partners/partnerapikey/{key.pk}/change/").content.decode()


def test_the_admin_add_form_keeps_the_batch_limit(registrar_client, partner):
    registrar_client.post(
        "/admin/partners/partnerapikey/add/",
        {
            "organisation": partner.pk,
            "name": "Greenhouse",
            "scope_choices": ["verify"],
            "rate_per_minute": 60,
            "daily_quota": 1000,
            "max_batch": 7,
        },
    )
    assert PartnerAPIKey.objects.get(name="Greenhouse").max_batch == 7


def test_talent_search_queries_do_not_grow_with_the_page(
    api, registrar, signing_key, django_capture_on_commit_callbacks, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from awards.models import Award
    from learners.models import Sharing
    from partners import services
    from tests.factories import assessable_enrolment, record_pass

    for _ in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            learner = record_pass(assessable_enrolment(), registrar).enrolment.learner
        services.talent_profile_set(learner=learner, discoverable=True)
    Award.objects.update(sharing=Sharing.DISCOVERABLE)
    api.get(TALENT, {"page_size": 1})
    with CaptureQueriesContext(connection) as small:
        assert len(api.get(TALENT, {"page_size": 1}).json()["results"]) == 1
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(api.get(TALENT, {"page_size": 4}).json()["results"]) == 4


def test_a_key_over_its_daily_quota_gets_429(partner):
    _, secret = key_for(partner, daily_quota=2)
    client = _client(secret)
    assert [client.get("/api/v1/programs").status_code for _ in range(3)] == [200, 200, 429]


def test_refused_requests_do_not_count_toward_the_daily_quota(partner):
    _, secret = key_for(partner, daily_quota=2)
    client = _client(secret)
    refused = [
        client.post("/api/v1/verifications", {}, content_type="application/json"),  # 400
        client.post("/api/v1/verifications", "x", content_type="text/plain"),  # 415
        client.delete("/api/v1/programs"),  # 405
        client.get("/api/v1/talent", {"min_level": "x"}),  # 400
    ]
    assert [r.status_code for r in refused] == [400, 415, 405, 400]
    assert [client.get("/api/v1/programs").status_code for _ in range(3)] == [200, 200, 429]


def test_requests_over_the_rate_do_not_count_toward_the_daily_quota(partner, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    clock = [1_000_000.0]
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: clock[0])
    _, secret = key_for(partner, rate_per_minute=1, daily_quota=2)
    client = _client(secret)
    assert [client.get("/api/v1/programs").status_code for _ in range(3)] == [200, 429, 429]
    clock[0] += 61
    assert [client.get("/api/v1/programs").status_code for _ in range(2)] == [200, 429]
    clock[0] += 61
    assert client.get("/api/v1/programs").status_code == 429  # the day's two answered requests are spent


def test_not_found_answers_count_toward_the_daily_quota(partner):
    _, secret = key_for(partner, daily_quota=2)
    client = _client(secret)
    assert [client.get(f"/api/v1/shares/NOPE-{n:04}").status_code for n in range(2)] == [404, 404]
    assert client.get("/api/v1/programs").status_code == 429
