"""Benchmark: the partner API served on loopback — requests/s, p50/p99 and SQL queries per request for the
program list, one credential's verification and a 100-credential batch verification.

.venv/bin/python bench/partner_api.py [requests] [concurrency]

The server is Django's threaded development server here (gunicorn is the production server); the load
generator is bounded in requests and sends to 127.0.0.1 only.
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from setup import ROOT, assessed_learner, demo_staff, django_with_fresh_database


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _seed():
    """The demo catalog, 100 issued credentials and a partner key with high limits."""
    from awards import keys, services
    from awards.models import Award
    from catalog.models import Program
    from partners.models import PartnerOrganisation
    from partners.services import api_key_create

    registrar, _, _ = demo_staff()
    keys.ensure_key()
    program = Program.objects.published().get(code="DATA-102")
    for index in range(100):
        assessed_learner(program, registrar, index, finalise=True)
    for award in Award.objects.filter(status=Award.Status.PENDING):
        services.award_issue(award.pk)  # in-process: the queued tasks went to the in-memory broker
    partner = PartnerOrganisation.objects.create(name="Bench Employer", contact_email="bench@example.org")
    _, secret = api_key_create(
        organisation=partner, name="bench", scopes=["catalog", "verify"], rate_per_minute=10**7, daily_quota=10**8
    )
    awards = list(Award.objects.issued()[:100])
    return secret, str(awards[0].pk), [award.document() for award in awards]


def _queries_per_request(secret, award_id, documents):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Api-Key {secret}", SERVER_NAME="localhost")
    counts = {}
    for label, call in _calls(award_id, documents).items():
        call(client)  # warm
        with CaptureQueriesContext(connection) as captured:
            call(client)
        counts[label] = len(captured.captured_queries)
    return counts


def _calls(award_id, documents):
    batch = json.dumps({"credentials": documents})
    return {
        "GET /api/v1/programs": lambda c: c.get("/api/v1/programs"),
        "GET /api/v1/credentials/{id}/verification": lambda c: c.get(f"/api/v1/credentials/{award_id}/verification"),
        "POST /api/v1/verifications (100)": lambda c: c.post(
            "/api/v1/verifications", batch, content_type="application/json"
        ),
    }


def _request(base, secret, method, path, body=None):
    headers = {"Authorization": f"Api-Key {secret}", "Content-Type": "application/json"}
    request = urllib.request.Request(base + path, data=body, headers=headers, method=method)
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our own server on loopback
        response.read()
        assert response.status == 200, response.status
    return time.perf_counter() - start


def _load(base, secret, method, path, body, requests, concurrency):
    with ThreadPoolExecutor(concurrency) as pool:
        start = time.perf_counter()
        latencies = list(pool.map(lambda _: _request(base, secret, method, path, body), range(requests)))
        elapsed = time.perf_counter() - start
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return requests / elapsed, statistics.median(latencies) * 1000, p99 * 1000


def main(requests, concurrency):
    os.environ["CELERY_BROKER_URL"] = "memory://"  # seeding issues in-process; nothing waits for a worker
    django_with_fresh_database("api")
    secret, award_id, documents = _seed()
    queries = _queries_per_request(secret, award_id, documents)
    port = _free_port()
    env = {**os.environ, "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/v1/programs", timeout=1).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        batch = json.dumps({"credentials": documents}).encode()
        single = f"/api/v1/credentials/{award_id}/verification"
        plans = [
            ("GET /api/v1/programs", "GET", "/api/v1/programs", None, requests),
            ("GET /api/v1/credentials/{id}/verification", "GET", single, None, requests),
            ("POST /api/v1/verifications (100)", "POST", "/api/v1/verifications", batch, max(4, requests // 50)),
        ]
        print(f"partner API on loopback, {concurrency} concurrent clients (Django dev server, SQLite)")
        for label, method, path, body, count in plans:
            rate, p50, p99 = _load(base, secret, method, path, body, count, concurrency)
            print(
                f"  {label}: {count} requests, {rate:.1f} req/s, p50 {p50:.0f} ms, p99 {p99:.0f} ms, "
                f"{queries[label]} queries/request"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200, int(sys.argv[2]) if len(sys.argv) > 2 else 4)
