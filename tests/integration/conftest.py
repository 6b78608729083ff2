"""A real Redis-compatible server and real Celery worker processes, sharing the file-backed test database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery

from config import celery_app, embedded_redis

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    process, url = embedded_redis.start(tmp_path_factory.mktemp("redis"))
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def broker_app(redis_url):
    """Point this process's Celery app at the real broker (eager off) for the test, then restore it."""
    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "broker_url", "result_backend")}
    celery_app.close()
    celery_app.conf.update(task_always_eager=False, broker_url=redis_url, result_backend=redis_url)
    yield celery_app
    celery_app.close()
    celery_app.conf.update(saved)


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
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                name,
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=env,
        )
        for name in names
    ]
    pinger = Celery(broker=redis_url, backend=redis_url)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        replies = pinger.control.ping(destination=names, timeout=1) or []
        if len(replies) == len(names):
            break
    else:
        pytest.fail("Celery workers did not start within 60 s")
    yield names
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)
    pinger.close()


def wait_for(predicate, timeout=60, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
