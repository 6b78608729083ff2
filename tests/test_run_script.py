"""scripts/run.py, the demo command: the logins come again once the worker has caught up, below its e-mails."""

import importlib.util
from pathlib import Path

import pytest

from config import embedded_redis

ROOT = Path(__file__).resolve().parent.parent


def _load_run_script():
    spec = importlib.util.spec_from_file_location("run_script", ROOT / "scripts" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # defines only: the script starts the registry under __main__
    return module


run = _load_run_script()


class Child:
    """A started service that runs for ``polls`` checks, then exits."""

    def __init__(self, polls):
        self.polls = polls

    def poll(self):
        self.polls -= 1
        return None if self.polls >= 0 else 1


def _supervise(settled_answers, **options):
    events, answers = [], iter(settled_answers)

    def settled():
        events.append("checked")
        return next(answers)

    run.supervise([Child(5), Child(9)], settled, lambda: events.append("announced"), poll_seconds=0, **options)
    return events


def test_the_logins_are_announced_once_when_the_worker_has_settled():
    assert _supervise([False, False, True]) == ["checked", "checked", "checked", "announced"]


def test_the_logins_are_announced_at_the_deadline_while_the_worker_is_still_busy():
    assert _supervise([], deadline=0) == ["announced"]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    process, url = embedded_redis.start(tmp_path_factory.mktemp("redis"))
    yield url
    process.terminate()
    process.wait(timeout=10)


def test_the_worker_has_not_settled_while_work_waits_or_is_unfinished(redis_url):
    import redis

    broker = redis.Redis.from_url(redis_url)
    broker.rpush("notifications", "an e-mail to send")
    assert not run.worker_settled(redis_url)
    broker.delete("notifications")
    broker.hset("unacked", "tag", "a task a worker took")
    assert not run.worker_settled(redis_url)
    broker.delete("unacked")
    assert not run.worker_settled(redis_url)  # nothing queued, but no worker answers either


def test_the_summary_shows_the_address_and_the_saved_logins(tmp_path, monkeypatch):
    logins = tmp_path / "demo-logins.txt"
    logins.write_text("  Learner            learner@demo.northbridge.example.edu / learner-demo\n")
    monkeypatch.setattr(run, "DEMO_LOGINS", logins)
    summary = run.logins_summary("127.0.0.1:8000")
    assert "http://127.0.0.1:8000/" in summary
    assert "learner@demo.northbridge.example.edu / learner-demo\nCtrl-C" in summary
    assert str(logins) in summary
