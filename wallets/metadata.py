"""The documents OpenID4VCI wallets read: issuer and authorisation server metadata, and the credential offer."""

from django.conf import settings
from django.urls import reverse

from awards.clr import CLR_CONTEXT
from awards.credentials import OB_CONTEXT, VC_CONTEXT, absolute

from . import proofs

PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
CONFIGURATIONS = {"OpenBadgeCredential": (OB_CONTEXT, "Open Badge"), "ClrCredential": (CLR_CONTEXT, "Learner Record")}
# OpenID4VCI 1.0 Appendix B.2: the claims a wallet shows, in this order, as claims path pointers into the JSON of
# the credential (Appendix C); ``mandatory`` where awards/credentials.py and awards/clr.py always write the claim.
CLAIMS = {
    "OpenBadgeCredential": [
        (["credentialSubject", "achievement", "name"], "Achievement", True),
        (["credentialSubject", "achievement", "description"], "Description", True),
        (["credentialSubject", "achievement", "criteria", "narrative"], "Criteria", True),
        (["credentialSubject", "achievement", "achievementType"], "Type of achievement", True),
        (["credentialSubject", "achievement", "fieldOfStudy"], "Field of study", True),
        (["credentialSubject", "creditsEarned"], "Credits earned", False),
        (["credentialSubject", "activityEndDate"], "Completed on", False),
        (["issuer", "name"], "Issued by", True),
        (["validFrom"], "Valid from", True),
        (["validUntil"], "Valid until", False),
    ],
    "ClrCredential": [
        (["name"], "Record", True),
        (["credentialSubject", "verifiableCredential", None, "name"], "Credentials", False),
        (["credentialSubject", "achievement", None, "name"], "Achievements other institutions give credit for", False),
        (["issuer", "name"], "Issued by", True),
        (["validFrom"], "Issued on", True),
    ],
}


def authorization_server_id() -> str:
    """The OpenID4VCI authorisation server (pre-authorised codes): not the root one, which is the OAuth 2.0 server
    of the 1EdTech APIs; its metadata is at /.well-known/oauth-authorization-server/wallets (RFC 8414 §3.1) and at
    /wallets/.well-known/oauth-authorization-server, where clients that append the suffix look."""
    return settings.REGISTRY_PUBLIC_URL + "/wallets"


def credential_issuer() -> dict:
    """OpenID4VCI 1.0 §12.2.4: an OB 3.0 credential and a CLR 2.0 record, as ``ldp_vc`` signed with eddsa-rdfc-2022
    and bound to the wallet's did:key, did:jwk or bare JWK (as its did:jwk), proved by a jwt key proof signed with
    EdDSA or ES256 (``proofs``); each with the 1.0 ``credential_metadata`` (its display name and claims)."""
    return {
        "credential_issuer": settings.REGISTRY_PUBLIC_URL,
        "authorization_servers": [authorization_server_id()],
        "credential_endpoint": absolute(reverse("wallets:credential")),
        "nonce_endpoint": absolute(reverse("wallets:nonce")),
        "display": [{"name": settings.WALLET_ISSUER_NAME, "locale": "en"}],
        "credential_configurations_supported": {
            configuration: {
                "format": "ldp_vc",
                "credential_definition": {
                    "@context": [VC_CONTEXT, context],
                    "type": ["VerifiableCredential", configuration],
                },
                "cryptographic_binding_methods_supported": ["did:key", "did:jwk", "jwk"],
                "credential_signing_alg_values_supported": ["eddsa-rdfc-2022"],  # for ldp_vc, cryptosuite names
                "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": [*proofs.ALGORITHMS]}},
                "credential_metadata": {
                    "display": [{"name": name, "locale": "en"}],
                    "claims": [
                        {"path": path, "mandatory": mandatory, "display": [{"name": label, "locale": "en"}]}
                        for path, label, mandatory in CLAIMS[configuration]
                    ],
                },
                "display": [{"name": name, "locale": "en"}],  # where wallets of draft 13 and earlier look
            }
            for configuration, (context, name) in CONFIGURATIONS.items()
        },
    }


def authorization_server() -> dict:
    """RFC 8414 metadata for the pre-authorised code grant (OpenID4VCI §12.3)."""
    return {
        "issuer": authorization_server_id(),
        "token_endpoint": absolute(reverse("wallets:token")),
        "grant_types_supported": [PRE_AUTHORIZED_GRANT],
        "pre-authorized_grant_anonymous_access_supported": True,
        "response_types_supported": [],
    }


def credential_offer(offer, code: str) -> dict:
    """OpenID4VCI §4.1.1: the offer with the pre-authorised code grant and a numeric PIN of six digits."""
    return {
        "credential_issuer": settings.REGISTRY_PUBLIC_URL,
        "credential_configuration_ids": [offer.configuration],
        "grants": {
            PRE_AUTHORIZED_GRANT: {
                "pre-authorized_code": code,
                "authorization_server": authorization_server_id(),
                "tx_code": {
                    "input_mode": "numeric",
                    "length": 6,
                    "description": f"The PIN shown beside the QR code of {offer.what}.",
                },
            }
        },
    }
