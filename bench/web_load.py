"""Benchmark: the web tier under load — gunicorn on PostgreSQL, a bounded load generator on loopback at 10 and 50
concurrent clients: requests/s, p50/p99 and SQL queries per request for the catalog list, a program page, a
public verification page and its JSON; then the catalog list with 100, 1,000 and 10,000 published programs.

.venv/bin/python bench/web_load.py [requests per measurement] [gunicorn workers]

The load generator shares the machine with the server (2 cores here), so the figures are a floor.
"""

import os
import statistics
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from setup import assessed_learner, demo_staff, django_with_postgres

CLIENTS = (10, 50)
CATALOG_SIZES = (100, 1000, 10000)


def seed_credential():
    from awards import keys, services
    from awards.models import Award
    from catalog.models import Program
    from learners.models import Sharing

    registrar, _, _ = demo_staff()
    keys.ensure_key()
    program = Program.objects.published().get(code="DATA-102")
    enrolment, _ = assessed_learner(program, registrar, finalise=True)
    learner = enrolment.learner
    award = Award.objects.get(learner=learner)
    services.award_issue(award.pk)  # in-process: nothing waits for a worker here
    Award.objects.filter(pk=award.pk).update(sharing=Sharing.LINK)  # the holder shared it: the page shows it all
    return program, award


def grow_catalog(total):
    """Published programs (copies of a demo program) until the catalog holds ``total``."""
    from catalog.models import Program

    template = Program.objects.published().first()
    have = Program.objects.published().count()
    fields = {
        field.attname: getattr(template, field.attname)
        for field in Program._meta.concrete_fields
        if field.attname not in ("id", "code", "slug", "title", "predecessor_id")
    }
    Program.objects.bulk_create(
        (
            Program(**fields, code=f"LOAD-{n:05d}", slug=f"load-{n:05d}", title=f"Load program {n:05d}")
            for n in range(have, total)
        ),
        batch_size=1000,
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def queries_for(path, accept="text/html"):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="localhost", HTTP_ACCEPT=accept)
    client.get(path)  # warm caches, as the server's are
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200, path
    return len(captured.captured_queries)


def fetch(url, accept):
    request = urllib.request.Request(url, headers={"Accept": accept})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our own server on loopback
        response.read()
        assert response.status == 200, response.status
    return time.perf_counter() - start


def load(url, accept, requests, clients):
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(lambda _: fetch(url, accept), range(clients)))  # connections and caches warm
        start = time.perf_counter()
        latencies = sorted(pool.map(lambda _: fetch(url, accept), range(requests)))
        elapsed = time.perf_counter() - start
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return (
        f"{requests / elapsed:6.1f} req/s, p50 {statistics.median(latencies) * 1000:5.0f} ms, p99 {p99 * 1000:5.0f} ms"
    )


def main(requests, workers):
    os.environ["CELERY_BROKER_URL"] = "memory://"
    with django_with_postgres():
        from config import topology
        from config.celery_workers import stop_processes

        program, award = seed_credential()
        grow_catalog(CATALOG_SIZES[0])
        env = {**os.environ, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost"}
        web, base = topology.start_gunicorn(env, workers=workers)
        try:
            pages = [
                ("catalog list", "/", "text/html"),
                ("program page", f"/programs/{program.slug}/", "text/html"),
                ("verification page", f"/credentials/{award.pk}/", "text/html"),
                ("verification JSON", f"/credentials/{award.pk}/", "application/ld+json"),
            ]
            print(f"gunicorn with {workers} workers on PostgreSQL, {requests} requests per line", flush=True)
            for clients in CLIENTS:
                for label, path, accept in pages:
                    queries = queries_for(path, accept)
                    result = load(base + path, accept, requests, clients)
                    print(f"  {clients:2d} clients  {label:<18} {result}, {queries} queries", flush=True)
            for size in CATALOG_SIZES:
                grow_catalog(size)
                result = load(base + "/", "text/html", requests, CLIENTS[0])
                deep = load(base + "/?page=50", "text/html", requests // 4, CLIENTS[0])
                print(
                    f"  catalog of {size:5d} programs, {CLIENTS[0]} clients: first page {result}; "
                    f"page 50 {deep}; {queries_for('/')} queries",
                    flush=True,
                )
        finally:
            stop_processes([web])


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500, int(sys.argv[2]) if len(sys.argv) > 2 else 4)
