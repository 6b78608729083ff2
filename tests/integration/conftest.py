"""A real Redis-compatible server and real Celery worker processes, sharing the file-backed test database."""

import os
import time

import pytest
from celery import Celery

from config import celery_app, embedded_redis
from config.celery_workers import WorkersDidNotStart, start_workers, stop_processes


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    process, url = embedded_redis.start(tmp_path_factory.mktemp("redis"))
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def broker_app(redis_url):
    """A fresh Celery app on the real broker, current for the test: the tasks are shared tasks, so ``.delay()``
    sends through it. (Reconfiguring the project's app is not enough: an earlier test in the same process may
    have cached its producer pool on the in-memory test broker.)"""
    app = Celery("registry-integration", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(task_always_eager=False, broker_url=redis_url, result_backend=redis_url)
    app.set_current()
    yield app
    app.close()
    celery_app.set_current()


@pytest.fixture
def workers(transactional_db, redis_url, broker_app):
    """Two Celery worker processes (concurrency 1 each), so two workers can take the same task at once."""
    from django.db import connection

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TEST_WORKER_DATABASE": str(connection.settings_dict["NAME"]),
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    names = [f"w{index}-{os.getpid()}@localhost" for index in (1, 2)]
    try:
        processes = start_workers(names, broker_url=redis_url, env=env)
    except WorkersDidNotStart as error:
        pytest.fail(str(error))
    yield names
    stop_processes(processes)


def wait_for(predicate, timeout=60, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
