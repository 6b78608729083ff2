"""The 1EdTech Open Badges 3.0 and CLR 2.0 REST APIs, service provider side (read and write).

OB 3.0 §6 and CLR 2.0 §6: ``GET …/discovery`` (the OpenAPI document with its OAuth 2.0 security scheme, no
authentication), ``GET …/credentials`` (the learner's signed credentials, paged with ``limit``/``offset``,
``X-Total-Count`` and ``Link``), ``POST …/credentials`` (upsertCredential: a platform brings a credential another
issuer gave the learner), ``GET …/profile`` and ``PUT …/profile`` (putProfile), under ``/ims/ob/v3p0/`` and
``/ims/clr/v2p0/``. Access is an OAuth 2.0 bearer token from django-oauth-toolkit carrying the operation's scope;
errors are the specifications' ``Imsx_StatusInfo``.
"""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oauth2_provider.contrib.rest_framework import OAuth2Authentication, TokenHasScope
from rest_framework import exceptions, serializers
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView, exception_handler

from awards import clr, transfer
from awards.credentials import absolute
from awards.models import ForeignCredential
from awards.selectors import holder_awards
from config.api import UntrustedJSONParser
from learners.selectors import learner_of

from .profiles import learner_profile, profile_replace

OB_CREDENTIALS = "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly"
OB_UPSERT = "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.upsert"
OB_PROFILE = "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly"
OB_PROFILE_UPDATE = "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.update"
CLR_CREDENTIALS = "https://purl.imsglobal.org/spec/clr/v2p0/scope/credential.readonly"
CLR_UPSERT = "https://purl.imsglobal.org/spec/clr/v2p0/scope/credential.upsert"
CLR_PROFILE = "https://purl.imsglobal.org/spec/clr/v2p0/scope/profile.readonly"
CLR_PROFILE_UPDATE = "https://purl.imsglobal.org/spec/clr/v2p0/scope/profile.update"
WRITE_SCOPES = {OB_UPSERT, OB_PROFILE_UPDATE, CLR_UPSERT, CLR_PROFILE_UPDATE}
MAX_LIMIT = 100
MAX_OFFSET = 2**31 - 1  # beyond any learner's credentials, and an integer every database takes in OFFSET
CODE_MINOR = {400: "invalid_query_parameter", 401: "unauthorizedrequest", 403: "forbidden", 404: "not_found",
              405: "not_allowed", 406: "not_acceptable", 415: "invalid_data", 429: "server_busy"}  # fmt: skip
VC_JWT_REFUSED = (
    "This registry verifies credentials secured with a Data Integrity proof (eddsa-rdfc-2022), and cannot verify "
    "a VC-JWT (compact JWS). Send the credential as JSON (application/json)."
)


def imsx_status_handler(exc, context):
    """Every error as the specifications' ``Imsx_StatusInfo`` (OB 3.0 §6.3.1.7); a write's 400 is about the data
    sent (``invalid_data``), a read's about its query."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
    minor = CODE_MINOR.get(response.status_code, "unknown")
    if response.status_code == 400 and context["request"].method not in ("GET", "HEAD"):
        minor = "invalid_data"
    response.data = {
        "imsx_codeMajor": "failure",
        "imsx_severity": "error",
        "imsx_description": str(detail) or "The request was refused.",
        "imsx_codeMinor": {
            "imsx_codeMinorField": [
                {
                    "imsx_codeMinorFieldName": "TargetEndSystem",
                    "imsx_codeMinorFieldValue": minor,
                }
            ]
        },
    }
    return response


class ActsForLearner(IsAuthenticated):
    """A token someone granted: one of no user (such as a client credentials grant issues) reads nobody's data."""

    message = _("This access token does not act for a learner.")


class InvalidData(exceptions.APIException):
    status_code = 400
    default_code = "invalid_data"


class RequestTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "request_too_large"


def read_bounded(stream) -> bytes:
    """The body, refused past DATA_UPLOAD_MAX_MEMORY_SIZE: DRF hands parsers other than its JSON and form parsers
    the raw request, whose ``read()`` skips the limit Django applies to ``request.body``."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = stream.read(limit + 1)
    if len(body) > limit:
        raise RequestTooLarge(f"The request body is larger than {limit} bytes.")
    return body


class CredentialText(BaseParser):
    """A credential's body as text: the credit transfer service reads and verifies it (OB 3.0 §6.2.3 sends a
    credential as ``application/json`` or ``application/vc+ld+json``, a VC-JWT as ``text/plain``)."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return read_bounded(stream).decode((parser_context or {}).get("encoding", "utf-8"))
        except UnicodeDecodeError as error:
            raise InvalidData("The body is not UTF-8 text.") from error


class VerifiableCredentialText(CredentialText):
    media_type = "application/vc+ld+json"


class CompactJwsText(CredentialText):
    media_type = "text/plain"


class ImsView(APIView):
    """An operation's scope by HTTP method (``scopes``); a method without one is answered 405 once authenticated."""

    schema = None  # described by the 1EdTech discovery documents, not by the partner API's OpenAPI
    authentication_classes = [OAuth2Authentication]
    permission_classes = [ActsForLearner, TokenHasScope]
    throttle_classes = [UserRateThrottle]
    renderer_classes = [JSONRenderer]
    scopes: dict[str, list[str]] = {}

    @property
    def required_scopes(self) -> list[str]:
        method = self.request.method
        return self.scopes.get("GET" if method == "HEAD" else method, [])  # DRF answers HEAD with get()

    def get_exception_handler(self):
        return imsx_status_handler

    def platform(self) -> str:
        return self.request.auth.application.name

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


class OpenBadgeCredentials(ImsView):
    """getCredentials (OB 3.0 §6.2.2): the learner's credentials in good standing and those platforms or the
    learner brought from other issuers, oldest first; upsertCredential (§6.2.3)."""

    scopes = {"GET": [OB_CREDENTIALS], "POST": [OB_UPSERT]}
    parser_classes = [CredentialText, VerifiableCredentialText, CompactJwsText]
    kind = ForeignCredential.Kind.ACHIEVEMENT

    def get(self, request):
        limit, offset = _page(request)
        learner = self.learner()
        issued = holder_awards(learner).filter(revoked_at=None).order_by().values_list("credential", "issued_at", "pk")
        brought = (
            learner.foreign_credentials.filter(kind=self.kind).order_by().values_list("document", "uploaded_at", "pk")
        )
        held = issued.union(brought, all=True)
        total = held.count()
        page = [json.loads(text) for text, *_ in held.order_by("issued_at", "id")[offset : offset + limit]]
        return paged(request, page, total, limit, offset)

    def post(self, request):
        return upsert(self, self.kind)


class ClrCredentials(ImsView):
    """getCredentials (CLR 2.0 §6.2.2): the learner's Comprehensive Learner Record, signed now, then the records
    platforms brought from other issuers; upsertCredential (§6.2.3)."""

    scopes = {"GET": [CLR_CREDENTIALS], "POST": [CLR_UPSERT]}
    parser_classes = [CredentialText, VerifiableCredentialText, CompactJwsText]
    kind = ForeignCredential.Kind.CLR

    def get(self, request):
        limit, offset = _page(request)
        learner = self.learner()
        brought = learner.foreign_credentials.filter(kind=self.kind).order_by("uploaded_at", "pk")
        # Only the page is read and parsed (records brought may be many and large): the record signed here is
        # the first of the list, then those brought.
        signed = [clr.signed_clr(learner)] if offset == 0 else []
        page = brought.values_list("document", flat=True)[max(offset - 1, 0) : offset + limit - 1]
        records = signed + [json.loads(text) for text in page]
        return paged(request, records, 1 + brought.count(), limit, offset)

    def post(self, request):
        return upsert(self, self.kind)


def upsert(view: ImsView, kind: str) -> Response:
    """upsertCredential: 201 with the credential when it is new here, 200 when it replaced (or was) the copy kept
    for the learner; one that does not verify is refused with the reason."""
    request = view.request
    if request.content_type.split(";")[0].strip().lower() == CompactJwsText.media_type:
        raise InvalidData(VC_JWT_REFUSED)
    text = request.data if isinstance(request.data, str) else ""  # DRF gives {} for an empty body
    try:
        credential, created = transfer.foreign_credential_receive(
            learner=view.learner(), text=text, kind=kind, platform=view.platform()
        )
    except ValidationError as error:
        raise InvalidData(" ".join(error.messages)) from error
    return Response(json.loads(credential.document), status=201 if created else 200)


class OpenBadgeProfile(ImsView):
    """getProfile (OB 3.0 §6.2.4) and putProfile (§6.2.5), whose answer is the profile as getProfile gives it."""

    scopes = {"GET": [OB_PROFILE], "PUT": [OB_PROFILE_UPDATE]}
    parser_classes = [UntrustedJSONParser]

    def get(self, request):
        return Response(learner_profile(self.learner()))

    def put(self, request):
        try:
            learner = profile_replace(
                learner=self.learner(), profile=request.data, user=request.user, platform=self.platform()
            )
        except ValidationError as error:
            raise InvalidData(" ".join(error.messages)) from error
        return Response(learner_profile(learner))


class ClrProfile(OpenBadgeProfile):
    """getProfile and putProfile (CLR 2.0 §6.2.4, §6.2.5)."""

    scopes = {"GET": [CLR_PROFILE], "PUT": [CLR_PROFILE_UPDATE]}


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
    "ob": ("Open Badges", "3.0", "/ims/ob/v3p0", (OB_CREDENTIALS, OB_UPSERT, OB_PROFILE, OB_PROFILE_UPDATE),
           "GetOpenBadgeCredentialsResponse", "OpenBadgeCredentials", "AchievementCredential"),
    "clr": ("Comprehensive Learner Record", "2.0", "/ims/clr/v2p0", (CLR_CREDENTIALS, CLR_UPSERT, CLR_PROFILE,
            CLR_PROFILE_UPDATE), "GetClrCredentialsResponse", "ClrCredentials", "ClrCredential"),
}  # fmt: skip


def discovery_document(api: str) -> dict:
    """The OpenAPI document of one API, its operations and scopes as the specification's own lists them."""
    name, version, prefix, api_scopes, response_name, tag, credential_name = SPECS[api]
    read, upsert_scope, profile_read, profile_update = api_scopes
    scopes = settings.OAUTH2_PROVIDER["SCOPES"]
    json_object = {"application/json": {"schema": {"type": "object"}}}
    error = {"description": "Imsx_StatusInfo", "content": json_object}
    errors = {str(status): error for status in (400, 401, 403, 405, 500)} | {"default": error}
    credential = {"description": credential_name, "content": json_object}
    page = [
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}},
        {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET}},
    ]
    return {
        "openapi": "3.0.1",
        "info": {
            "title": f"{settings.WALLET_ISSUER_NAME} — {name} {version} API",
            "version": version,
            "description": f"The 1EdTech {name} {version} REST API of this registry.",
            "termsOfService": absolute("/"),
            "x-imssf-privacyPolicyUrl": absolute("/"),
        },
        "servers": [{"url": absolute(prefix), "description": settings.WALLET_ISSUER_NAME}],
        "tags": [{"name": tag}, {"name": "Discovery"}],
        "paths": {
            "/credentials": {
                "get": {
                    "operationId": "getCredentials",
                    "tags": [tag],
                    "parameters": page,
                    "security": [{"OAuth2ACG": [read]}],
                    "responses": {
                        "200": {
                            "description": response_name,
                            "headers": {
                                "X-Total-Count": {"schema": {"type": "integer"}},
                                "Link": {"schema": {"type": "string"}},
                            },
                            "content": json_object,
                        },
                        **errors,
                    },
                },
                "post": {
                    "operationId": "upsertCredential",
                    "tags": [tag],
                    "requestBody": {
                        "description": f"The {credential_name} with a Data Integrity proof (a VC-JWT is refused).",
                        "required": True,
                        "content": {**json_object, "application/vc+ld+json": {"schema": {"type": "object"}}},
                    },
                    "security": [{"OAuth2ACG": [upsert_scope]}],
                    "responses": {
                        "200": {**credential, "description": f"The {credential_name} replaced the copy kept here"},
                        "201": {**credential, "description": f"The {credential_name} was added"},
                        **errors,
                    },
                },
            },
            "/profile": {
                "get": {
                    "operationId": "getProfile",
                    "tags": [tag],
                    "security": [{"OAuth2ACG": [profile_read]}],
                    "responses": {"200": {"description": "Profile", "content": json_object}, "404": error, **errors},
                },
                "put": {
                    "operationId": "putProfile",
                    "tags": [tag],
                    "requestBody": {"description": "The entire Profile", "required": True, "content": json_object},
                    "security": [{"OAuth2ACG": [profile_update]}],
                    "responses": {
                        "200": {"description": "Profile", "content": json_object},
                        "404": error,
                        **errors,
                    },
                },
            },
            "/discovery": {
                "get": {
                    "operationId": "getServiceDescription",
                    "tags": ["Discovery"],
                    "responses": {"200": {"description": "This document", "content": {"application/json": {}}}},
                }
            },
        },
        "components": {
            "securitySchemes": {
                "OAuth2ACG": {
                    "type": "oauth2",
                    "description": "OAuth 2.0 authorization code grant with PKCE (S256).",
                    "x-imssf-name": settings.WALLET_ISSUER_NAME,
                    "x-imssf-registrationUrl": absolute(reverse("oauth2_provider:dcr-register")),
                    "flows": {
                        "authorizationCode": {
                            "authorizationUrl": absolute(reverse("oauth2_provider:authorize")),
                            "tokenUrl": absolute(reverse("oauth2_provider:token")),
                            "refreshUrl": absolute(reverse("oauth2_provider:token")),
                            "scopes": {scope: str(scopes[scope]) for scope in api_scopes},
                        }
                    },
                }
            }
        },
    }
