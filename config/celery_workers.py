"""Real Celery worker processes for integration tests and benchmarks: start them, wait until each answers a
ping through the broker, stop them. (Production starts workers with its process manager, not this.)
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from celery import Celery

ROOT = Path(__file__).resolve().parent.parent


class WorkersDidNotStart(RuntimeError):
    pass


def start_workers(names, *, broker_url, env, queues=None, concurrency=1, timeout=120.0):
    """Start one worker per name (``name@host``), consuming ``queues`` (default: every kind of work), and return
    their processes once all reply to a ping."""
    from django.conf import settings

    queues = ",".join(queues or settings.REGISTRY_CELERY_QUEUES)
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork", "-Q", queues]
    command += [f"--concurrency={concurrency}", "--without-gossip", "--without-mingle", "--loglevel=WARNING"]
    # Each in its own session, so a test can kill a worker with its pool as a crash would (config.topology).
    processes = [subprocess.Popen([*command, "-n", name], cwd=ROOT, env=env, start_new_session=True) for name in names]
    pinger = Celery(broker=broker_url, set_as_current=False)  # never replace the caller's current app
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(pinger.control.ping(destination=list(names), timeout=1) or []) == len(names):
                return processes
            exited = [(name, p.returncode) for name, p in zip(names, processes, strict=True) if p.poll() is not None]
            if exited:  # a worker that died at start-up will never answer: say so now, not at the deadline
                stop_processes(processes)
                raise WorkersDidNotStart(f"Celery workers exited at start-up (name, exit code): {exited}")
        stop_processes(processes)
        raise WorkersDidNotStart(f"Celery workers {', '.join(names)} did not answer within {timeout:.0f} s")
    finally:
        pinger.close()


def stop_processes(processes, timeout=30):
    """SIGTERM each process's group (a worker and its pool), then SIGKILL any that outlive ``timeout``."""
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
