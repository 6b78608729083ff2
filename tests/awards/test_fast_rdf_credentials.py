"""Every kind of document the registry signs goes through the fast JSON-LD → RDF path, with PyLD's exact result."""

import pytest

from awards import clr, status_lists
from awards.models import Award
from awards.vc import fast_rdf, jsonld, rdfc
from learners.models import Evidence
from tests.awards.helpers import credential_of
from tests.awards.test_stacking import _pass, nested  # noqa: F401 - the fixture, reused
from tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db


def assert_fast_path_matches_pyld(document):
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    fast = rdfc.canonicalize(jsonld._fast().to_quads(unsecured))  # raises Unsupported if it declined
    assert fast == rdfc.canonicalize(jsonld.pyld_quads(unsecured))


def test_a_rubric_assessed_credential_with_evidence_and_alignments(passed_attempt):
    award = Award.objects.get()
    Evidence.objects.create(attempt=award.attempt, title="Portfolio", url="https://portfolio.example.org/p2")
    assert_fast_path_matches_pyld(credential_of(award))


def test_a_stacked_credential_with_its_components(nested, registrar, django_capture_on_commit_callbacks):  # noqa: F811
    learner = LearnerFactory()
    for code in ("A", "B"):
        _pass(learner, nested[code], registrar, django_capture_on_commit_callbacks)
    stacked = Award.objects.get(learner=learner, program=nested["CERT"])
    assert_fast_path_matches_pyld(credential_of(stacked))


def test_the_comprehensive_learner_record(passed_attempt):
    assert_fast_path_matches_pyld(clr.signed_clr(Award.objects.get().learner))


def test_the_status_list_credential(passed_attempt):
    assert_fast_path_matches_pyld(status_lists.status_list_credential("revocation"))


def test_the_proof_configuration(passed_attempt):
    proof = dict(credential_of(Award.objects.get())["proof"])
    proof.pop("proofValue")
    assert_fast_path_matches_pyld({"@context": credential_of(Award.objects.get())["@context"], **proof})


def test_declining_is_an_exception_not_a_silent_result():
    with pytest.raises(fast_rdf.Unsupported):
        jsonld._fast().to_quads({"@context": ["https://www.w3.org/ns/credentials/v2"], "name": {"@value": 1}})
