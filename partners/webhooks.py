"""Signing and delivering webhook events: HMAC-SHA256 over "timestamp.body", replay-safe, through the outbound
guard (public HTTPS addresses only, no redirects, bounded), so a callback URL can't reach the registry's network.

A partner checks ``Registry-Signature: t=<unix time>,v1=<hex>``: recompute HMAC-SHA256 with its webhook secret
over ``f"{t}.{raw body}"``, compare in constant time, reject a ``t`` older than five minutes, and drop repeated
event ``id``s.
"""

import hashlib
import hmac
import json
import time

from django.conf import settings

from config import outbound

SIGNATURE_HEADER = "Registry-Signature"
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify_signature(secret: str, header: str, body: bytes, *, now: float | None = None) -> bool:
    """The receiver's check, as documented for partners (and used by the tests)."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) - timestamp) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), header)


def policy() -> outbound.Policy:
    return outbound.Policy(
        timeout=settings.WEBHOOK_TIMEOUT,
        max_bytes=64 * 1024,
        allowed_networks=tuple(settings.WEBHOOK_ALLOWED_NETWORKS),
        cafile=settings.WEBHOOK_CA_FILE,
    )


def post(url: str, secret: str, payload: dict) -> int:
    """POST the signed event; returns the status code; raises outbound.FetchRefused when it can't be sent."""
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: signature(secret, int(time.time()), body),
        "Registry-Event-Id": payload["id"],
    }
    return outbound.request("POST", url, policy=policy(), body=body, headers=headers).status


def check_callback_url(url: str) -> None:
    """Refuse a callback that isn't https or whose host resolves to a non-public address (admin validation)."""
    host, port, _ = outbound.check_url(url)
    for address in outbound.resolve(host, port):
        outbound.check_address(address, policy())
