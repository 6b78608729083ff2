"""A test wallet that plays the other side of each protocol over HTTP, as a learner's wallet app would.

DID Authentication is signed by Digital Bazaar's JavaScript stack (tests/thirdparty/wallet.js, what the DCC
Learner Credential Wallet uses), and OpenID4VCI key proofs are JWS built here with ``cryptography`` alone, so
neither goes through the registry's own code.
"""

import base64
import json
import secrets
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import base58
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

WALLET_JS = Path(__file__).resolve().parents[1] / "thirdparty" / "wallet.js"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _metadata_url(issuer: str) -> str:
    """RFC 8414 §3.1: the well-known segment goes between the host and the issuer's path."""
    parts = urlsplit(issuer)
    return f"{parts.scheme}://{parts.netloc}/.well-known/oauth-authorization-server{parts.path}"


class TestWallet:
    __test__ = False  # not a test class

    def __init__(self, base_url: str, public_url: str):
        self.base_url, self.public_url = base_url, public_url
        self.seed = secrets.token_bytes(32)
        self.key = Ed25519PrivateKey.from_private_bytes(self.seed)
        self.did = None

    def local(self, url: str) -> str:
        """The registry names itself by its public URL; the test server listens elsewhere."""
        return url.replace(self.public_url, self.base_url)

    def protocols(self, interaction_url: str) -> dict:
        response = requests.get(self.local(interaction_url), headers={"Accept": "application/json"}, timeout=10)
        response.raise_for_status()
        return response.json()["protocols"]

    # VC-API

    def did_authentication(self, challenge: str, domain: str) -> dict:
        from awards.vc import jsonld

        node = shutil.which("node") or shutil.which("nodejs")
        payload = {
            "seed": self.seed.hex(),
            "challenge": challenge,
            "domain": domain,
            "contexts": {url: jsonld.document_loader(url)["document"] for url in jsonld._contexts()},
        }
        output = subprocess.run(
            [node, str(WALLET_JS)], input=json.dumps(payload), capture_output=True, text=True, check=True,
            cwd=WALLET_JS.parent,
        ).stdout  # fmt: skip
        signed = json.loads(output)
        self.did = signed["did"]
        return signed["presentation"]

    def vcapi(self, exchange_url: str, *, challenge: str | None = None) -> requests.Response:
        """Run the exchange: ask what to present, sign the DID Authentication, present it."""
        asked = requests.post(self.local(exchange_url), json={}, timeout=10)
        if asked.status_code != 200:
            return asked
        request = asked.json()["verifiablePresentationRequest"]
        presentation = self.did_authentication(challenge or request["challenge"], request["domain"])
        service = request["interact"]["service"][0]["serviceEndpoint"]
        return requests.post(self.local(service), json={"verifiablePresentation": presentation}, timeout=30)

    # OpenID4VCI

    def key_did(self) -> str:
        """did:key of the wallet's key: multicodec ed25519-pub (0xed 0x01) + the key, base58btc (multibase "z")."""
        public = self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return "did:key:z" + base58.b58encode(b"\xed\x01" + public).decode()

    def key_proof(self, *, audience: str, nonce: str, issued_at: int | None = None, by_kid=False) -> str:
        public = self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        header = {"typ": "openid4vci-proof+jwt", "alg": "EdDSA"}
        if by_kid:
            header["kid"] = f"{self.key_did()}#{self.key_did()[8:]}"
        else:
            header["jwk"] = {"kty": "OKP", "crv": "Ed25519", "x": _b64(public)}
        claims = {"aud": audience, "iat": issued_at or int(time.time()), "nonce": nonce}
        signing_input = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())
        return signing_input + "." + _b64(self.key.sign(signing_input.encode()))

    def jwk_did(self) -> str:
        public = self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        jwk = {"crv": "Ed25519", "kty": "OKP", "x": _b64(public)}
        return "did:jwk:" + _b64(json.dumps(jwk, separators=(",", ":")).encode())

    def credential_offer(self, offer_link: str) -> dict:
        uri = parse_qs(urlsplit(offer_link).query)["credential_offer_uri"][0]
        return requests.get(self.local(uri), timeout=10).json()

    def oid4vci_token(self, offer: dict, pin: str) -> requests.Response:
        grant = offer["grants"]["urn:ietf:params:oauth:grant-type:pre-authorized_code"]
        metadata = requests.get(self.local(_metadata_url(grant["authorization_server"])), timeout=10).json()
        assert metadata["issuer"] == grant["authorization_server"]
        form = {
            "grant_type": "urn:ietf:params:oauth:grant-type:pre-authorized_code",
            "pre-authorized_code": grant["pre-authorized_code"],
            "tx_code": pin,
        }
        return requests.post(self.local(metadata["token_endpoint"]), data=form, timeout=10)

    def oid4vci_credential(
        self, offer: dict, access_token: str, *, nonce: str | None = None, by_kid=False
    ) -> requests.Response:
        issuer = offer["credential_issuer"]
        metadata = requests.get(self.local(issuer + "/.well-known/openid-credential-issuer"), timeout=10).json()
        if nonce is None:
            nonce = requests.post(self.local(metadata["nonce_endpoint"]), timeout=10).json()["c_nonce"]
        body = {
            "credential_configuration_id": offer["credential_configuration_ids"][0],
            "proofs": {"jwt": [self.key_proof(audience=issuer, nonce=nonce, by_kid=by_kid)]},
        }
        headers = {"Authorization": f"Bearer {access_token}"}
        return requests.post(self.local(metadata["credential_endpoint"]), json=body, headers=headers, timeout=30)
