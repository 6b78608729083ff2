"""HTTP helpers: responses for documents other programs fetch (credentials, DID documents, status lists, CTDL,
OB 2.0), the client's address behind the load balancer, and a per-client rate for pages outside DRF."""

import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse

JSON_LD = "application/ld+json"


def public_json(document, content_type="application/json", **kwargs):
    """``document`` as readable JSON any origin may fetch (verifiers and registries run in browsers too)."""
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2}, **kwargs)
    response["Content-Type"] = content_type
    response["Access-Control-Allow-Origin"] = "*"
    return response


def client_ip(request) -> str:
    """The address of the client that sent ``request``, for per-client rate limits and logs.

    Behind TRUSTED_PROXY_COUNT proxies, each appends the address it got the request from to X-Forwarded-For, so
    the client's is the Nth entry from the right; entries further left come from the client and may be anything.
    With fewer entries, or one that is not an address, the header did not come through those proxies: the
    connection's own address (REMOTE_ADDR) is the one to trust."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count < 1:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count].strip()))
    except ValueError:
        return remote


def over_rate(scope: str, client: str, limit: int, seconds: int) -> bool:
    """Count one more request of ``client`` in ``scope``; whether it is past ``limit`` in a window of ``seconds``
    from the client's first request. Counted in the cache, so every process shares it (Redis in production)."""
    key = f"rate:{scope}:{client}"
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between the two calls: this request opens the next one
        cache.add(key, 1, timeout=seconds)
        count = 1
    return count > limit
