"""Queue Celery tasks once the surrounding transaction commits."""

from django.db import transaction


def send_after_commit(task, *args):
    """Queue ``task`` with ``args`` once the transaction commits. Robust: a broker outage is logged, never raised
    into the request that committed; the work stays recorded in the database for a sweep to send again."""

    def send():  # a named function: Django logs a failed robust callback by its __qualname__ (a partial has none)
        task.delay(*args)

    transaction.on_commit(send, robust=True)
