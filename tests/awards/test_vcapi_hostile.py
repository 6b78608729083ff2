"""Hostile requests to the three VC-API endpoints (``/credentials/issue`` with an issuer key, ``/credentials/verify``,
``/presentations/verify``) get a 4xx answer in JSON — a problem document, or a verification result that says what
failed — never a 500, and cost bounded work: what is past the limits (``awards/vc/limits.py``) is refused before it
is turned into RDF or decoded, which the tests count rather than time.

Where a request must reach the verifier's own limits, the upload limit is raised above its size so that Django's
limit, tested on its own, does not answer first.
"""

import copy
import hashlib
import json
from datetime import timedelta

import base58
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awards import keys
from awards.vc import data_integrity, jsonld
from awards.vc.multikey import MAX_ENCODED_LENGTH, encode_base58btc, public_key_multibase
from awards.vcapi.services import issuer_api_key_create

pytestmark = pytest.mark.django_db

VC_2_0 = "https://www.w3.org/ns/credentials/v2"
SECRET = Ed25519PrivateKey.generate()
DID = "did:key:" + public_key_multibase(SECRET.public_key())
ISSUE, VERIFY, PRESENT = "/credentials/issue", "/credentials/verify", "/presentations/verify"
ENDPOINTS = [ISSUE, VERIFY, PRESENT]
MEMBER = {ISSUE: "credential", VERIFY: "verifiableCredential", PRESENT: "verifiablePresentation"}
LARGE_UPLOADS = 64 * 1024 * 1024


def credential(issuer=DID):
    return {
        "@context": [VC_2_0],
        "id": "urn:uuid:0d6a3f2e-5b41-4f8e-9a1c-2e7b9c4d1f00",
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner", "name": "Example claim"},
    }


def sign(document, *, purpose="assertionMethod", **members):
    configuration = data_integrity.proof_configuration(
        document, verification_method=f"{DID}#{DID[len('did:key:') :]}", created="2026-01-01T00:00:00Z"
    ) | {"proofPurpose": purpose, **members}
    proof = {key: value for key, value in configuration.items() if key != "@context"}
    proof["proofValue"] = encode_base58btc(SECRET.sign(data_integrity.hash_data(document, configuration)))
    return {**document, "proof": proof}


SIGNED = sign(credential())


def unsigned_presentation(*credentials):
    return {"@context": [VC_2_0], "type": ["VerifiablePresentation"], "verifiableCredential": list(credentials)}


def presentation(*credentials):
    """A presentation of ``credentials`` by the did:key holder, signed for the challenge "c" (DID Authentication)."""
    return sign({**unsigned_presentation(*credentials), "holder": DID}, purpose="authentication", challenge="c")


PRESENTED = presentation(SIGNED)
# The JSON-LD work a request may still cost when what is hostile is refused: a presentation's credential is verified
# whatever its presentation's proof says (its proof configuration and the credential, canonicalized).
HONEST_WORK = {ISSUE: 0, VERIFY: 0, PRESENT: 2}


def document_for(endpoint):
    """What each endpoint takes: a credential to sign as the registry, a signed credential, a signed presentation."""
    if endpoint == ISSUE:
        return credential(keys.issuer_did())
    return copy.deepcopy(SIGNED if endpoint == VERIFY else PRESENTED)


@pytest.fixture
def headers(signing_key):
    """An issuer key: it may issue, and the verifiers do not rate-limit it (so many requests stay answers)."""
    _, secret = issuer_api_key_create(name="Hostile client", expires_at=timezone.now() + timedelta(days=1))
    return {"HTTP_AUTHORIZATION": f"Api-Key {secret}"}


def send(client, endpoint, document, headers, **options):
    body = {MEMBER[endpoint]: document, "options": options}
    return client.post(endpoint, json.dumps(body), content_type="application/json", **headers)


def assert_refused(response):
    """A 4xx in JSON: a problem document, or a verification result that is not verified and says why."""
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    body = response.json()
    if response["Content-Type"] == "application/problem+json":
        assert {"type", "title", "status", "detail"} <= set(body), body
    else:
        assert body["verified"] is False and body["errors"], body


@pytest.fixture
def canonicalized(monkeypatch):
    """The documents turned into RDF and canonicalized (the costly JSON-LD work), in order."""
    documents, original = [], jsonld.canonical_nquads

    def counting(document):
        documents.append(document)
        return original(document)

    monkeypatch.setattr(jsonld, "canonical_nquads", counting)
    return documents


@pytest.fixture
def base58_decoded(monkeypatch):
    """The lengths of the texts handed to the base58 decoder (quadratic in its input)."""
    lengths, original = [], base58.b58decode

    def measuring(value, *args, **kwargs):
        lengths.append(len(value))
        return original(value, *args, **kwargs)

    monkeypatch.setattr(base58, "b58decode", measuring)
    return lengths


# The request itself.


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_body_over_the_upload_limit_is_refused_unread(client, headers, endpoint, settings, canonicalized):
    padding = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = send(client, endpoint, {**document_for(endpoint), "padding": padding}, headers)
    assert_refused(response)
    assert response["Content-Type"] == "application/problem+json" and canonicalized == []


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_json_nested_ten_thousand_levels_deep_is_refused(client, headers, endpoint):
    nested = "[" * 10_000 + "]" * 10_000
    body = f'{{"{MEMBER[endpoint]}": {nested}}}'
    response = client.post(endpoint, body, content_type="application/json", **headers)
    assert_refused(response)
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_text_that_is_not_json_is_refused(client, headers, endpoint):
    response = client.post(endpoint, '{"credential": ', content_type="application/json", **headers)
    assert_refused(response)
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("body", [[], "credential", 42, None, True], ids=["array", "string", "number", "null", "true"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_body_that_is_not_a_json_object_is_refused(client, headers, endpoint, body):
    response = client.post(endpoint, json.dumps(body), content_type="application/json", **headers)
    assert_refused(response)
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_body_of_another_media_type_is_refused(client, headers, endpoint, content_type):
    body = json.dumps({MEMBER[endpoint]: document_for(endpoint)})
    response = client.post(endpoint, body, content_type=content_type, **headers)
    assert response.status_code == 415
    assert_refused(response)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_document_that_is_not_an_object_is_refused(client, headers, endpoint):
    assert_refused(send(client, endpoint, "a credential", headers))


# Contexts.


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_same_context_ten_thousand_times_is_refused_before_any_json_ld_work(
    client, headers, endpoint, canonicalized
):
    document = document_for(endpoint)
    document["@context"] = [VC_2_0] * 10_000
    assert_refused(send(client, endpoint, document, headers))
    assert len(canonicalized) <= HONEST_WORK[endpoint]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_thousand_unknown_contexts_are_refused_before_any_json_ld_work(client, headers, endpoint, canonicalized):
    document = document_for(endpoint)
    document["@context"] = [VC_2_0, *(f"https://contexts.example/{number}" for number in range(1_000))]
    assert_refused(send(client, endpoint, document, headers))
    assert len(canonicalized) <= HONEST_WORK[endpoint]


def test_a_presented_credential_repeating_its_context_is_refused_before_any_json_ld_work(
    client, headers, canonicalized
):
    repeated = {**SIGNED, "@context": [VC_2_0] * 10_000}
    assert_refused(send(client, PRESENT, unsigned_presentation(repeated), headers))
    assert canonicalized == []


# Proofs.


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_ten_thousand_proofs_are_refused_before_any_is_checked(client, headers, endpoint, settings, canonicalized):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LARGE_UPLOADS
    document = document_for(endpoint)
    document["proof"] = [SIGNED["proof"]] * 10_000
    assert_refused(send(client, endpoint, document, headers))
    assert len(canonicalized) <= HONEST_WORK[endpoint]


def _cycle(*names):
    """A proof set whose proofs each name the next as their previous proof, the last naming the first."""
    following = [*names[1:], names[0]]
    return [
        SIGNED["proof"] | {"id": name, "previousProof": after} for name, after in zip(names, following, strict=True)
    ]


@pytest.mark.parametrize(
    "names", [["urn:a"], ["urn:a", "urn:b"], ["urn:a", "urn:b", "urn:c"]], ids=["one", "two", "three"]
)
def test_a_previous_proof_cycle_is_not_verified_and_each_proof_is_checked_at_most_once(
    client, headers, names, canonicalized
):
    assert_refused(send(client, VERIFY, {**SIGNED, "proof": _cycle(*names)}, headers))
    assert len(canonicalized) <= 2 * len(names)  # a proof's configuration and the document it signs


def test_a_presented_credential_with_a_previous_proof_cycle_is_not_verified(client, headers):
    cyclic = {**SIGNED, "proof": _cycle("urn:a", "urn:b")}
    assert_refused(send(client, PRESENT, unsigned_presentation(cyclic), headers))


def test_issuing_a_credential_with_a_previous_proof_cycle_is_refused(client, headers):
    document = {**document_for(ISSUE), "proof": _cycle("urn:a", "urn:b")}
    assert_refused(send(client, ISSUE, document, headers))


def _chain(length):
    """The signed credential with ``length`` chained proofs: each names the one before as its previous proof and
    signs the credential together with it."""
    unsecured = {key: value for key, value in SIGNED.items() if key != "proof"}
    proofs = []
    for number in range(length):
        configuration = {**SIGNED["proof"], "@context": unsecured["@context"], "id": f"urn:proof:{number}"}
        del configuration["proofValue"]
        if proofs:
            configuration["previousProof"] = proofs[-1]["id"]
        covered = {**unsecured, "proof": proofs[-1:]}
        signed = hashlib.sha256(jsonld.canonical_nquads(configuration).encode()).digest()
        signed += hashlib.sha256(jsonld.canonical_nquads(covered).encode()).digest()
        proof = {key: value for key, value in configuration.items() if key != "@context"}
        proofs.append(proof | {"proofValue": encode_base58btc(SECRET.sign(signed))})
    return {**unsecured, "proof": proofs}


def test_the_longest_proof_chain_verified_costs_each_proof_one_check(client, headers, canonicalized):
    chain = _chain(data_integrity.MAX_PROOFS)
    canonicalized.clear()  # signing it here is not the verifier's work
    response = send(client, VERIFY, chain, headers)
    assert response.status_code == 200, response.json()
    assert len(canonicalized) <= 2 * len(chain["proof"])  # each proof's configuration and what it signs, once


# Presentations.


def test_a_presentation_of_ten_thousand_credentials_is_refused_before_any_is_verified(
    client, headers, settings, canonicalized
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LARGE_UPLOADS
    response = send(client, PRESENT, unsigned_presentation(*[SIGNED] * 10_000), headers)
    assert_refused(response)
    assert len(canonicalized) == 0, f"{len(response.json().get('credentialResults', []))} credentials verified"


# Huge strings.

HUGE = 2_000_000  # under the upload limit


@pytest.mark.parametrize(
    "member, value",
    [
        ("proofValue", "z" + "1" * HUGE),
        ("verificationMethod", "did:key:z" + "1" * HUGE),
        ("verificationMethod", f"{DID}#{'k' * HUGE}"),
        ("verificationMethod", "did:web:" + "a" * HUGE),
    ],
    ids=["proofValue", "did-key", "fragment", "did-web"],
)
@pytest.mark.parametrize("endpoint", [VERIFY, PRESENT])
def test_a_huge_proof_value_or_verification_method_is_refused_before_it_is_decoded(
    client, headers, endpoint, member, value, base58_decoded
):
    document = document_for(endpoint)
    document["proof"][member] = value
    assert_refused(send(client, endpoint, document, headers, challenge="c"))
    assert max(base58_decoded, default=0) <= MAX_ENCODED_LENGTH


def test_a_huge_verification_method_in_a_presented_credential_is_refused_before_it_is_decoded(
    client, headers, base58_decoded
):
    huge = {**SIGNED, "proof": SIGNED["proof"] | {"verificationMethod": "did:key:z" + "1" * HUGE}}
    assert_refused(send(client, PRESENT, presentation(huge), headers, challenge="c"))
    assert max(base58_decoded, default=0) <= MAX_ENCODED_LENGTH


# Anything at all.

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
TOP_LEVEL = st.sampled_from(
    ["@context", "id", "type", "issuer", "validFrom", "validUntil", "issuanceDate", "credentialSubject",
     "credentialStatus", "proof", "holder", "verifiableCredential"]
)  # fmt: skip
PROOF_MEMBERS = st.sampled_from(
    ["type", "cryptosuite", "created", "expires", "verificationMethod", "proofPurpose", "proofValue", "id",
     "previousProof", "challenge", "domain"]
)  # fmt: skip


@st.composite
def mutated(draw, endpoint):
    """The endpoint's own valid document with one top-level member, and one member of its proof, set to anything."""
    document = document_for(endpoint)
    document[draw(TOP_LEVEL)] = draw(JSON)
    if isinstance(document.get("proof"), dict) and draw(st.booleans()):
        document["proof"][draw(PROOF_MEMBERS)] = draw(JSON)
    return document


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_any_request_gets_an_answer_below_500_in_json(client, headers, endpoint, data):
    body = data.draw(JSON | st.dictionaries(st.sampled_from([MEMBER[endpoint], "options"]), JSON | mutated(endpoint)))
    response = client.post(endpoint, json.dumps(body), content_type="application/json", **headers)
    assert response.status_code < 500, (body, response.content[:300])
    response.json()
