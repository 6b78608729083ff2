"""The VC-API endpoints over HTTP. Errors in the request are RFC 9457 problem documents with ``errors`` by field
(400); a credential or presentation that does not verify is answered 400 with its verification result, as the
VC-API test suites expect, and one that verifies 200.

``/credentials/issue`` signs as the registry: a registrar's session (with the permission to issue) or an issuer
API key (``Authorization: Api-Key <key>``, created in the admin). The verifiers are public, like ``/verify/``, the
"public verifier" VCALM allows: their cost is bounded per request and every caller without an issuer key is
rate-limited per IP (they read no session, which would exempt any signed-up account). These are not part of the
partner API's OpenAPI document (that contract is read-only); W3C's VCALM OpenAPI describes them.
"""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_api_key.permissions import KeyParser

from config.api import AnonymousRateThrottle

from .. import keys
from ..models import IssuerAPIKey
from ..services import ISSUE_PERMISSION
from . import services

LAST_USED_PRECISION = timedelta(minutes=1)  # at most one write per key and minute


class IssuerKeyAuthentication(BaseAuthentication):
    """`Authorization: Api-Key <key>`: an issuer key, checked against its hash; revoked or expired → 401."""

    keyword = "Api-Key"

    def authenticate(self, request):
        secret = KeyParser().get(request)
        if not secret:
            return None
        try:
            key = IssuerAPIKey.objects.get_from_key(secret)
        except IssuerAPIKey.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("This is not a valid issuer key.")) from None
        if not key.is_usable:
            raise exceptions.AuthenticationFailed(_("The issuer key is revoked or expired."))
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at > LAST_USED_PRECISION:
            IssuerAPIKey.objects.filter(pk=key.pk).update(last_used_at=now)
        return AnonymousUser(), key  # an issuing system is not a user of the site: no session, no staff rights

    def authenticate_header(self, request):
        return self.keyword


class CanIssue(BasePermission):
    """An issuer key, or a staff member who may issue credentials."""

    message = _("Issuing needs the permission to issue credentials.")

    def has_permission(self, request, view):
        if isinstance(request.auth, IssuerAPIKey):
            return True
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated(_("Sign in as registry staff, or send an issuer key."))
        return request.user.is_staff and request.user.has_perm(ISSUE_PERMISSION)


class StatusListFull(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "status_list_full"


class VCAPIView(APIView):
    schema = None  # described by W3C's VCALM OpenAPI, not by the partner API's contract
    authentication_classes = [IssuerKeyAuthentication, SessionAuthentication]
    throttle_classes = []  # issuing is for registrars and the registry's own systems; the verifiers say theirs


class TrustedOrAnonymousRate(AnonymousRateThrottle):
    """Callers without an issuer key at the API's per-IP rate; an issuer key without a limit."""

    def allow_request(self, request, view):
        return isinstance(request.auth, IssuerAPIKey) or super().allow_request(request, view)


def _member(data, name):
    if not isinstance(data, dict) or name not in data:
        raise exceptions.ValidationError({name: [_("This field is required.")]})
    return data[name]


def _refused(error):
    return exceptions.ValidationError(error.errors)


class IssueCredentialView(VCAPIView):
    """``POST /credentials/issue`` ``{credential, options}`` → 201 ``{verifiableCredential}``."""

    permission_classes = [CanIssue]

    def post(self, request):
        credential = _member(request.data, "credential")
        try:
            signed = services.issue(
                credential,
                request.data.get("options", {}),
                user=request.user if request.user.is_authenticated else None,
                api_key=request.auth if isinstance(request.auth, IssuerAPIKey) else None,
            )
        except services.Refused as error:
            raise _refused(error) from error
        except keys.NoActiveKey as error:
            raise exceptions.APIException(_("The registry has no signing key.")) from error
        except services.QuotaExceeded as error:
            raise exceptions.Throttled(detail=str(error)) from error
        except services.StatusListFull as error:
            raise StatusListFull(str(error)) from error
        return Response({"verifiableCredential": signed}, status=status.HTTP_201_CREATED)


class VerifyCredentialView(VCAPIView):
    """``POST /credentials/verify`` ``{verifiableCredential, options}`` → the verification result."""

    permission_classes = [AllowAny]
    # An issuer key or nothing: a session would exempt any signed-up account from the per-address rate.
    authentication_classes = [IssuerKeyAuthentication]
    throttle_classes = [TrustedOrAnonymousRate]

    def post(self, request):
        document = _member(request.data, "verifiableCredential")
        if not isinstance(request.data.get("options", {}), dict):
            raise exceptions.ValidationError({"options": [_("The options are a JSON object.")]})
        result = services.verify_credential(document)
        return Response(result, status=status.HTTP_200_OK if result["verified"] else status.HTTP_400_BAD_REQUEST)


class VerifyPresentationView(VCAPIView):
    """``POST /presentations/verify`` ``{verifiablePresentation, options}`` → the verification result."""

    permission_classes = [AllowAny]
    # An issuer key or nothing: a session would exempt any signed-up account from the per-address rate.
    authentication_classes = [IssuerKeyAuthentication]
    throttle_classes = [TrustedOrAnonymousRate]

    def post(self, request):
        presentation = _member(request.data, "verifiablePresentation")
        try:
            result = services.verify_presentation(presentation, request.data.get("options", {}))
        except services.Refused as error:
            raise _refused(error) from error
        return Response(result, status=status.HTTP_200_OK if result["verified"] else status.HTTP_400_BAD_REQUEST)
