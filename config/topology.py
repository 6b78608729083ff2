"""The production topology as local processes: gunicorn, Celery workers per queue and beat, started with the
same commands as compose.yaml, for the integration tests and benchmarks that must exercise the real thing.
(Production starts those commands under its process manager or compose; never this module.)
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request

from .celery_workers import ROOT, stop_processes
from .embedded_redis import free_port


class DidNotStart(RuntimeError):
    pass


def start_gunicorn(env, *, workers=2, port=None, timeout=60.0):
    """gunicorn serving config.wsgi with ``workers`` processes; returns (process, base URL) once /healthz answers."""
    port = port or free_port()
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    process = subprocess.Popen([*command, "--log-level", "warning"], cwd=ROOT, env=env, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise DidNotStart(f"gunicorn exited with status {process.returncode}")
        try:  # our own gunicorn, on loopback
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=1) as response:  # noqa: S310  # nosec B310
                if response.status == 200:
                    return process, base_url
        except OSError:
            time.sleep(0.2)
    stop_processes([process])
    raise DidNotStart(f"gunicorn did not answer /healthz within {timeout:.0f} s")


def start_beat(env, schedule_file):
    """Celery beat, alone (production never embeds it in a worker: exactly one beat must run)."""
    command = [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=WARNING"]
    return subprocess.Popen([*command, "--schedule", str(schedule_file)], cwd=ROOT, env=env, start_new_session=True)


def kill_hard(process):
    """SIGKILL the process and every child it started (a worker's pool), as a crashed machine would."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
