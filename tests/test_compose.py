"""compose.yaml describes the production topology; Docker isn't available here, so it is checked statically:
the services exist, their commands are the project's, every queue has a worker, and health checks are set."""

import importlib
import shlex
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]


def test_the_topology_has_web_workers_beat_postgres_and_redis(compose):
    assert {"web", "worker-signing", "worker-certificates", "beat", "postgres", "redis"} <= set(compose)


def test_every_queue_has_a_worker_and_workers_consume_only_known_queues(compose):
    consumed = set()
    for service in compose.values():
        command = shlex.split(service.get("command", ""))
        if command[:4] == ["celery", "-A", "config", "worker"]:
            queues = command[command.index("-Q") + 1].split(",")
            assert set(queues) <= set(settings.REGISTRY_CELERY_QUEUES), queues
            consumed |= set(queues)
    assert consumed == set(settings.REGISTRY_CELERY_QUEUES)


def test_web_runs_the_projects_wsgi_application_with_gunicorn(compose):
    command = shlex.split(compose["web"]["command"])
    assert command[0] == "gunicorn"
    module, _, attribute = command[1].partition(":")
    assert hasattr(importlib.import_module(module), attribute or "application")


@pytest.mark.parametrize("name", ["web", "worker-signing", "worker-certificates", "postgres", "redis"])
def test_long_running_services_have_health_checks(compose, name):
    assert compose[name]["healthcheck"]["test"]


def test_redis_persists_its_queue(compose):
    assert "--appendonly yes" in compose["redis"]["command"]


def test_the_image_installs_the_project_and_runs_unprivileged():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-cache-dir ." in dockerfile and "USER registry" in dockerfile
