#!/usr/bin/env python3
"""Set up and run the whole registry with demo data: Redis, a Celery worker and the web server.

python3 scripts/run.py            # then open http://127.0.0.1:8000/ ; Ctrl-C stops everything

The demo logins (and, from the first start, a partner API key) are printed again once the worker has done the
work the demo queued, below the e-mails it prints, and kept in var/demo-logins.txt.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bootstrap import ROOT, reexec_in_venv  # noqa: E402

DEMO_LOGINS = ROOT / "var" / "demo-logins.txt"
QUEUES = ("signing", "certificates", "notifications", "maintenance")
# The logins are printed by then even if the worker is still busy (a slow machine, a task retrying).
LOGINS_DEADLINE_SECONDS = 300


def main():
    from config import embedded_redis  # the project's packages are importable in the virtualenv only

    os.chdir(ROOT)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    address = env.get("RUN_ADDRESS", "127.0.0.1:8000")
    # Links, credential ids and the did:web issuer follow the address actually served.
    env.setdefault("REGISTRY_PUBLIC_URL", "http://" + address.replace("0.0.0.0", "localhost"))  # noqa: S104
    redis, redis_url = embedded_redis.start(ROOT / "var" / "redis", port=int(env.get("REDIS_PORT", 0)) or None)
    env.setdefault("REDIS_URL", redis_url)
    env.setdefault("CELERY_BROKER_URL", redis_url)
    children = [redis]
    try:
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--no-input"], env=env, check=True)
        # A previous run may have stopped mid-work: re-send its pending awards and lost certificate renders
        # (before the demo loader queues its own, so nothing is sent twice).
        subprocess.run([*manage, "issue_pending_awards", "--older-than-minutes", "0"], env=env, check=True)
        subprocess.run([*manage, "load_demo_data", "--summary-file", str(DEMO_LOGINS)], env=env, check=True)
        children.append(
            subprocess.Popen(
                # One development worker for every queue, with beat embedded (production runs them apart).
                [
                    *[sys.executable, "-m", "celery", "-A", "config", "worker", "--beat", "--loglevel=INFO"],
                    *["--concurrency=2", "-Q", ",".join(QUEUES)],
                    *["--schedule", str(ROOT / "var" / "celerybeat-schedule")],
                ],
                env=env,
            )
        )
        children.append(subprocess.Popen([*manage, "runserver", address, "--noreload"], env=env))
        print(f"\nRegistry starting at http://{address}/  broker: {redis_url}  (demo logins follow)\n")
        supervise(children, lambda: worker_settled(redis_url), lambda: print(logins_summary(address), flush=True))
        print("A service stopped unexpectedly; shutting down the rest.", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        for child in reversed(children):
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        print("Stopped.")


def supervise(children, settled, announce, *, deadline=LOGINS_DEADLINE_SECONDS, poll_seconds=1.0):
    """Wait while every child runs; ``announce`` once, when ``settled()`` first holds or ``deadline`` seconds on."""
    announce_by = time.monotonic() + deadline
    announced = False
    while all(child.poll() is None for child in children):
        if not announced and (time.monotonic() >= announce_by or settled()):
            announce()
            announced = True
        time.sleep(poll_seconds)


def worker_settled(redis_url):
    """A worker answers, nothing waits in its queues, and nothing it took is unfinished: the e-mails it prints
    for the demo's credentials are out. Kombu's Redis transport holds a delivered message in its "unacked" hash
    until the task acknowledges it (at the end: tasks ack late)."""
    import redis
    from celery import Celery

    broker = redis.Redis.from_url(redis_url)
    pinger = Celery(broker=redis_url, set_as_current=False)
    try:
        if any(broker.llen(queue) for queue in QUEUES) or broker.hlen("unacked"):
            return False
        return bool(pinger.control.ping(timeout=1))
    finally:
        pinger.close()
        broker.close()


def logins_summary(address):
    return (
        f"\nRegistry running at http://{address}/  (admin: /admin/). Demo logins (also in {DEMO_LOGINS}):\n"
        f"{DEMO_LOGINS.read_text()}Ctrl-C stops it.\n"
    )


def _interrupt(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    reexec_in_venv(["embedded-redis"])
    sys.path.insert(0, str(ROOT))
    signal.signal(signal.SIGTERM, _interrupt)
    main()
