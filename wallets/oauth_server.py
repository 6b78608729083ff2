"""What this registry adds to django-oauth-toolkit's authorisation server (wired in settings.OAUTH2_PROVIDER and
oauth_urls): oauthlib's ``WebApplicationServer`` serves only the authorisation code and refresh token grants, the
validator revokes what a code was exchanged for when the code comes back and keeps a platform to the scopes it
registered, and the views answer a 4xx where
django-oauth-toolkit's own answered a 500.
"""

import re
import uuid
from urllib.parse import urlsplit

from django.utils.crypto import salted_hmac
from oauth2_provider import views
from oauth2_provider.exceptions import FatalClientError
from oauth2_provider.models import get_application_model, get_refresh_token_model
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.oauth2.rfc6749.errors import (
    CustomOAuth2Error,
    InvalidClientIdError,
    InvalidGrantError,
    InvalidRequestFatalError,
    MismatchingRedirectURIError,
)

from .ims_api import WRITE_SCOPES

MALFORMED_RESOURCE = "A resource parameter is not a URI."
MALFORMED_PKCE_OR_NONCE = "The code_challenge must be 43 to 128 URL-safe characters, and a nonce at most 255."
# RFC 7636 §4.2 (S256 gives 43); django-oauth-toolkit stores them in columns of 128 and 255 characters.
CODE_CHALLENGE = re.compile(r"[A-Za-z0-9._~-]{43,128}")


def code_family(client, code: str) -> uuid.UUID:
    """The refresh token family of the tokens a code was exchanged for. A keyed digest of the code, so a replayed
    code still names them after django-oauth-toolkit deleted it, and nothing that could be traded is stored."""
    return uuid.UUID(bytes=salted_hmac("wallets.oauth_server.code_family", f"{client.pk}:{code}").digest()[:16])


def _splits(uri: str) -> bool:
    """Whether urlsplit can split ``uri``: it raises ValueError for a malformed IPv6 host, which
    django-oauth-toolkit's checks of a ``resource`` (RFC 8707) let through as a 500."""
    try:
        urlsplit(uri)
    except ValueError:
        return False
    return True


def _storable(code_challenge: str, nonce: str) -> bool:
    """Whether what the grant will store fits: a longer value was a 500 on PostgreSQL, which checks lengths."""
    return (not code_challenge or CODE_CHALLENGE.fullmatch(code_challenge) is not None) and len(nonce) <= 255


def _registered(application, redirect_uri: str) -> bool:
    """Whether the platform registered ``redirect_uri``; django-oauth-toolkit's comparison raises ValueError for a
    URI urlsplit cannot split or a port out of range."""
    try:
        return application.redirect_uri_allowed(redirect_uri)
    except ValueError:
        return False


class Validator(OAuth2Validator):
    """A code presented again revokes every token it led to (RFC 6749 §4.1.2, §10.5): the refresh token it was
    exchanged for starts a family named by the code (``code_family``), which rotation keeps. Values
    django-oauth-toolkit does not expect are refused rather than raised: a NUL, which PostgreSQL cannot even
    compare, and URIs urlsplit cannot split."""

    def _load_application(self, client_id, request):
        # No client_id holds a NUL, and PostgreSQL refuses even to compare one (psycopg 3 raises DataError where
        # django-oauth-toolkit expects psycopg2's ValueError).
        if isinstance(client_id, str) and "\x00" in client_id:
            return None
        return super()._load_application(client_id, request)

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        if "\x00" not in code and super().validate_code(client_id, code, client, request, *args, **kwargs):
            return True
        # An exchanged code is deleted, so this may be one: whoever else holds it keeps nothing. An unknown,
        # expired or NUL-holding code names a family without tokens.
        get_refresh_token_model().revoke_family(code_family(client, code))
        return False

    def invalidate_authorization_code(self, client_id, code, request, *args, **kwargs):
        try:
            super().invalidate_authorization_code(client_id, code, request, *args, **kwargs)
        except InvalidGrantError:
            # Another exchange of this code got in first, at the same moment: neither keeps its tokens.
            get_refresh_token_model().revoke_family(code_family(request.client, code))
            raise

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        # A registered platform asks only for what it registered (and the learner was told it would read).
        registered = getattr(client, "registered_client", None)
        if registered is not None and not set(scopes) <= set(registered.scope.split()):
            return False
        return super().validate_scopes(client_id, scopes, client, request, *args, **kwargs)

    def validate_redirect_uri(self, client_id, redirect_uri, request, *args, **kwargs):
        return _registered(request.client, redirect_uri)

    def _validate_resource_uris(self, request, resources):
        if not all(map(_splits, resources)):
            raise CustomOAuth2Error(error="invalid_target", description=MALFORMED_RESOURCE, request=request)
        super()._validate_resource_uris(request, resources)

    def _create_refresh_token(self, request, refresh_token_code, access_token, previous_refresh_token):
        refresh_token = super()._create_refresh_token(request, refresh_token_code, access_token, previous_refresh_token)
        if previous_refresh_token is None and request.grant_type == "authorization_code":
            # Rotation keeps the family, so revoking it also reaches the tokens refreshed since.
            refresh_token.token_family = code_family(request.client, request.code)
            refresh_token.save(update_fields=["token_family"])
        return refresh_token


class TokenView(views.TokenView):
    """The token endpoint, every grant answered by the server: django-oauth-toolkit's own branch for the device
    flow (RFC 8628), not offered here, reads ``device_code`` unchecked and answered a 500 without one."""

    def post(self, request, *args, **kwargs):
        return self.authorization_flow_token_response(request)


class AuthorizationView(views.AuthorizationView):
    """The consent page, answering with the error page where django-oauth-toolkit answered a 500 or worse. Its
    answer (the form's hidden fields) is checked again: django-oauth-toolkit looks up the client_id unchecked, and
    sends a refusal to the posted redirect_uri without comparing it with the registered ones."""

    def get(self, request, *args, **kwargs):
        if not all(map(_splits, request.GET.getlist("resource"))):
            return self._refuse(InvalidRequestFatalError(description=MALFORMED_RESOURCE))
        if not _storable(request.GET.get("code_challenge", ""), request.GET.get("nonce", "")):
            return self._refuse(InvalidRequestFatalError(description=MALFORMED_PKCE_OR_NONCE))
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        application = get_application_model().objects.filter(client_id=form.cleaned_data["client_id"]).first()
        if application is None:
            return self._refuse(InvalidClientIdError())
        if not _registered(application, form.cleaned_data["redirect_uri"]):
            return self._refuse(MismatchingRedirectURIError())
        if not all(map(_splits, form.cleaned_data["resource"].split())):
            return self._refuse(InvalidRequestFatalError(description=MALFORMED_RESOURCE))
        if not _storable(form.cleaned_data.get("code_challenge") or "", form.cleaned_data.get("nonce") or ""):
            return self._refuse(InvalidRequestFatalError(description=MALFORMED_PKCE_OR_NONCE))
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        # The consent page's question says whether the platform would also add to the learner's record.
        context = super().get_context_data(**kwargs)
        context["adds"] = bool(WRITE_SCOPES & set(context.get("scopes") or ()))
        return context

    def _refuse(self, error):
        """The error page, sending nothing to a redirect URI the request may have forged."""
        return self.error_response(FatalClientError(error=error), application=None)
