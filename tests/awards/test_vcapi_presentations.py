"""POST /presentations/verify checks a presentation's own proof by its holder: a did:key or did:jwk holder (the key is
the DID itself), or a did:web holder whose DID document, fetched through the outbound guard from a local TLS server,
lists the key under ``authentication``. Presentations signed by Digital Bazaar's JavaScript libraries, as wallets
sign them, verify too.

No test here touches the network: names resolve through the ``fake_dns`` table and the did:web server is a local
TLS server with its own CA, exempted from the public-address rule by setting (as in test_verifier_fetches.py).
"""

import json
import secrets

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from awards.vc import jsonld
from awards.vc.multikey import public_key_multibase
from tests.awards.tls_server import serve_https
from tests.vc.test_presentations_holders import CHALLENGE, DOMAIN, did_jwk, did_key, signed
from tests.wallets.lcw import _node

pytestmark = pytest.mark.django_db

OPTIONS = {"challenge": CHALLENGE, "domain": DOMAIN}


def verify(client, presentation, options=OPTIONS):
    body = {"verifiablePresentation": presentation, "options": options}
    return client.post("/presentations/verify", json.dumps(body), content_type="application/json")


def proof_problems(response):
    return [problem["detail"] for problem in response.json()["problemDetails"] if problem["check"] == "proof"]


@pytest.fixture
def holder_server(fake_dns, tmp_path, settings):
    """A wallet's did:web on a local TLS server at wallet.test: ``publish`` serves its DID document."""
    routes = {}
    with serve_https(tmp_path, "wallet.test", routes) as (port, ca_file, requests):
        fake_dns["wallet.test"] = ["127.0.0.1"]
        settings.VERIFIER_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
        settings.VERIFIER_FETCH_CA_FILE = ca_file
        did = f"did:web:wallet.test%3A{port}:alice"

        def publish(key, *, relationship="authentication", listed=None):
            method = f"{did}#key-1"
            document = {
                "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
                "id": did,
                relationship: [method] if listed is None else listed,
                "verificationMethod": [
                    {
                        "id": method,
                        "type": "Multikey",
                        "controller": did,
                        "publicKeyMultibase": public_key_multibase(key.public_key()),
                    }
                ],
            }
            routes["/alice/did.json"] = (200, {"Content-Type": "application/json"}, json.dumps(document).encode())
            return method

        yield {"did": did, "publish": publish, "requests": requests}


@pytest.mark.parametrize("did_of", [did_key, did_jwk], ids=["did:key", "did:jwk"])
def test_a_presentation_signed_by_its_did_key_or_did_jwk_holder_verifies(client, did_of):
    key = Ed25519PrivateKey.generate()
    did = did_of(key)
    response = verify(client, signed(key, f"{did}#{did[8:]}" if did.startswith("did:key:") else f"{did}#0"))
    assert response.status_code == 200, response.json()
    assert response.json()["checks"] == [f"The presentation was signed by its holder {did}."]


def test_a_presentation_signed_by_its_did_web_holder_with_an_authentication_key_verifies(client, holder_server):
    key = Ed25519PrivateKey.generate()
    method = holder_server["publish"](key)
    response = verify(client, signed(key, method))
    assert response.status_code == 200, response.json()
    assert response.json()["checks"] == [f"The presentation was signed by its holder {holder_server['did']}."]
    assert [request[0] for request in holder_server["requests"]] == ["/alice/did.json"]


def test_a_did_web_holder_s_key_listed_only_for_assertion_does_not_authenticate(client, holder_server):
    key = Ed25519PrivateKey.generate()
    method = holder_server["publish"](key, relationship="assertionMethod")
    response = verify(client, signed(key, method))
    assert response.status_code == 400
    assert proof_problems(response) == [
        "The holder's key cannot be resolved: The key is not authorised for authentication in the DID document."
    ]


def test_a_did_web_holder_whose_document_cannot_be_fetched_is_refused_without_detail(client, holder_server):
    key = Ed25519PrivateKey.generate()
    response = verify(client, signed(key, f"{holder_server['did']}#key-1"))  # nothing published: a 404
    assert response.status_code == 400
    assert proof_problems(response) == [
        "The holder's key cannot be resolved: The holder's DID document could not be retrieved."
    ]


def test_a_did_web_presentation_signed_by_a_key_other_than_the_published_one_is_refused(client, holder_server):
    method = holder_server["publish"](Ed25519PrivateKey.generate())
    response = verify(client, signed(Ed25519PrivateKey.generate(), method))
    assert response.status_code == 400
    assert proof_problems(response) == ["The presentation's signature does not match."]


def _library_signed(script):
    """A did:key holder's presentation over CHALLENGE and DOMAIN, signed by Digital Bazaar's @digitalbazaar/vc:
    ``wallet.js`` with Ed25519Signature2020 as the Learner Credential Wallet does, ``vpr_wallet.js`` with
    eddsa-rdfc-2022 as asked by a presentation request."""
    contexts = {url: jsonld.document_loader(url)["document"] for url in jsonld._contexts()}
    payload = {"seed": secrets.token_bytes(32).hex(), "contexts": contexts}
    if script == "wallet.js":
        payload.update(challenge=CHALLENGE, domain=DOMAIN)
    else:
        query = {
            "type": "DIDAuthentication",
            "acceptedMethods": [{"method": "key"}],
            "acceptedCryptosuites": [{"cryptosuite": "eddsa-rdfc-2022"}],
        }
        payload["request"] = {"query": [query], "challenge": CHALLENGE, "domain": DOMAIN}
    answer = _node(script, payload)
    return answer["presentation"], answer["did"]


@pytest.mark.parametrize("script", ["wallet.js", "vpr_wallet.js"])
def test_a_presentation_signed_by_digital_bazaar_s_library_verifies_with_its_challenge_and_domain(client, script):
    presentation, did = _library_signed(script)
    response = verify(client, presentation)
    assert response.status_code == 200, response.json()
    assert response.json()["checks"] == [f"The presentation was signed by its holder {did}."]
    assert verify(client, presentation, {**OPTIONS, "domain": "other.example"}).status_code == 400


def test_a_presentation_without_a_proof_is_verified_with_a_warning_that_its_holder_is_not_proven(client):
    presentation = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"]}
    response = verify(client, presentation, options={})
    assert response.json()["verified"] is True
    assert response.json()["warnings"] == [
        "The presentation carries no proof: who presents it is not proven, only its credentials."
    ]


def test_a_did_web_holder_s_document_with_malformed_entries_is_a_refusal_not_an_error(client, holder_server):
    key = Ed25519PrivateKey.generate()
    method = holder_server["publish"](key, listed=[{"id": ["not", "a", "string"]}, 7, None])
    response = verify(client, signed(key, method))
    assert response.status_code == 400
    assert proof_problems(response) == [
        "The holder's key cannot be resolved: The key is not authorised for authentication in the DID document."
    ]
