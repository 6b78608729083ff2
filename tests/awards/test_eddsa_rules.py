"""The rules the W3C eddsa-rdfc-2022 suite (vc-di-eddsa-test-suite with data-integrity-test-suite-assertion) checks,
as our own tests over the VC-API endpoints: what ``/credentials/issue`` returns, what ``/credentials/verify``
refuses, proof sets and chains, data loss. ``docs/conformance-eddsa-rules.md`` maps each suite test to its test here.

The suite issues VC Data Model 1.1 credentials (``credentials/v1``, ``issuanceDate``) whose issuer is a did:key, and
reads the verification method with a did:key resolver only: the registry issues them as the did:key of its active
signing key. Its verifier tests send VC 1.1 credentials signed by a did:key, built here the way its generator builds
them: canonicalized by a processor that drops what it cannot map (PyLD, as the suite's signer is lax where its
fixtures need it), a chained proof signing the document together with the proofs its ``previousProof`` names (as the
suite's static fixtures do), a proof of a set the document alone.
"""

import hashlib
import json
import re
from datetime import datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone
from pyld import jsonld as pyld

from awards.vc import data_integrity, jsonld
from awards.vc.multikey import decode_base58btc, encode_base58btc, public_key_from_multibase, public_key_multibase
from awards.vcapi.services import issuer_api_key_create

pytestmark = pytest.mark.django_db

VC_1_1 = "https://www.w3.org/2018/credentials/v1"
VC_2_0 = "https://www.w3.org/ns/credentials/v2"
DATA_INTEGRITY = "https://w3id.org/security/data-integrity/v2"
SECURITY = "https://w3id.org/security#"
BASE58 = re.compile(r"[1-9A-HJ-NP-Za-km-z]+")
DATE_TIME_STAMP = re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
ISSUER_SECRET = Ed25519PrivateKey.generate()  # the verifier tests' issuer, as the suite's generator has its own key
WITNESS_SECRET = Ed25519PrivateKey.generate()  # another party's proof in a set or chain (the suite's fixtures have one)


def post(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def did_key(secret):
    return "did:key:" + public_key_multibase(secret.public_key())


# Issuer rules: what /credentials/issue returns for the suite's credentials.


@pytest.fixture
def issuer_key(signing_key):
    _, secret = issuer_api_key_create(name="W3C eddsa suite", expires_at=timezone.now() + timedelta(days=1))
    return {"HTTP_AUTHORIZATION": f"Api-Key {secret}"}


@pytest.fixture
def registry_did_key(signing_key):
    """The registry's active key as a did:key identity, the issuer id the suite is configured with."""
    return "did:key:" + signing_key.public_key_multibase


def vc_1_1(issuer):
    """The data integrity suite's issuer credential."""
    return {
        "@context": [VC_1_1],
        "id": "urn:uuid:86294362-4254-4f36-854f-3952fe42555d",
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "issuanceDate": "2020-03-16T22:37:26.544Z",
        "credentialSubject": {"id": "did:key:z6MktKwz7Ge1Yxzr4JHavN33wiwa8y81QdcMRLXQsrH9T53b"},
    }


def vc_2_0(issuer):
    """The EdDSA suite's own issuer credential (data model, algorithm and interoperability tests)."""
    return {
        "@context": [VC_2_0],
        "id": "urn:uuid:4a2fb4e6-6b52-4c6a-8ad6-1f4c1b2f3f6d",
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "credentialSubject": {"id": "did:key:z6MktKwz7Ge1Yxzr4JHavN33wiwa8y81QdcMRLXQsrH9T53b", "name": "ExampleClaim"},
    }


def issue(client, issuer_key, credential):
    return post(client, "/credentials/issue", {"credential": credential, "options": {}}, **issuer_key)


@pytest.fixture(params=[vc_1_1, vc_2_0], ids=["vc-1.1", "vc-2.0"])
def issued(request, client, issuer_key, registry_did_key):
    response = issue(client, issuer_key, request.param(registry_did_key))
    assert response.status_code == 201, response.json()
    return response.json()["verifiableCredential"]


def test_issuing_as_the_registry_s_did_key_adds_one_proof_object(issued):
    assert isinstance(issued["proof"], dict)


def test_an_issued_proof_has_every_mandatory_member(issued):
    mandatory = ("type", "cryptosuite", "verificationMethod", "proofPurpose", "proofValue")
    assert all(isinstance(issued["proof"].get(name), str) for name in mandatory), issued["proof"]


def test_an_issued_proof_is_a_data_integrity_proof_of_the_eddsa_rdfc_2022_cryptosuite(issued):
    assert (issued["proof"]["type"], issued["proof"]["cryptosuite"]) == ("DataIntegrityProof", "eddsa-rdfc-2022")


def test_an_issued_proof_s_id_if_any_is_a_url(issued):
    assert re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:\S+", issued["proof"].get("id", "urn:absent"))


def test_the_proof_type_maps_to_the_data_integrity_proof_iri_under_the_credential_s_contexts(issued):
    expanded = jsonld.expand_safe({"@context": issued["@context"], "type": issued["proof"]["type"]})
    assert expanded == [{"@type": [SECURITY + "DataIntegrityProof"]}]


def test_the_verification_method_and_purpose_map_to_iris_under_the_credential_s_contexts(issued):
    [proof] = jsonld.expand_safe({"@context": issued["@context"], **issued["proof"]})
    assert proof[SECURITY + "verificationMethod"] == [{"@id": issued["proof"]["verificationMethod"]}]
    assert proof[SECURITY + "proofPurpose"] == [{"@id": SECURITY + "assertionMethod"}]


def test_the_cryptosuite_is_a_cryptosuite_string_under_the_credential_s_contexts(issued):
    proof = issued["proof"]
    [expanded] = jsonld.expand_safe(
        {"@context": issued["@context"], "type": proof["type"], "cryptosuite": proof["cryptosuite"]}
    )
    assert expanded[SECURITY + "cryptosuite"] == [
        {"@type": SECURITY + "cryptosuiteString", "@value": "eddsa-rdfc-2022"}
    ]


def test_the_proof_value_is_base58btc_multibase_text(issued):
    proof_value = issued["proof"]["proofValue"]
    assert proof_value.startswith("z") and BASE58.fullmatch(proof_value[1:])


def test_the_proof_value_is_a_detached_ed25519_signature_of_the_credential_by_the_registry_s_key(issued, signing_key):
    proof = issued["proof"]
    signature = decode_base58btc(proof["proofValue"])
    configuration = {key: value for key, value in proof.items() if key != "proofValue"} | {
        "@context": issued["@context"]
    }
    assert len(signature) == 64
    public_key_from_multibase(signing_key.public_key_multibase).verify(
        signature, data_integrity.hash_data(issued, configuration)
    )  # raises InvalidSignature otherwise


def test_the_verification_method_is_the_did_key_url_of_a_z6mk_ed25519_multikey(issued, signing_key):
    multibase = signing_key.public_key_multibase
    assert issued["proof"]["verificationMethod"] == f"did:key:{multibase}#{multibase}"
    assert multibase.startswith("z6Mk") and BASE58.fullmatch(multibase[1:])


def test_the_proof_purpose_is_assertion_method(issued):
    assert issued["proof"]["proofPurpose"] == "assertionMethod"


def test_the_proof_created_is_an_xml_schema_date_time_stamp(issued):
    created = issued["proof"]["created"]
    assert DATE_TIME_STAMP.fullmatch(created)
    assert datetime.fromisoformat(created.replace("Z", "+00:00")).tzinfo is not None


def test_issuing_keeps_a_vc_1_1_credential_in_its_data_model(client, issuer_key, registry_did_key):
    response = issue(client, issuer_key, vc_1_1(registry_did_key))
    assert response.status_code == 201, response.json()
    issued = response.json()["verifiableCredential"]
    assert issued["@context"][0] == VC_1_1 and issued["issuanceDate"] == "2020-03-16T22:37:26.544Z"


def test_issuing_refuses_a_vc_1_1_credential_with_a_type_no_context_defines(client, issuer_key, registry_did_key):
    credential = vc_1_1(registry_did_key)
    credential["type"].append("InvalidType")
    response = issue(client, issuer_key, credential)
    assert response.status_code == 400, response.json()
    assert response["Content-Type"] == "application/problem+json"


def test_issuing_refuses_a_vc_1_1_credential_with_a_term_no_context_defines(client, issuer_key, registry_did_key):
    credential = vc_1_1(registry_did_key)
    credential["credentialSubject"]["invalidTerm"] = "invalidTerm"
    response = issue(client, issuer_key, credential)
    assert response.status_code == 400, response.json()
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("credential", [vc_1_1, vc_2_0], ids=["vc-1.1", "vc-2.0"])
def test_issuing_a_credential_without_a_subject_is_refused_with_a_problem(
    client, issuer_key, registry_did_key, credential
):
    unsigned = credential(registry_did_key)
    del unsigned["credentialSubject"]
    response = issue(client, issuer_key, unsigned)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json" and "credentialSubject" in response.json()["errors"]


def test_a_credential_issued_here_verifies_here_with_the_proof_check(client, issuer_key, registry_did_key):
    issued = issue(client, issuer_key, vc_2_0(registry_did_key))
    assert issued.status_code == 201, issued.json()
    body = {"verifiableCredential": issued.json()["verifiableCredential"], "options": {"checks": ["proof"]}}
    response = post(client, "/credentials/verify", body)
    assert response.status_code == 200, response.json()


# Verifier rules: what /credentials/verify refuses (and accepts) among the suite's credentials.


def unsigned_vc_1_1(issuer=None):
    """The suite's verifier credential before signing: VC 1.1, with the Data Integrity context its signer adds."""
    return {**vc_1_1(issuer or did_key(ISSUER_SECRET)), "@context": [VC_1_1, DATA_INTEGRITY]}


def proof_by(secret, document, **members):
    """An eddsa-rdfc-2022 proof of ``document`` by ``secret``'s did:key, with ``members`` added to (or, as None,
    taken from) its configuration. It signs the document without its proofs, or with the proofs its
    ``previousProof`` names."""
    did = did_key(secret)
    configuration = data_integrity.proof_configuration(
        document, verification_method=f"{did}#{did[len('did:key:') :]}", created="2026-01-01T00:00:00Z"
    )
    configuration = {key: value for key, value in (configuration | members).items() if value is not None}
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    named = configuration.get("previousProof")
    if named is not None:
        named = named if isinstance(named, list) else [named]
        unsecured["proof"] = [proof for proof in proofs_of(document) if proof.get("id") in named]
    signed = hashlib.sha256(lax_canonical(configuration)).digest() + hashlib.sha256(lax_canonical(unsecured)).digest()
    proof = {key: value for key, value in configuration.items() if key != "@context"}
    return proof | {"proofValue": encode_base58btc(secret.sign(signed))}


def lax_canonical(document) -> bytes:
    options = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": jsonld.document_loader}
    return pyld.normalize(document, options | {"base": None}).encode()


def proofs_of(document):
    proof = document.get("proof", [])
    return proof if isinstance(proof, list) else [proof]


def signed(document, secret=ISSUER_SECRET, **members):
    """``document`` with one more proof (a proof set of two once it has one)."""
    proof = proof_by(secret, document, **members)
    existing = proofs_of(document)
    return {**document, "proof": [*existing, proof] if existing else proof}


def verify(client, credential):
    return post(client, "/credentials/verify", {"verifiableCredential": credential, "options": {}})


def assert_not_verified(response):
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body.get("verified") is False or response["Content-Type"] == "application/problem+json", body


def test_a_vc_1_1_credential_signed_by_its_did_key_issuer_verifies(client):
    response = verify(client, signed(unsigned_vc_1_1()))
    assert response.status_code == 200, response.json()


def test_a_type_relative_to_a_base_the_signer_used_and_then_removed_is_not_verified(client):
    """The base URL is null when deserializing: a type that was absolute only under an ``@base`` is not."""
    credential = unsigned_vc_1_1()
    credential["@context"] = [*credential["@context"], {"@base": "https://invalid.example.com/"}]
    credential["type"] = ["VerifiableCredential", "UndefinedCredential"]
    credential = signed(credential)
    credential["@context"] = credential["@context"][:-1]
    assert_not_verified(verify(client, credential))


def test_a_proof_of_an_unknown_type_is_not_verified(client):
    """The suite's own contexts alias ``UnknownProofType`` to DataIntegrityProof so its signature holds; ours do not
    define it, so the proof is renamed after signing."""
    credential = signed(unsigned_vc_1_1())
    credential["proof"]["type"] = "UnknownProofType"
    assert_not_verified(verify(client, credential))


def test_a_credential_whose_proof_is_null_is_not_verified(client):
    assert_not_verified(verify(client, {**signed(unsigned_vc_1_1()), "proof": None}))


def test_a_credential_sent_as_a_json_string_is_not_verified(client):
    assert_not_verified(verify(client, json.dumps(signed(unsigned_vc_1_1()))))


def test_a_credential_without_a_proof_is_not_verified(client):
    assert_not_verified(verify(client, unsigned_vc_1_1()))


def test_a_proof_whose_type_was_removed_is_not_verified(client):
    credential = signed(unsigned_vc_1_1())
    del credential["proof"]["type"]
    assert_not_verified(verify(client, credential))


@pytest.mark.parametrize("member", ["verificationMethod", "proofPurpose"])
def test_a_proof_signed_without_a_verification_method_or_purpose_is_not_verified(client, member):
    assert_not_verified(verify(client, signed(unsigned_vc_1_1(), **{member: None})))


def test_a_proof_signed_for_another_purpose_is_not_verified(client):
    assert_not_verified(verify(client, signed(unsigned_vc_1_1(), proofPurpose="invalidPurpose")))


def test_a_proof_signed_with_an_unknown_cryptosuite_is_not_verified(client):
    assert_not_verified(verify(client, signed(unsigned_vc_1_1(), cryptosuite="UnknownCryptosuite")))


@pytest.mark.parametrize(
    "proof_value",
    [pytest.param(None, id="missing"), pytest.param("null", id="null"), pytest.param("no-header", id="no-header")],
)
def test_a_proof_value_missing_null_or_without_its_multibase_header_is_not_verified(client, proof_value):
    credential = signed(unsigned_vc_1_1())
    if proof_value is None:
        del credential["proof"]["proofValue"]
    else:
        credential["proof"]["proofValue"] = None if proof_value == "null" else credential["proof"]["proofValue"][1:]
    assert_not_verified(verify(client, credential))


def test_a_term_no_context_defines_added_to_a_vc_1_1_subject_is_not_verified(client):
    credential = signed(unsigned_vc_1_1())
    credential["credentialSubject"]["undefinedTerm"] = "IfDroppedWillVerify"
    assert_not_verified(verify(client, credential))


def test_data_loss_a_type_no_context_defines_added_to_a_vc_1_1_credential_is_not_verified(client):
    credential = signed(unsigned_vc_1_1())
    credential["type"].append("UndefinedType")
    assert_not_verified(verify(client, credential))


# Proof sets and chains (the suite's optional proofChain tests, which it runs for eddsa-rdfc-2022).

FIRST_PROOF = "urn:uuid:26329423-bec9-4b2e-88cb-a7c7d9dc4544"


def chain(previous_proof, *, first_id=FIRST_PROOF):
    """A witness's proof, then the issuer's proof naming ``previous_proof`` (as the suite's fixtures: two keys)."""
    credential = signed(unsigned_vc_1_1(), WITNESS_SECRET, id=first_id)
    return signed(credential, ISSUER_SECRET, previousProof=previous_proof)


def test_proof_set_a_set_of_two_proofs_by_the_issuer_verifies(client):
    response = verify(client, signed(signed(unsigned_vc_1_1())))
    assert response.status_code == 200, response.json()


def test_proof_set_a_set_whose_second_proof_is_tampered_with_is_not_verified(client):
    credential = signed(signed(unsigned_vc_1_1()))
    credential["proof"][1]["created"] = "2027-01-01T00:00:00Z"
    assert_not_verified(verify(client, credential))


@pytest.mark.parametrize("previous_proof", [FIRST_PROOF, [FIRST_PROOF]], ids=["string", "array"])
def test_proof_chain_a_chain_naming_its_previous_proof_verifies(client, previous_proof):
    response = verify(client, chain(previous_proof))
    assert response.status_code == 200, response.json()


@pytest.mark.parametrize(
    "previous_proof", ["urn:uuid:no-such-proof", ["urn:uuid:no-such-proof"]], ids=["string", "array"]
)
def test_proof_chain_a_previous_proof_naming_no_proof_of_the_set_is_not_verified(client, previous_proof):
    assert_not_verified(verify(client, chain(previous_proof)))


def test_proof_chain_a_previous_proof_that_is_not_a_string_is_not_verified(client):
    assert_not_verified(verify(client, chain(456321, first_id="456321")))


def test_proof_chain_a_chain_whose_previous_proof_does_not_verify_is_not_verified(client):
    credential = chain(FIRST_PROOF)
    credential["proof"][0]["proofValue"] = "invalidProofValue"
    assert_not_verified(verify(client, credential))


def test_proof_chain_a_chain_signed_without_the_proof_it_names_is_not_verified(client):
    """The chained proof must cover the proof it names, so that proof cannot be swapped for another."""
    credential = signed(unsigned_vc_1_1(), WITNESS_SECRET, id=FIRST_PROOF)
    unsecured = {key: value for key, value in credential.items() if key != "proof"}
    credential["proof"] = [credential["proof"], proof_by(ISSUER_SECRET, unsecured, previousProof=FIRST_PROOF)]
    assert_not_verified(verify(client, credential))
