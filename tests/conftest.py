import pytest
from django.contrib.auth.models import Group

from catalog.roles import PROGRAM_APPROVER, REGISTRAR
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()


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
