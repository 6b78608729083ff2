import ipaddress

import pytest
from django.contrib.auth.models import Group

from catalog.roles import PROGRAM_APPROVER, REGISTRAR
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()


def _is_ip_literal(host):
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@pytest.fixture(autouse=True)
def fake_dns(monkeypatch):
    """Tests never resolve real names: outbound fetches see only the addresses a test puts here."""
    from awards import outbound

    table = {}

    def resolve(host, port):
        if _is_ip_literal(host):
            return [host]  # as getaddrinfo does, without asking DNS
        if host not in table:
            raise outbound.FetchRefused(f"{host} is not in the test's DNS table")
        return list(table[host])

    monkeypatch.setattr(outbound, "resolve", resolve)
    return table


@pytest.fixture
def registrar(db):
    return UserFactory(username="registrar", groups=[REGISTRAR])


@pytest.fixture
def approver(db):
    return UserFactory(username="approver", groups=[PROGRAM_APPROVER])


@pytest.fixture
def registrar_client(client, registrar):
    client.force_login(registrar)
    return client


@pytest.fixture
def role_groups(db):
    return {group.name: group for group in Group.objects.all()}
