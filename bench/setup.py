"""Shared start-up for benchmarks: a fresh, migrated database (SQLite under var/, or a throwaway PostgreSQL
cluster for the production-topology benchmarks) and the demo catalog."""

import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_with_fresh_database(name):
    sys.path.insert(0, str(ROOT))
    database = ROOT / "var" / f"bench-{name}.sqlite3"
    database.parent.mkdir(exist_ok=True)
    database.unlink(missing_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_DEBUG"] = "false"  # no per-query logging: measure what production does
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


@contextmanager
def django_with_postgres():
    """Django on a fresh throwaway PostgreSQL cluster (Debian's postgresql package), migrated; yields its URL."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import throwaway_postgres

    if throwaway_postgres.server_binaries() is None:
        raise SystemExit("This benchmark needs a PostgreSQL server (apt-get install postgresql).")
    with throwaway_postgres.running_cluster() as url:
        import psycopg

        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as server:
            server.execute("CREATE DATABASE registry")
        sys.path.insert(0, str(ROOT))
        os.environ.update(
            DJANGO_SETTINGS_MODULE="config.settings.local",
            DATABASE_URL=url,
            DJANGO_LOG_LEVEL=os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
            DJANGO_DEBUG="false",
        )
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        yield url


def demo_staff():
    from demo import catalog_data as demo
    from demo.management.commands.load_demo_data import DEMO_USERS, _demo_user

    registrar, approver, learner = (_demo_user(*row) for row in DEMO_USERS[:3])
    demo.load_catalog(registrar=registrar, approver=approver)
    return registrar, approver, learner


def assessed_learner(program, registrar, index=0, *, finalise=False, cohort=""):
    """A learner enrolled in ``program`` with a top-marks attempt (final when ``finalise``): (enrolment, attempt)."""
    import datetime

    from learners import services
    from learners.models import Learner

    levels = {c.pk: c.levels.order_by("-points").first().pk for c in program.rubric.criteria.all()}
    learner = Learner.objects.create(
        institution=program.institution,
        legal_name=f"Bench Learner {index}",
        display_name=f"Learner {index}",
        email=f"bench{index}@example.org",
    )
    enrolment = services.enrolment_create(learner=learner, program=program, cohort=cohort)
    attempt = services.attempt_record(
        enrolment=enrolment,
        assessor=registrar,
        levels=levels,
        assessed_on=datetime.date(2026, 11, 20),
        recorded_by=registrar,
        finalise=finalise,
    )
    return enrolment, attempt


@contextmanager
def timed(label, count, unit):
    """Print throughput and the number of SQL queries the block ran (counted, not logged)."""
    from django.db import connection

    queries = 0

    def counter(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        start, cpu_start = time.perf_counter(), time.process_time()
        yield
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    # CPU time too: on a shared virtual machine wall time swings with other tenants; CPU time is what a core did.
    print(
        f"{label}: {count} {unit} in {elapsed:.2f} s = {count / elapsed:.0f} {unit}/s "
        f"({count / cpu:.0f} per CPU second); {queries} queries ({queries / count:.1f} per {unit.rstrip('s')})"
    )
