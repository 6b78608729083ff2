#!/usr/bin/env python3
"""Set up and run the whole registry with demo data: Redis, a Celery worker and the web server.

python3 scripts/run.py            # then open http://127.0.0.1:8000/ ; Ctrl-C stops everything
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bootstrap import ROOT, reexec_in_venv  # noqa: E402

reexec_in_venv(["embedded-redis"])

sys.path.insert(0, str(ROOT))
from config import embedded_redis  # noqa: E402


def main():
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
        subprocess.run([*manage, "load_demo_data"], env=env, check=True)
        children.append(
            subprocess.Popen(
                # One development worker for every queue, with beat embedded (production runs them apart).
                [
                    *[sys.executable, "-m", "celery", "-A", "config", "worker", "--beat", "--loglevel=INFO"],
                    *["--concurrency=2", "-Q", "signing,certificates,notifications,maintenance"],
                    *["--schedule", str(ROOT / "var" / "celerybeat-schedule")],
                ],
                env=env,
            )
        )
        children.append(subprocess.Popen([*manage, "runserver", address, "--noreload"], env=env))
        print(f"\nRegistry running at http://{address}/  (admin: /admin/)  broker: {redis_url}\nCtrl-C stops it.\n")
        while all(child.poll() is None for child in children):
            time.sleep(1)
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


def _interrupt(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _interrupt)
    main()
