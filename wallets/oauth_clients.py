"""Platforms that read a learner's credentials through the 1EdTech REST APIs: their registration and consent.

django-oauth-toolkit is the OAuth 2.0 server (authorisation code with PKCE, tokens, RFC 7591 registration). This
module adds what the 1EdTech Security Framework asks of a registration beyond RFC 7591 (client_uri, logo_uri,
tos_uri, policy_uri, software_id/version and the requested scope, all echoed back), and the learner's view of the
platforms they approved, with revocation.
"""

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import JsonResponse
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_refresh_token_model,
)
from oauth2_provider.views.dynamic_client_registration import DynamicClientRegistrationView

from config.untrusted_json import loads_bounded

from .models import RegisteredClient

URI_FIELDS = ("client_uri", "logo_uri", "tos_uri", "policy_uri")
REQUIRED = ("client_name", "client_uri", "redirect_uris", "scope")


def _invalid(description: str) -> JsonResponse:
    return JsonResponse({"error": "invalid_client_metadata", "error_description": description}, status=400)


def registration_problem(data) -> str | None:
    """Why ``data`` is not an acceptable 1EdTech registration request, or None."""
    if not isinstance(data, dict):
        return "The registration must be a JSON object."
    missing = [field for field in REQUIRED if not data.get(field)]
    if missing:
        return f"Missing: {', '.join(missing)}."
    for field in URI_FIELDS:
        if field in data and not _https(data[field]):
            return f"{field} must be an https URL."
    if not isinstance(data["redirect_uris"], list) or not all(_https(uri) for uri in data["redirect_uris"]):
        return "redirect_uris must be a list of https URLs."
    client_host = urlsplit(data["client_uri"]).hostname
    if any(urlsplit(uri).hostname != client_host for uri in data["redirect_uris"]):
        return "Every redirect URI must be on the client_uri's host."
    unknown = set(str(data["scope"]).split()) - set(settings.OAUTH2_PROVIDER["SCOPES"])
    if unknown:
        return f"Unknown scopes: {', '.join(sorted(unknown))}."
    return None


def _https(value) -> bool:
    return isinstance(value, str) and urlsplit(value).scheme == "https" and bool(urlsplit(value).hostname)


def _too_many(request) -> bool:
    """Registrations are open to anyone, so each address may make only a few an hour."""
    key = "oauth-registrations:" + request.META.get("REMOTE_ADDR", "")
    cache.add(key, 0, timeout=3600)
    return cache.incr(key) > settings.IMS_REGISTRATIONS_PER_HOUR


class ClientRegistrationView(DynamicClientRegistrationView):
    """RFC 7591 registration as the 1EdTech Security Framework profiles it (OB 3.0 §6.2, CLR 2.0 §6.2).

    django-oauth-toolkit creates the application and its secret; this view checks the 1EdTech metadata first,
    keeps it for the consent page and echoes it back as RFC 7591 §3.2.1 asks."""

    def post(self, request, *args, **kwargs):
        if _too_many(request):
            return JsonResponse({"error": "too_many_requests", "error_description": "Try again later."}, status=429)
        try:
            data = loads_bounded(request.body.decode() or "null")
        except (ValueError, UnicodeDecodeError):
            return _invalid("The body must be JSON.")
        problem = registration_problem(data)
        if problem:
            return _invalid(problem)
        with transaction.atomic():
            response = super().post(request, *args, **kwargs)
            if response.status_code != 201:
                return response
            registered = json.loads(response.content)
            application = get_application_model().objects.get(client_id=registered["client_id"])
            client = RegisteredClient.objects.create(
                application=application,
                scope=" ".join(str(data["scope"]).split()),
                **{field: data.get(field, "") for field in (*URI_FIELDS, "software_id", "software_version")},
            )
        registered |= {
            **{field: getattr(client, field) for field in URI_FIELDS if getattr(client, field)},
            "software_id": client.software_id,
            "software_version": client.software_version,
            "scope": client.scope,
            "response_types": ["code"],
            "client_id_issued_at": int(client.registered_at.timestamp()),
            "client_secret_expires_at": 0,
        }
        return JsonResponse(registered, status=201)


# The learner's approved platforms


@dataclass(frozen=True)
class ConnectedClient:
    application: object
    scopes: list
    last_approved: object


def connected_clients(user) -> list[ConnectedClient]:
    """Platforms holding a live token of ``user``, with the scopes they were granted (one query for tokens)."""
    tokens = (
        get_access_token_model()
        .objects.filter(user=user, application__isnull=False)
        .select_related("application__registered_client")
    )
    clients: dict[int, ConnectedClient] = {}
    for token in tokens:
        current = clients.get(token.application_id)
        scopes = sorted(set(token.scope.split()) | set(current.scopes if current else ()))
        last = max(token.created, current.last_approved) if current else token.created
        clients[token.application_id] = ConnectedClient(token.application, scopes, last)
    return sorted(clients.values(), key=lambda client: client.last_approved, reverse=True)


def client_revoke(*, user, application_id: int) -> int:
    """Withdraw every token and pending code ``user`` gave the platform; returns how many were withdrawn."""
    with transaction.atomic():
        removed = 0
        for model in (get_refresh_token_model(), get_access_token_model(), get_grant_model()):
            removed += model.objects.filter(user=user, application_id=application_id).delete()[0]
    return removed
