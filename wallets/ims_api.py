"""The 1EdTech Open Badges 3.0 and CLR 2.0 REST APIs, service provider side, read only.

OB 3.0 §6 and CLR 2.0 §6: ``GET …/discovery`` (the OpenAPI document with its OAuth 2.0 security scheme, no
authentication), ``GET …/credentials`` (the learner's signed credentials, paged with ``limit``/``offset``,
``X-Total-Count`` and ``Link``) and ``GET …/profile``, under ``/ims/ob/v3p0/`` and ``/ims/clr/v2p0/``. Access is
an OAuth 2.0 bearer token from django-oauth-toolkit carrying the operation's scope; errors are the
specifications' ``Imsx_StatusInfo``.
"""

import json
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oauth2_provider.contrib.rest_framework import OAuth2Authentication, TokenHasScope
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView, exception_handler

from awards import clr
from awards.credentials import OB_CONTEXT, VC_CONTEXT, absolute
from awards.selectors import holder_awards
from learners.selectors import learner_of

OB_CREDENTIALS = "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly"
OB_PROFILE = "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly"
CLR_CREDENTIALS = "https://purl.imsglobal.org/spec/clr/v2p0/scope/credential.readonly"
CLR_PROFILE = "https://purl.imsglobal.org/spec/clr/v2p0/scope/profile.readonly"
MAX_LIMIT = 100
MAX_OFFSET = 2**31 - 1  # beyond any learner's credentials, and an integer every database takes in OFFSET
CODE_MINOR = {400: "invalid_query_parameter", 401: "unauthorizedrequest", 403: "forbidden", 404: "not_found",
              405: "not_allowed", 406: "not_acceptable", 429: "server_busy"}  # fmt: skip
LEARNER_NAMESPACE = uuid.UUID("6c1d7a1e-5f0b-4a53-9a7e-1a7f4b1f2c10")  # stable urn:uuid ids for learner profiles


def imsx_status_handler(exc, context):
    """Every error as the specifications' ``Imsx_StatusInfo`` (OB 3.0 §6.3.1.7)."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
    response.data = {
        "imsx_codeMajor": "failure",
        "imsx_severity": "error",
        "imsx_description": str(detail) or "The request was refused.",
        "imsx_codeMinor": {
            "imsx_codeMinorField": [
                {
                    "imsx_codeMinorFieldName": "TargetEndSystem",
                    "imsx_codeMinorFieldValue": CODE_MINOR.get(response.status_code, "unknown"),
                }
            ]
        },
    }
    return response


class ActsForLearner(IsAuthenticated):
    """A token someone granted: one of no user (such as a client credentials grant issues) reads nobody's data."""

    message = _("This access token does not act for a learner.")


class ImsView(APIView):
    schema = None  # described by the 1EdTech discovery documents, not by the partner API's OpenAPI
    authentication_classes = [OAuth2Authentication]
    permission_classes = [ActsForLearner, TokenHasScope]
    throttle_classes = [UserRateThrottle]
    renderer_classes = [JSONRenderer]
    required_scopes: list[str] = []

    def get_exception_handler(self):
        return imsx_status_handler

    def learner(self):
        learner = learner_of(self.request.user)
        if learner is None:
            raise exceptions.NotFound("This account has no learner record.")
        return learner


class Page(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=20)
    offset = serializers.IntegerField(min_value=0, max_value=MAX_OFFSET, default=0)


def _page(request) -> tuple[int, int]:
    page = Page(data=request.query_params)
    if not page.is_valid():
        problems = " ".join(f"{field}: {' '.join(errors)}" for field, errors in page.errors.items())
        raise exceptions.ValidationError({"detail": problems})
    return page.validated_data["limit"], page.validated_data["offset"]


def paged(request, items: list, total: int, limit: int, offset: int, field="credential") -> Response:
    """A page with the spec's ``X-Total-Count`` and RFC 8288 ``Link`` (first, last, prev, next) headers."""
    response = Response({field: items})
    base = absolute(request.path)
    last = max((total - 1) // limit * limit, 0)
    links = {"first": 0, "last": last}
    if offset > 0:
        links["prev"] = max(offset - limit, 0)
    if offset + limit < total:
        links["next"] = offset + limit
    response["X-Total-Count"] = str(total)
    response["Link"] = ", ".join(
        f'<{base}?{urlencode({"limit": limit, "offset": at})}>; rel="{rel}"' for rel, at in links.items()
    )
    return response


def learner_profile(learner) -> dict:
    """The learner as an OB 3.0 ``Profile``: a stable ``urn:uuid`` id, their name and email."""
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{uuid.uuid5(LEARNER_NAMESPACE, f'{settings.REGISTRY_PUBLIC_URL}/learners/{learner.pk}')}",
        "type": ["Profile"],
        "name": learner.legal_name,
        "email": learner.email,
    }


class OpenBadgeCredentials(ImsView):
    """getCredentials (OB 3.0 §6.2.2): the learner's credentials in good standing, oldest first."""

    required_scopes = [OB_CREDENTIALS]

    def get(self, request):
        limit, offset = _page(request)
        awards = holder_awards(self.learner()).filter(revoked_at=None).order_by("issued_at", "pk")
        total = awards.count()
        page = [json.loads(text) for text in awards.values_list("credential", flat=True)[offset : offset + limit]]
        return paged(request, page, total, limit, offset)


class ClrCredentials(ImsView):
    """getCredentials (CLR 2.0 §6.2.2): the learner's Comprehensive Learner Record, signed now."""

    required_scopes = [CLR_CREDENTIALS]

    def get(self, request):
        limit, offset = _page(request)
        records = [clr.signed_clr(self.learner())]
        return paged(request, records[offset : offset + limit], len(records), limit, offset)


class OpenBadgeProfile(ImsView):
    """getProfile (OB 3.0 §6.2.4)."""

    required_scopes = [OB_PROFILE]

    def get(self, request):
        return Response(learner_profile(self.learner()))


class ClrProfile(OpenBadgeProfile):
    """getProfile (CLR 2.0 §6.2.4)."""

    required_scopes = [CLR_PROFILE]


class Discovery(APIView):
    """getServiceDescription (OB 3.0 §6.2.1): the API's OpenAPI document, with the OAuth 2.0 scheme to use."""

    schema = None
    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    api = "ob"

    def get(self, request):
        return Response(discovery_document(self.api))


class ClrDiscovery(Discovery):
    api = "clr"


SPECS = {
    "ob": ("Open Badges", "3.0", "/ims/ob/v3p0", OB_CREDENTIALS, OB_PROFILE, "GetOpenBadgeCredentialsResponse"),
    "clr": ("Comprehensive Learner Record", "2.0", "/ims/clr/v2p0", CLR_CREDENTIALS, CLR_PROFILE,
            "GetClrCredentialsResponse"),
}  # fmt: skip


def discovery_document(api: str) -> dict:
    name, version, prefix, credential_scope, profile_scope, response_name = SPECS[api]
    scopes = settings.OAUTH2_PROVIDER["SCOPES"]
    bearer = [{"OAuth2ACG": [credential_scope]}]
    json_object = {"application/json": {"schema": {"type": "object"}}}
    error = {"description": "Imsx_StatusInfo", "content": json_object}
    page = [
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}},
        {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET}},
    ]
    return {
        "openapi": "3.0.1",
        "info": {
            "title": f"{settings.WALLET_ISSUER_NAME} — {name} {version} API",
            "version": version,
            "description": f"The 1EdTech {name} {version} REST API of this registry (read only).",
            "termsOfService": absolute("/"),
            "x-imssf-privacyPolicyUrl": absolute("/"),
        },
        "servers": [{"url": absolute(prefix), "description": settings.WALLET_ISSUER_NAME}],
        "tags": [{"name": "OpenBadgeCredentials" if api == "ob" else "ClrCredentials"}, {"name": "Discovery"}],
        "paths": {
            "/credentials": {
                "get": {
                    "operationId": "getCredentials",
                    "parameters": page,
                    "security": bearer,
                    "responses": {
                        "200": {
                            "description": response_name,
                            "headers": {
                                "X-Total-Count": {"schema": {"type": "integer"}},
                                "Link": {"schema": {"type": "string"}},
                            },
                            "content": json_object,
                        },
                        "default": error,
                    },
                }
            },
            "/profile": {
                "get": {
                    "operationId": "getProfile",
                    "security": [{"OAuth2ACG": [profile_scope]}],
                    "responses": {
                        "200": {
                            "description": "Profile",
                            "content": json_object,
                        },
                        "default": error,
                    },
                }
            },
            "/discovery": {
                "get": {
                    "operationId": "getServiceDescription",
                    "responses": {"200": {"description": "This document", "content": {"application/json": {}}}},
                }
            },
        },
        "components": {
            "securitySchemes": {
                "OAuth2ACG": {
                    "type": "oauth2",
                    "description": "OAuth 2.0 authorization code grant with PKCE (S256).",
                    "x-imssf-registrationUrl": absolute(reverse("oauth2_provider:dcr-register")),
                    "flows": {
                        "authorizationCode": {
                            "authorizationUrl": absolute(reverse("oauth2_provider:authorize")),
                            "tokenUrl": absolute(reverse("oauth2_provider:token")),
                            "refreshUrl": absolute(reverse("oauth2_provider:token")),
                            "scopes": {scope: scopes[scope] for scope in (credential_scope, profile_scope)},
                        }
                    },
                }
            }
        },
    }
