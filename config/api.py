"""What every endpoint under /api/v1/ shares: RFC 9457 problem details, scopes, throttles, pagination.

Nothing here knows the apps: the partner key (``request.auth``) is anything with ``pk``, ``scope_set`` and
``rate_per_minute``/``daily_quota``, set by the authentication class the settings name.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.http import http_date
from rest_framework import exceptions, status
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from .untrusted_json import loads_bounded

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://registry.example.edu/problems/"  # stable identifiers, documented in the schema

TITLES = {
    400: "Invalid request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    413: "Request too large",
    415: "Unsupported media type",
    429: "Too many requests",
}


def problem_details_handler(exc, context):
    """Every error as ``application/problem+json``: type, title, status, detail (and field errors for 400)."""
    from rest_framework.views import exception_handler  # rest_framework.views reads these settings: import late

    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500 handling and logging take over
    code = response.status_code
    if code in REFUSED and (refund := getattr(context["request"], "quota_refund", None)):
        refund()
    body = {
        "type": PROBLEM_BASE + _slug(exc, code),
        "title": TITLES.get(code, "Error"),
        "status": code,
        "detail": _detail(exc, response.data),
    }
    if code == status.HTTP_400_BAD_REQUEST and isinstance(response.data, dict | list):
        body["errors"] = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        body["retry_after"] = int(exc.wait + 0.999)
    response.data = body
    response.content_type = PROBLEM_JSON
    return response


def _slug(exc, code):
    if isinstance(exc, exceptions.APIException) and isinstance(exc.default_code, str):
        return exc.default_code.replace("_", "-")
    return str(code)


def _detail(exc, data):
    if isinstance(data, dict) and isinstance(data.get("detail"), str):
        return data["detail"]
    if isinstance(exc, exceptions.ValidationError):
        return "Some fields are not valid; see errors."
    return str(getattr(exc, "detail", "")) or TITLES.get(getattr(exc, "status_code", 0), "Error")


class HasKey(BasePermission):
    """The request carries a valid partner key (the default for every endpoint that doesn't say otherwise)."""

    message = "This needs an API key: `Authorization: Api-Key <key>`."

    def has_permission(self, request, view):
        if request.auth is None:
            raise exceptions.NotAuthenticated(self.message)  # 401, not 403: the client can fix it with a key
        return True


class HasScope(HasKey):
    """The request carries a partner key with this scope. Use ``HasScope.of("verify")``."""

    scope = None

    @classmethod
    def of(cls, scope):
        message = f"This needs an API key with the “{scope}” scope."
        return type(f"HasScope_{scope}", (cls,), {"scope": scope, "message": message})

    def has_permission(self, request, view):
        return super().has_permission(request, view) and self.scope in getattr(request.auth, "scope_set", ())


class KeyRateThrottle(SimpleRateThrottle):
    """Per partner key, at the key's own rate per minute."""

    scope = "key"

    def key_rate(self, key):
        return f"{key.rate_per_minute}/min"

    def allow_request(self, request, view):
        if request.auth is None:
            return True
        self.rate = self.key_rate(request.auth)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_rate(self):
        return "1/min"  # replaced per key in allow_request

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


# Refused requests cost nothing against the daily quota: a client's mistakes, or a burst over its rate, must not
# use up the day's good requests. A 404 is an answer and counts, or looking up share codes would be free.
REFUSED = frozenset({400, 401, 403, 405, 406, 413, 415, 429})


class KeyDailyQuota(KeyRateThrottle):
    """Per partner key, the key's quota per day of answered requests: a request is counted when admitted, and
    ``problem_details_handler`` gives its place back when it is refused after all."""

    scope = "key-day"

    def key_rate(self, key):
        return f"{key.daily_quota}/day"

    def allow_request(self, request, view):
        allowed = super().allow_request(request, view)
        if allowed and request.auth is not None:
            request.quota_refund = self.refund
        return allowed

    def refund(self):
        history = self.cache.get(self.key, [])
        if self.now in history:
            history.remove(self.now)
            self.cache.set(self.key, history, self.duration)


class AnonymousRateThrottle(AnonRateThrottle):
    """Per client IP, for requests without a key."""

    def allow_request(self, request, view):
        return request.auth is not None or super().allow_request(request, view)


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "pk"

    def get_page_size(self, request):
        """Strict: a page_size that is not one whole number from 1 up is a 400, not silently the default."""
        values = request.query_params.getlist(self.page_size_query_param)
        if not values:
            return self.page_size
        if len(values) > 1 or not values[0].isdigit() or int(values[0]) < 1:
            raise exceptions.ValidationError({"page_size": ["A whole number from 1 (at most 200 are returned)."]})
        return min(int(values[0]), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, description="At most 200 are returned.")
        return parameters


class LastModifiedMixin:
    """Last-Modified where the view knows it. Django's ConditionalGetMiddleware adds the ETag (a hash of the
    rendered body) and answers If-None-Match / If-Modified-Since with an empty 304, so polling is cheap."""

    def last_modified(self, request):
        return None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            modified = self.last_modified(request)
            if modified is not None:
                response["Last-Modified"] = http_date(modified.timestamp())
        return response


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details, the shape of every error.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri", "example": PROBLEM_BASE + "not-found"},
        "title": {"type": "string", "example": "Not found"},
        "status": {"type": "integer", "example": 404},
        "detail": {"type": "string", "example": "Not found."},
        "errors": {
            "type": "object",
            "description": "For 400: the messages of each invalid field (a list, or nested for structured fields).",
            "additionalProperties": {},
        },
        "retry_after": {"type": "integer", "description": "For 429: seconds to wait (also in Retry-After)."},
    },
}
ERROR_STATUSES = {
    "400": "Invalid request",
    "401": "No valid API key",
    "403": "The key lacks the scope",
    "404": "Not found (or not shared with you)",
    "405": "Read-only resource",
    "429": "Too many requests",
}


def document_problems(result, generator, request, public):
    """drf-spectacular post-processing hook: every operation may answer with a problem document."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    reference = {"$ref": "#/components/schemas/Problem"}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for code, description in ERROR_STATUSES.items():
                operation.setdefault("responses", {}).setdefault(
                    code, {"description": description, "content": {PROBLEM_JSON: {"schema": reference}}}
                )
    return result


class UntrustedJSONParser(JSONParser):
    """DRF's JSON parser with a nesting limit: deep JSON is a 400 problem document, not a RecursionError."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", "utf-8")
        try:
            return loads_bounded(stream.read().decode(encoding))
        except (ValueError, UnicodeDecodeError) as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from error
