"""Data-loss detection: canonicalization refuses what JSON-LD → RDF would drop, so a signature never "covers" JSON
it does not cover (the Data Integrity suites' DATA_LOSS_DETECTION_ERROR). The fast path declines every such
document and PyLD's path refuses it, so both give the same verdict."""

import copy

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from awards.vc import data_integrity, fast_rdf, jsonld
from awards.vc.multikey import public_key_multibase

V1 = "https://www.w3.org/2018/credentials/v1"
V2 = "https://www.w3.org/ns/credentials/v2"
EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"
DATA_INTEGRITY = "https://w3id.org/security/data-integrity/v2"


def vc11(**changes):
    """A VC 1.1 credential: its context has no ``@vocab``, so nothing undefined maps to an IRI."""
    return {
        "@context": [V1],
        "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "issuanceDate": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:subject"},
        **changes,
    }


def vc20(**changes):
    return {
        "@context": [V2],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": {"id": "did:example:subject"},
        **changes,
    }


DATA_LOSS = {
    "undefined type": (vc11(type=["VerifiableCredential", "UndefinedType"]), "type “UndefinedType”"),
    # The VC 2.0 context (as published, and vendored) has no @vocab either.
    "undefined type in VC 2.0": (vc20(type=["VerifiableCredential", "UndefinedType"]), "type “UndefinedType”"),
    "undefined type of the subject": (
        vc11(credentialSubject={"id": "did:example:subject", "type": "UndefinedSubject"}),
        "type “UndefinedSubject”",
    ),
    "undefined type of evidence": (
        vc11(evidence=[{"id": "https://example.org/evidence/1", "type": ["UndefinedEvidence"]}]),
        "type “UndefinedEvidence”",
    ),
    "relative credential identifier": (vc11(id="credential-1"), "identifier “credential-1”"),
    "relative subject identifier": (vc11(credentialSubject={"id": "learner-7"}), "identifier “learner-7”"),
    "relative issuer (an @id-typed term)": (vc11(issuer="registry"), "identifier “registry”"),
    "relative identifier under an @vocab (which maps terms, not identifiers)": (
        vc20(**{"@context": [V2, EXAMPLES]}, credentialSubject={"id": "learner-7"}),
        "identifier “learner-7”",
    ),
    "undefined term": (vc11(nickname="Ada"), "term “nickname”"),
    "term defined as null": (
        vc11(**{"@context": [V1, {"nickname": None}], "nickname": "Ada"}),
        "define as null",
    ),
    "term mapped to a blank node": (
        vc11(**{"@context": [V1, {"secret": "_:secret"}], "secret": "x"}),
        "property “_:secret”",
    ),
}


def _refusal(convert, document):
    with pytest.raises(jsonld.UnsafeJsonLd) as refused:
        convert(copy.deepcopy(document))
    return str(refused.value)


@pytest.mark.parametrize("name", DATA_LOSS)
def test_canonicalization_refuses_data_it_would_drop(name):
    document, detail = DATA_LOSS[name]
    message = _refusal(jsonld.canonical_nquads, document)
    assert detail in message
    assert message.endswith("so it would be dropped from what the signature covers.")


@pytest.mark.parametrize("name", DATA_LOSS)
def test_the_fast_path_and_pyld_refuse_data_loss_alike(name):
    document, _ = DATA_LOSS[name]
    with pytest.raises(fast_rdf.Unsupported):  # the fast path never emits quads for it…
        jsonld._fast().to_quads(copy.deepcopy(document))
    # …so canonicalization's verdict is PyLD's, word for word.
    assert _refusal(jsonld.canonical_nquads, document) == _refusal(jsonld.pyld_quads, document)


def test_the_refusal_of_an_undefined_type_says_what_would_be_lost():
    document, _ = DATA_LOSS["undefined type"]
    assert _refusal(jsonld.canonical_nquads, document) == (
        "The type “UndefinedType” is not defined by the document's contexts, "
        "so it would be dropped from what the signature covers."
    )


def test_expansion_refuses_an_undefined_type_too():
    document, _ = DATA_LOSS["undefined type"]
    assert "UndefinedType" in _refusal(jsonld.expand_safe, document)


@pytest.mark.parametrize(
    "document, type_iri",
    [
        # An @vocab (here the VC 2.0 examples context's) maps any other type to an IRI: nothing is lost.
        (
            vc20(**{"@context": [V2, EXAMPLES]}, type=["VerifiableCredential", "UndefinedType"]),
            "https://www.w3.org/ns/credentials/examples#UndefinedType",
        ),
        (
            vc11(
                **{"@context": [V1, {"LocalType": "https://example.org/vocab#LocalType"}]},
                type=["VerifiableCredential", "LocalType"],
            ),
            "https://example.org/vocab#LocalType",
        ),
        (vc11(type=["VerifiableCredential", "https://example.org/vocab#Absolute"]), "https://example.org/vocab#"),
    ],
    ids=["@vocab", "type defined by an inline context", "type written as an absolute IRI"],
)
def test_types_the_contexts_define_are_signed_alike_on_both_paths(document, type_iri):
    canonical = jsonld.canonical_nquads(copy.deepcopy(document))
    assert type_iri in canonical
    assert canonical == jsonld.rdfc.canonicalize(jsonld.pyld_quads(copy.deepcopy(document)))


def test_a_type_appended_to_a_signed_vc_1_1_credential_breaks_its_verification():
    secret = Ed25519PrivateKey.generate()
    did = "did:key:" + public_key_multibase(secret.public_key())
    signed = data_integrity.sign(
        vc11(**{"@context": [V1, DATA_INTEGRITY]}, issuer=did),
        private_key=secret,
        verification_method=f"{did}#{did[8:]}",
        created="2024-01-01T00:00:00Z",
    )
    data_integrity.verify(signed, secret.public_key())
    tampered = {**signed, "type": [*signed["type"], "UndefinedType"]}
    with pytest.raises(jsonld.UnsafeJsonLd, match="UndefinedType"):
        data_integrity.verify(tampered, secret.public_key())


def test_a_base_direction_is_kept_in_the_literal_s_datatype_not_dropped():
    # As Digital Bazaar's eddsa-rdfc-2022 cryptosuite canonicalizes it (rdfDirection "i18n-datatype").
    document = vc20(name={"@value": "شهادة", "@language": "ar", "@direction": "rtl"})
    assert '"شهادة"^^<https://www.w3.org/ns/i18n#ar_rtl>' in jsonld.canonical_nquads(document)


def test_a_language_tag_that_would_write_quads_of_its_own_is_refused():
    """Signed: a subject with ``a`` tagged "en" and ``b`` "revoked". Forged: no ``b``, but a language "tag" that writes
    the same quad into the N-Quads; both would canonicalize alike, so the signature would carry over."""
    context = [V1, {"a": "https://example.org/a", "b": "https://example.org/b"}]
    tag = 'en .\n<did:example:subject> <https://example.org/b> "revoked"'
    forged = vc11(
        **{"@context": context}, credentialSubject={"id": "did:example:subject", "a": {"@value": "x", "@language": tag}}
    )
    message = _refusal(jsonld.canonical_nquads, forged)
    assert message.startswith("The language “en .")
    assert message.endswith("is not a language tag (BCP 47).")


def test_a_well_formed_language_tag_is_signed():
    context = [V1, {"a": "https://example.org/a"}]
    document = vc11(
        **{"@context": context},
        credentialSubject={"id": "did:example:subject", "a": {"@value": "x", "@language": "fr-CA"}},
    )
    assert '"x"@fr-ca' in jsonld.canonical_nquads(document)  # PyLD writes tags in lower case
