"""Probes for load balancers and orchestrators: cheap, unauthenticated, no personal data.

/healthz — the process answers. /readyz — the database answers, the broker accepts a connection and at least one
Celery worker replies to a ping; 503 with the failing checks otherwise (cached briefly: probes come often).
"""

from celery import current_app as celery_app
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

READY_CACHE_SECONDS = 5


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True


def _broker():
    with celery_app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1, timeout=1)
    return True


def _workers():
    return bool(celery_app.control.ping(timeout=1))


CHECKS = {"database": _database, "broker": _broker, "workers": _workers}


def readiness():
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = bool(check())
        except Exception:  # noqa: BLE001 - any failure means "not ready"; the probe reports which
            results[name] = False
    return results


@never_cache
def readyz(request):
    results = cache.get("readyz")
    if results is None:
        results = readiness()
        cache.set("readyz", results, READY_CACHE_SECONDS)
    ready = all(results.values())
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": results}, status=200 if ready else 503)
