"""The endpoints wallets call. No session: a wallet holds only the offer's URL, and the offer's id, challenge,
pre-authorised code and PIN let it ask (VCALM interaction URL, VC-API exchange, the LCW request link, OpenID4VCI);
the credential goes only to the wallet whose DID the learner approves on their offer page (``services``)."""

import json

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from oauth2_provider.utils import parse_bearer_token

from awards.credentials import VC_CONTEXT
from config.untrusted_json import loads_bounded

from . import metadata, services
from .models import WalletOffer
from .services import ExchangeError


def _error(error: ExchangeError) -> JsonResponse:
    """OAuth 2.0 / OpenID4VCI error response: ``error`` and ``error_description`` (never cached: the views are)."""
    response = JsonResponse({"error": error.code, "error_description": error.description}, status=error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = f'Bearer error="{error.code}"'
    return response


def _json_body(request) -> dict:
    try:
        body = loads_bounded(request.body.decode() or "{}")
    except (ValueError, UnicodeDecodeError) as error:
        raise ExchangeError("invalid_request", f"The body is not readable JSON: {error}") from error
    if not isinstance(body, dict):
        raise ExchangeError("invalid_request", "The body must be a JSON object.")
    return body


def _key_proof(body: dict) -> str:
    """The one ``jwt`` key proof of a credential request: OpenID4VCI 1.0's ``proofs`` or draft 13's ``proof``."""
    proofs, proof = body.get("proofs"), body.get("proof")
    if isinstance(proofs, dict) and proof is None:
        jwts = proofs.get("jwt")
    elif isinstance(proof, dict) and proofs is None:
        jwts = [proof.get("jwt")]
    else:
        raise ExchangeError("invalid_proof", "Send one key proof: a proofs object (or a proof object), not both.")
    if not isinstance(jwts, list) or len(jwts) != 1 or not isinstance(jwts[0], str):
        raise ExchangeError("invalid_proof", "Send exactly one jwt key proof.")
    return jwts[0]


def _bearer(request) -> str:
    return parse_bearer_token(request.headers.get("Authorization", "")) or ""


# VCALM interaction URL and VC-API exchange


@require_GET
def interaction(request, pk):
    """VCALM interaction URL: the protocols on offer for a wallet (JSON), or a page for a person who opened it."""
    offer = WalletOffer.objects.filter(pk=pk).first()
    if offer is None:
        raise Http404
    if "application/json" in request.headers.get("Accept", ""):
        if not offer.is_live:
            return _error(ExchangeError("invalid_request", f"This offer is {offer.state}.", 410))
        return JsonResponse(
            {
                "protocols": {
                    "vcapi": services.exchange_url(offer),
                    "OID4VCI": services.credential_offer_by_reference(offer),
                }
            }
        )
    return render(request, "wallets/interaction.html", {"offer": offer}, status=200 if offer.state == "open" else 410)


@csrf_exempt
@require_POST
@never_cache
def exchange(request, pk):
    """VC-API exchange: ``{}`` asks what to present; ``{"verifiablePresentation": …}`` delivers the credential."""
    try:
        body = _json_body(request)
        if "verifiablePresentation" not in body:
            return JsonResponse(services.exchange_request(pk))
        copy = services.exchange_complete(pk, body["verifiablePresentation"])
    except ExchangeError as error:
        return _error(error)
    return JsonResponse(
        {
            "verifiablePresentation": {
                "@context": [VC_CONTEXT],
                "type": ["VerifiablePresentation"],
                "verifiableCredential": [json.loads(copy.credential)],
            }
        }
    )


@csrf_exempt
@require_POST
@never_cache
def lcw_request(request, pk):
    """The DCC Learner Credential Wallet's request link: LCW posts its DID Authentication presentation itself as
    JSON (a body ``{"verifiablePresentation": …}`` is taken too), with no Authorization header; the credential
    itself is the answer."""
    try:
        body = _json_body(request)
        presentation = body.get("verifiablePresentation", body)
        copy = services.lcw_request_complete(pk, presentation, bearer=_bearer(request))
    except ExchangeError as error:
        return _error(error)
    # LCW decodes HTML entities in the answer before parsing it (app/lib/parseResponse.ts), which would turn a
    # "&notify=" in a URL into "¬ify=" and break the signature; JSON's own escape of "&" passes through intact.
    return HttpResponse(copy.credential.replace("&", "\\u0026"), content_type="application/json")


# OpenID4VCI, pre-authorised code flow


@require_GET
@never_cache
def credential_offer(request, pk):
    """OpenID4VCI §4.1.3: the credential offer behind ``credential_offer_uri``."""
    try:
        offer = services.open_offer(pk)
    except ExchangeError:
        return _error(ExchangeError("invalid_request", "This offer is not open.", 404))
    return JsonResponse(metadata.credential_offer(offer, services.pre_authorized_code(offer)))


@require_GET
def credential_issuer_metadata(request):
    """OpenID4VCI §12.2: ``/.well-known/openid-credential-issuer``."""
    return JsonResponse(metadata.credential_issuer())


@require_GET
def authorization_server_metadata(request):
    """RFC 8414 as profiled by OpenID4VCI §12.3, at ``/.well-known/oauth-authorization-server/wallets`` and where
    clients that append the suffix look (``metadata.authorization_server_id``)."""
    return JsonResponse(metadata.authorization_server())


@csrf_exempt
@require_POST
@never_cache
def token(request):
    """OpenID4VCI §6: the token endpoint, pre-authorised code grant only (form-encoded, RFC 6749 §4.1.3)."""
    if request.POST.get("grant_type") != metadata.PRE_AUTHORIZED_GRANT:
        return _error(ExchangeError("unsupported_grant_type", "Only the pre-authorised code grant is offered."))
    try:
        access_token, lifetime = services.token_issue(
            code=request.POST.get("pre-authorized_code", ""), pin=request.POST.get("tx_code")
        )
    except ExchangeError as error:
        return _error(error)
    return JsonResponse({"access_token": access_token, "token_type": "Bearer", "expires_in": lifetime})


@csrf_exempt
@require_POST
@never_cache
def nonce(request):
    """OpenID4VCI §7: the nonce endpoint."""
    return JsonResponse({"c_nonce": services.nonce_issue()})


@csrf_exempt
@require_POST
@never_cache
def credential(request):
    """OpenID4VCI §8: the credential endpoint. Accepts the 1.0 ``proofs`` object and draft 13's ``proof``."""
    try:
        body = _json_body(request)
        configuration = body.get("credential_configuration_id")
        if configuration is not None and configuration not in [*metadata.CONFIGURATIONS]:  # a list: any JSON type
            raise ExchangeError("unknown_credential_configuration", "Ask for OpenBadgeCredential or ClrCredential.")
        proof = _key_proof(body)
        copy = services.credential_issue(token=_bearer(request), proof_jwt=proof, configuration=configuration)
    except ExchangeError as error:
        return _error(error)
    return JsonResponse({"credentials": [{"credential": json.loads(copy.credential)}]})
