"""The production topology on PostgreSQL, started as local processes with compose.yaml's commands — gunicorn with
two workers, a signing worker, a certificates worker, beat and Redis — driven over HTTP, then broken on purpose:
a signing worker killed mid-cohort, Redis stopped while a result is finalised, database connections cut while
credentials are issued. Every time, each award is issued exactly once and every certificate exists.
"""

import os
import re
import threading
import time

import pytest
import requests
from django.db import connection

from awards import keys, services
from awards.models import Award
from config import embedded_redis, topology
from config.celery_workers import start_workers, stop_processes
from tests.factories import UserFactory, assessable_enrolment, completed_cohort, record_pass
from tests.integration.conftest import wait_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the production topology runs on PostgreSQL"),
]
PASSWORD = "correct-horse-battery"  # noqa: S105 - a test account


class RedisServer:
    """A Redis of this test's own, so it can be stopped and started again on the same port."""

    def __init__(self, folder):
        self.folder, self.port = folder, embedded_redis.free_port()
        self.start()

    def start(self):
        self.process, self.url = embedded_redis.start(self.folder, port=self.port)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path / "redis")
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server):
    """Overrides the session's Redis: the test's broker app (conftest ``broker_app``) sends through this one."""
    return redis_server.url


@pytest.fixture
def service_env(redis_url, broker_app):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TEST_WORKER_DATABASE": str(connection.settings_dict["NAME"]),
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        # Beat sweeps every 2 s for work unsent for 15 s, so a recovery shows within a test's patience.
        "REGISTRY_REDISPATCH_EVERY_SECONDS": "2",
        "REGISTRY_REDISPATCH_AFTER_SECONDS": "15",
    }


@pytest.fixture
def services_running(service_env, tmp_path):
    """One signing worker, one worker for certificates and housekeeping, and beat. Yields a dict of processes."""
    running = {}
    running["signing"] = _worker("signing", ["signing"], service_env)
    running["certificates"] = _worker("certificates", ["certificates", "notifications", "maintenance"], service_env)
    running["beat"] = topology.start_beat(service_env, tmp_path / "celerybeat-schedule")
    yield running
    stop_processes([process for process in running.values() if process.poll() is None])


def _worker(name, queues, env):
    return start_workers([f"{name}-{time.monotonic_ns()}@localhost"], broker_url=env["CELERY_BROKER_URL"],
                         env=env, queues=queues)[0]  # fmt: skip


def all_issued_with_certificates(count):
    issued = Award.objects.filter(status=Award.Status.ISSUED).exclude(certificate="")
    return Award.objects.count() == count and issued.count() == count


def assert_each_issued_exactly_once(count):
    awards = list(Award.objects.all())
    assert len(awards) == count
    assert all(award.status == Award.Status.ISSUED and award.tries == 1 for award in awards)
    for award in awards:
        assert award.history.filter(status=Award.Status.ISSUED).count() == 1
        assert award.certificate.storage.exists(award.certificate.name)
    assert len({award.certificate.name for award in awards}) == count


@pytest.fixture
def registrar_with_password(db):
    from allauth.account.models import EmailAddress

    user = UserFactory(username="registrar-topology", groups=["Registrar"])
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _csrf(session, base_url, path):
    page = session.get(base_url + path, timeout=30)
    page.raise_for_status()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def test_a_cohort_goes_through_gunicorn_the_admin_bulk_action_and_the_per_queue_workers(
    service_env, services_running, registrar_with_password
):
    keys.generate_key()
    cohort = completed_cohort(registrar_with_password, 30)
    web, base_url = topology.start_gunicorn(service_env, workers=2)
    try:
        session = requests.Session()
        login = {"login": registrar_with_password.email, "password": PASSWORD}
        token = _csrf(session, base_url, "/accounts/login/")
        session.post(f"{base_url}/accounts/login/", data={**login, "csrfmiddlewaretoken": token}, timeout=30)
        assert session.get(f"{base_url}/admin/", timeout=30).url == f"{base_url}/admin/"  # signed in
        token = _csrf(session, base_url, "/admin/learners/enrolment/")
        action = {
            "action": "issue_credentials",
            "_selected_action": [enrolment.pk for enrolment in cohort],
            "csrfmiddlewaretoken": token,
        }
        progress = session.post(f"{base_url}/admin/learners/enrolment/", data=action, timeout=60)
        assert progress.ok and "/progress/" in progress.url
        assert wait_for(lambda: all_issued_with_certificates(30), timeout=180)
        assert_each_issued_exactly_once(30)

        award = Award.objects.first()
        verification = requests.get(f"{base_url}/api/v1/credentials/{award.pk}/verification", timeout=30)
        assert verification.json()["verdict"] == "valid"
        assert requests.get(f"{base_url}/credentials/{award.pk}/", timeout=30).ok
        assert requests.get(f"{base_url}/readyz", timeout=30).json()["checks"]["workers"] is True
    finally:
        stop_processes([web])


def test_a_signing_worker_killed_mid_cohort_loses_and_duplicates_nothing(services_running, service_env, registrar):
    keys.generate_key()
    cohort = completed_cohort(registrar, 200)
    services.batch_issue(enrolments=cohort, user=registrar)
    assert wait_for(lambda: Award.objects.filter(status=Award.Status.ISSUED).count() >= 20, timeout=120)
    topology.kill_hard(services_running.pop("signing"))
    assert Award.objects.filter(status=Award.Status.PENDING).exists()  # killed with work still to do
    services_running["signing"] = _worker("signing-replacement", ["signing"], service_env)
    assert wait_for(lambda: all_issued_with_certificates(200), timeout=300)
    assert_each_issued_exactly_once(200)


def test_a_result_finalised_while_redis_is_down_is_issued_by_beat_once_redis_returns(
    services_running, redis_server, registrar
):
    keys.generate_key()
    enrolment = assessable_enrolment()
    redis_server.stop()
    record_pass(enrolment, registrar)  # the broker is down: the dispatch fails after commit, robustly
    award = Award.objects.get()
    assert award.status == Award.Status.PENDING
    assert enrolment.attempts.get().status == "final"
    redis_server.start()
    assert wait_for(lambda: all_issued_with_certificates(1), timeout=120)  # beat's sweep, no command run
    assert_each_issued_exactly_once(1)


def test_database_connections_cut_while_issuing_are_retried_and_leave_nothing_half_written(
    services_running, registrar, monkeypatch
):
    keys.generate_key()
    monkeypatch.setattr(services, "ISSUE_CHUNK", 5)  # many short transactions, so cuts land inside them
    cohort = completed_cohort(registrar, 60)
    stop_cutting = threading.Event()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        watcher = cursor.fetchone()[0]  # this test's own session, which keeps counting
    restarts = []

    def cut_connections():
        # What a PostgreSQL restart does to its clients: every worker's session is terminated mid-query. Three
        # such restarts, a second apart once the workers are busy.
        from django.db import connections

        while len(restarts) < 3 and not stop_cutting.wait(0.05):
            with connections["default"].cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), %s)",
                    [watcher],
                )
                if cursor.fetchall():
                    restarts.append(time.monotonic())
                    stop_cutting.wait(1)
        connections["default"].close()

    cutter = threading.Thread(target=cut_connections)
    cutter.start()
    try:
        services.batch_issue(enrolments=cohort, user=registrar)
        assert wait_for(lambda: all_issued_with_certificates(60), timeout=300)
    finally:
        stop_cutting.set()
        cutter.join()
    assert len(restarts) == 3, "the workers' sessions were not cut three times"
    assert not Award.objects.filter(status=Award.Status.FAILED).exists()
    assert_each_issued_exactly_once(60)
