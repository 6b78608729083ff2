"""Platforms that read a learner's credentials through the 1EdTech REST APIs: their registration and consent.

django-oauth-toolkit is the OAuth 2.0 server (authorisation code with PKCE, tokens, RFC 7591 registration and
RFC 7592 management). This module adds what the 1EdTech Security Framework asks of a registration beyond RFC 7591
(client_uri, logo_uri, tos_uri, policy_uri, software_id/version and the scope, all echoed back: the scope as granted,
the supported part of what was asked), the same checks for an update, and the learner's view of the platforms they
approved, with revocation.
"""

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_refresh_token_model,
)
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views.dynamic_client_registration import (
    DynamicClientRegistrationManagementView,
    DynamicClientRegistrationView,
)

from config.http import client_ip, over_rate
from config.untrusted_json import loads_bounded

from .models import RegisteredClient

URI_FIELDS = ("client_uri", "logo_uri", "tos_uri", "policy_uri")
SOFTWARE = ("software_id", "software_version")
REQUIRED = ("client_name", "client_uri", "redirect_uris", "scope")
MAX_URI = 500  # a redirect URI's length; the metadata URIs are bounded by their columns
GRANT_TYPES = {"authorization_code", "refresh_token"}  # the only grants the token endpoint serves


def _invalid(description: str) -> JsonResponse:
    return JsonResponse({"error": "invalid_client_metadata", "error_description": description}, status=400)


def registration_problem(data) -> str | None:
    """Why ``data`` is not an acceptable 1EdTech registration (RFC 7591) or update (RFC 7592) request, or None.

    Descriptions stay in English: RFC 6749 §5.2 allows only ASCII in ``error_description``."""
    if not isinstance(data, dict):
        return "The registration must be a JSON object."
    missing = [field for field in REQUIRED if not data.get(field)]
    if missing:
        return f"Missing: {', '.join(missing)}."
    for field, limit in _column_sizes().items():
        if field in data and not _text(data[field], limit):
            return f"{field} must be printable text of at most {limit} characters."
    for field in URI_FIELDS:
        if field in data and not _https(data[field]):
            return f"{field} must be an https URL."
    if not isinstance(data["redirect_uris"], list) or not all(_https(uri) for uri in data["redirect_uris"]):
        return "redirect_uris must be a list of https URLs."
    client_host = urlsplit(data["client_uri"]).hostname
    if any(urlsplit(uri).hostname != client_host for uri in data["redirect_uris"]):
        return "Every redirect URI must be on the client_uri's host."
    if not _only(data.get("grant_types", ["authorization_code"]), GRANT_TYPES, "authorization_code"):
        return "grant_types may only be authorization_code and refresh_token."
    if not _only(data.get("response_types", ["code"]), {"code"}, "code"):
        return "response_types may only be code."
    if not isinstance(data["scope"], str):
        return "scope must be text."
    if not granted_scope(data["scope"]):
        return f"Unknown scopes: {', '.join(sorted(set(data['scope'].split())))}."
    return None


def granted_scope(requested: str) -> str:
    """The requested scopes this server supports, in the order asked: RFC 7591 §3.2.1 lets a server register a
    subset and answer with it, so a platform asking for more than is offered here still registers."""
    supported = settings.OAUTH2_PROVIDER["SCOPES"]
    return " ".join(dict.fromkeys(scope for scope in requested.split() if scope in supported))


def _column_sizes() -> dict[str, int]:
    """The text fields stored in columns of a fixed size: a longer value would fail on PostgreSQL, not SQLite."""
    sizes = {field: RegisteredClient._meta.get_field(field).max_length for field in (*URI_FIELDS, *SOFTWARE)}
    return sizes | {"client_name": get_application_model()._meta.get_field("name").max_length}


def _text(value, limit: int) -> bool:
    # Printable: no NUL, which PostgreSQL refuses to store, and no line breaks in what the consent page shows.
    return isinstance(value, str) and len(value) <= limit and value.isprintable()


def _https(value) -> bool:
    if not _text(value, MAX_URI):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- raises ValueError when out of range, as urlsplit does for a malformed IPv6 host
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname)


def _only(values, allowed: set, required: str) -> bool:
    return isinstance(values, list) and required in values and all(value in allowed for value in values)


def _too_many(request) -> bool:
    """Registrations are open to anyone, so each address may make only a few an hour."""
    return over_rate("oauth-registrations", client_ip(request), settings.IMS_REGISTRATIONS_PER_HOUR, 3600)


def _checked_metadata(request) -> tuple[dict | None, JsonResponse | None]:
    """The request's client metadata, or the 400 saying why it is not acceptable. The depth-limited parser comes
    before django-oauth-toolkit's, whose plain json.loads would turn hostile nesting into a 500."""
    try:
        data = loads_bounded(request.body.decode() or "null")
    except (ValueError, UnicodeDecodeError):
        return None, _invalid("The body must be JSON.")
    problem = registration_problem(data)
    return data, _invalid(problem) if problem else None


def _stored(data: dict) -> dict:
    """The RegisteredClient fields of valid client metadata; an update replaces them all (RFC 7592 §2.2)."""
    return {
        "scope": granted_scope(data["scope"]),
        **{field: data.get(field, "") for field in (*URI_FIELDS, *SOFTWARE)},
    }


def _echoed(client: RegisteredClient) -> dict:
    """The 1EdTech metadata added to django-oauth-toolkit's answers (RFC 7591 §3.2.1, RFC 7592 §2.1)."""
    return {
        **{field: getattr(client, field) for field in URI_FIELDS if getattr(client, field)},
        **{field: getattr(client, field) for field in SOFTWARE},
        "scope": client.scope,
        "response_types": ["code"],
        "client_id_issued_at": int(client.registered_at.timestamp()),
        "client_secret_expires_at": 0,
    }


def _shown_to_learner(client: RegisteredClient) -> tuple:
    """What the learner approved: who the consent page said was asking, and where the codes go."""
    application = client.application
    return (application.name, sorted(application.redirect_uris.split()), *(getattr(client, f) for f in URI_FIELDS))


class ClientRegistrationView(DynamicClientRegistrationView):
    """RFC 7591 registration as the 1EdTech Security Framework profiles it (OB 3.0 §6.2, CLR 2.0 §6.2).

    django-oauth-toolkit creates the application and its secret; this view checks the 1EdTech metadata first,
    keeps it for the consent page and echoes it back as RFC 7591 §3.2.1 asks."""

    def post(self, request, *args, **kwargs):
        if _too_many(request):
            return JsonResponse({"error": "too_many_requests", "error_description": "Try again later."}, status=429)
        data, refusal = _checked_metadata(request)
        if refusal:
            return refusal
        with transaction.atomic():
            response = super().post(request, *args, **kwargs)
            if response.status_code != 201:
                return response
            registered = json.loads(response.content)
            application = get_application_model().objects.get(client_id=registered["client_id"])
            client = RegisteredClient.objects.create(application=application, **_stored(data))
        return JsonResponse(registered | _echoed(client), status=201)


class ClientConfigurationView(DynamicClientRegistrationManagementView):
    """RFC 7592 read, update and delete of a registration, authenticated by its registration access token.

    An update gets the registration's checks, and one that changes what the learner approved (name, pages, logo,
    redirect URIs) withdraws every learner's approval, so django-oauth-toolkit's ``approval_prompt=auto`` cannot
    send codes to the new redirect URIs without the consent page showing the new name first."""

    def get(self, request, client_id, *args, **kwargs):
        response = super().get(request, client_id, *args, **kwargs)
        if response.status_code != 200:
            return response
        client = RegisteredClient.objects.get(application__client_id=client_id)
        return JsonResponse(json.loads(response.content) | _echoed(client))

    def put(self, request, client_id, *args, **kwargs):
        data, refusal = _checked_metadata(request)
        if refusal:
            return refusal
        with transaction.atomic():
            clients = RegisteredClient.objects.select_related("application")
            # PostgreSQL refuses even to compare a NUL; no client_id holds one, and the token will not match it.
            before = clients.filter(application__client_id=client_id).first() if "\x00" not in client_id else None
            response = super().put(request, client_id, *args, **kwargs)
            if response.status_code != 200:
                return response
            client = clients.get(application__client_id=client_id)
            for field, value in _stored(data).items():
                setattr(client, field, value)
            client.save()
            if _shown_to_learner(client) != _shown_to_learner(before):
                approvals_withdraw(client.application)
        return JsonResponse(json.loads(response.content) | _echoed(client))


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
    return _withdraw(user=user, application_id=application_id)


def approvals_withdraw(application) -> int:
    """Withdraw every learner's tokens and pending codes for ``application``, so each is asked again."""
    return _withdraw(application=application)


def _withdraw(**lookup) -> int:
    with transaction.atomic():
        removed = get_refresh_token_model().objects.filter(**lookup).delete()[0]
        # The platform's RFC 7592 registration access token is an access token too; it acts for no learner.
        access_tokens = get_access_token_model().objects.filter(**lookup)
        removed += access_tokens.exclude(scope=oauth2_settings.DCR_REGISTRATION_SCOPE).delete()[0]
        removed += get_grant_model().objects.filter(**lookup).delete()[0]
    return removed
