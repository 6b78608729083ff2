import datetime
import ipaddress

import pytest
from django.contrib.auth.models import Group

from awards import keys
from config.roles import PROGRAM_APPROVER, REGISTRAR
from learners import services as learner_services
from tests.factories import AlignmentFactory, UserFactory, assessable_enrolment, levels_for


@pytest.fixture(autouse=True)
def _default_language():
    """A request in French leaves French active in the thread (LocaleMiddleware does not reset it); the next test
    starts in the default language, as the next request of a real server would."""
    from django.utils import translation

    yield
    translation.deactivate()


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
    from config import outbound

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


@pytest.fixture
def signing_key(db):
    return keys.generate_key()


@pytest.fixture
def passed_attempt(registrar, signing_key, django_capture_on_commit_callbacks):
    """A finalised passing attempt whose award was issued (eagerly) through the normal event path."""
    enrolment = assessable_enrolment(program__validity_months=24)
    AlignmentFactory(program=enrolment.program)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = learner_services.attempt_record(
            enrolment=enrolment,
            assessor=registrar,
            levels=levels_for(enrolment.program, Analysis=3, Communication=2),
            assessed_on=datetime.date(2026, 11, 20),
            recorded_by=registrar,
            finalise=True,
            evidence=[learner_services.EvidenceSpec(title="Project", url="https://portfolio.example.org/p1")],
        )
    return attempt


@pytest.fixture
def award(passed_attempt):
    """The credential ``passed_attempt`` earned, its learner with an account (modules may define their own)."""
    from awards.models import Award
    from tests.factories import learner_user

    award = Award.objects.get()
    learner_user(award.learner)
    return award


@pytest.fixture
def retries_run_eagerly():
    """Eager retries re-apply the task; let them report failure instead of raising in the test."""
    from config import celery_app

    previous = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = previous
