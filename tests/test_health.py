import pytest

from config import health

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_authentication(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_is_503_and_names_the_failing_check(client, monkeypatch):
    monkeypatch.setattr(health, "CHECKS", {**health.CHECKS, "broker": lambda: True, "workers": lambda: False})
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "broker": True, "workers": False}


def test_readyz_is_200_when_database_broker_and_a_worker_answer(client, monkeypatch):
    monkeypatch.setattr(health, "CHECKS", {**health.CHECKS, "broker": lambda: True, "workers": lambda: True})
    assert client.get("/readyz").json() == {
        "status": "ready",
        "checks": {"database": True, "broker": True, "workers": True},
    }


def test_a_failing_check_counts_as_not_ready(client, monkeypatch):
    def broken():
        raise ConnectionError("refused")

    monkeypatch.setattr(health, "CHECKS", {"database": health._database, "broker": broken})
    assert client.get("/readyz").status_code == 503
