"""Two sessions at once: a race between threads, and rows held locked by another transaction."""

import threading
from contextlib import contextmanager

from django.db import connections, transaction


def race(action, runners=2):
    """Run ``action`` in ``runners`` threads released at the same instant; return what each returned or raised."""
    barrier, outcomes = threading.Barrier(runners), []

    def run():
        barrier.wait()
        try:
            outcomes.append(action())
        except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@contextmanager
def rows_locked_elsewhere(queryset):
    """Hold ``SELECT … FOR UPDATE`` on the queryset's rows in another session (thread) for the block's duration,
    as another worker or sweep would."""
    held, release = threading.Event(), threading.Event()

    def other_session():
        with transaction.atomic():
            list(queryset.select_for_update())
            held.set()
            release.wait(10)
        connections.close_all()

    thread = threading.Thread(target=other_session)
    thread.start()
    try:
        assert held.wait(10), "the other session did not take its locks"
        yield
    finally:
        release.set()
        thread.join()
