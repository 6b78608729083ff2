"""JSON errors under the paths programs call: wallets, OAuth, the 1EdTech APIs, the REST API, well-known documents.

Their clients parse every answer as JSON, and an HTML error page (Django's own, or its DEBUG pages, which it renders
for 404 and 500 whatever handler404 says) breaks them: Sphereon's OpenID4VCI client stops at the first one it meets
while looking for metadata. So any error response there that is not JSON becomes JSON, with the same status and
headers (Allow, WWW-Authenticate, cookies), in the form the path's own errors take: OAuth 2.0's
``{"error", "error_description"}`` (wallets, OAuth, well-known documents), an RFC 9457 problem document under /api/
and the VC-API (``config.api``), the 1EdTech ``Imsx_StatusInfo`` under /ims/. What went wrong is logged by Django,
never sent.
An error that is JSON under another content type (oauthlib sends some so) keeps its body and is labelled JSON.

Two pages there are for people, in their browser: the OAuth consent page and the wallet offer page a person opens
from the QR code. Their HTML stays, unless the client asked for JSON.
"""

import json

from django.http import JsonResponse

from .api import PROBLEM_BASE, PROBLEM_JSON, TITLES

# The VC-API by exact prefix (/credentials/<id>/ is a page for people); it answers problem documents, as /api/ does.
PROBLEM_PATHS = ("/api/", "/credentials/issue", "/credentials/verify", "/presentations/")
PROTOCOL_PATHS = ("/wallets/", "/.well-known/", "/oauth/", "/ims/", *PROBLEM_PATHS)
PAGES_FOR_PEOPLE = ("/oauth/authorize/", "/wallets/interactions/")
# OAuth 2.0 (RFC 6749 §5.2, RFC 6750 §3.1) codes where one fits; otherwise the status's name, such as not_found.
OAUTH_CODES = {400: "invalid_request", 401: "invalid_token", 403: "access_denied", 500: "server_error",
               503: "temporarily_unavailable"}  # fmt: skip
DESCRIPTIONS = {
    400: "The request is not valid.",
    401: "The request needs valid credentials.",
    403: "The request is not allowed.",
    404: "There is nothing at this address.",
    405: "This address does not answer this method.",
    500: "The server failed to answer; the error is logged and will be looked at.",
}


class JsonProtocolErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not _replaces(request, response):
            return response
        if _is_json_object(response.content):  # oauthlib's errors are JSON sent without saying so
            response["Content-Type"] = "application/json"
            return response
        replaced = JsonResponse(_body(request.path, response), status=response.status_code)
        for header, value in response.headers.items():
            if header.lower() not in ("content-type", "content-length"):
                replaced[header] = value
        if request.path.startswith(PROBLEM_PATHS):
            replaced["Content-Type"] = PROBLEM_JSON
        replaced.cookies = response.cookies
        return replaced


def _replaces(request, response) -> bool:
    if response.status_code < 400 or response.streaming or "json" in response.get("Content-Type", ""):
        return False
    if not request.path.startswith(PROTOCOL_PATHS):
        return False
    return not request.path.startswith(PAGES_FOR_PEOPLE) or "json" in request.headers.get("Accept", "")


def _is_json_object(content: bytes) -> bool:
    try:
        return isinstance(json.loads(content), dict)
    except ValueError:  # UnicodeDecodeError and JSONDecodeError among them
        return False


def _body(path: str, response) -> dict:
    """The error in the form the path's clients read."""
    status, name = response.status_code, response.reason_phrase  # such as 404, "Not Found"
    description = DESCRIPTIONS.get(status, f"{name}.")
    if status == 405 and response.has_header("Allow"):
        description = f"This address answers only {response['Allow']}."
    if path.startswith(PROBLEM_PATHS):
        slug = name.lower().replace(" ", "-")  # as the API's own problem types: not-found, method-not-allowed
        return {"type": PROBLEM_BASE + slug, "title": TITLES.get(status, name), "status": status, "detail": description}
    if path.startswith("/ims/"):
        return {"imsx_codeMajor": "failure", "imsx_severity": "error", "imsx_description": description}
    return {"error": OAUTH_CODES.get(status, name.lower().replace(" ", "_")), "error_description": description}
