"""Every surface that verifies someone else's credential answers "Too complex to verify" — a verdict with reasons,
never an error page or a timeout — when the document's shape or its work is past the verifier's bounds."""

import json

import pytest
from django.urls import reverse

from awards import transfer, verification
from awards.models import ForeignCredential
from awards.vc import limits
from tests.awards.helpers import credential_of, foreign_credential
from tests.partners.conftest import key_for

pytestmark = pytest.mark.django_db


def _hostile():
    """The attack that took 17 s: a credential whose @context repeats the two standard contexts 2,000 times."""
    credential = foreign_credential()
    return {**credential, "@context": credential["@context"] * 2000}


def _operations(document):
    """What verifying ``document`` costs, counted."""
    with limits.bounded(limits.Limits(operations=10**9)) as budget:
        verification.verify(document)
    return budget.operations


def test_a_credential_repeating_its_contexts_is_too_complex_to_verify():
    result = verification.verify(_hostile())
    assert result.verdict == "too_complex" and result.label == "Too complex to verify"
    assert "same context more than once" in result.reasons[0]
    assert result.issuer.startswith("did:key:")


def test_the_verify_page_answers_the_verdict_with_its_reasons(client):
    response = client.post("/verify/", {"credential_json": json.dumps(_hostile())})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Too complex to verify" in page and "same context more than once" in page


def test_the_api_answers_the_verdict_for_one_credential(client, award):
    _, secret = key_for(_partner())
    response = client.post(
        "/api/v1/verifications", {"credentials": [_hostile()]}, content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {secret}",
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json()["results"][0]["verdict"] == "too_complex"


def test_a_batch_shares_one_budget_and_refuses_what_comes_after_it_is_spent(client, award, settings):
    document = credential_of(award)
    _operations(document)  # warm the context memo: each further verification costs the same
    settings.VERIFIER_BATCH_OPERATION_BUDGET = int(_operations(document) * 2.5)
    _, secret = key_for(_partner())
    response = client.post(
        "/api/v1/verifications", {"credentials": [document] * 4}, content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {secret}",
    )  # fmt: skip
    assert [r["verdict"] for r in response.json()["results"]] == ["valid", "valid", "too_complex", "too_complex"]


def test_a_hostile_document_in_a_batch_costs_nothing_and_the_others_verify(client, award):
    _, secret = key_for(_partner())
    documents = [credential_of(award), _hostile(), credential_of(award)]
    response = client.post(
        "/api/v1/verifications", {"credentials": documents}, content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {secret}",
    )  # fmt: skip
    assert [r["verdict"] for r in response.json()["results"]] == ["valid", "too_complex", "valid"]


def test_the_deadline_bounds_the_work_not_only_the_fetches(settings):
    settings.VERIFIER_TIME_BUDGET = -1  # already past: the first counted step stops it
    result = verification.verify(foreign_credential())
    assert result.verdict == "too_complex"
    assert "longer than the verifier allows" in result.reasons[0]


def test_credit_transfer_refuses_a_too_complex_credential_with_a_field_message(award, client):
    client.force_login(award.learner.user)
    response = client.post(reverse("portal:transfer-credit"), {"credential": json.dumps(_hostile())})
    assert response.status_code == 400
    assert "too_complex" in response.content.decode()
    assert not ForeignCredential.objects.exists()


@pytest.mark.parametrize(
    "subject",
    [
        [{"type": ["AchievementSubject"], "achievement": {"id": "urn:uuid:1", "type": ["Achievement"], "name": "A"}}],
        {"type": ["AchievementSubject"], "achievement": "urn:uuid:a-string"},
        {"type": ["AchievementSubject"]},
    ],
    ids=["subject-list", "achievement-string", "no-achievement"],
)
def test_a_valid_credential_without_one_achievement_gets_a_field_message(award, client, subject):
    document = foreign_credential(credentialSubject=subject)
    assert verification.verify(document).verdict == "valid"  # sound signatures, odd shapes
    client.force_login(award.learner.user)
    response = client.post(reverse("portal:transfer-credit"), {"credential": json.dumps(document)})
    assert response.status_code == 400
    assert "names no single achievement" in response.content.decode()
    with pytest.raises(Exception, match="names no single achievement"):
        transfer.foreign_credential_upload(learner=award.learner, text=json.dumps(document))


def _partner():
    from partners.models import PartnerOrganisation

    return PartnerOrganisation.objects.create(name="Acme Hiring", contact_email="hr@acme.example")


def test_a_graph_too_interconnected_to_canonicalize_is_too_complex_not_a_bad_signature():
    credential = foreign_credential()
    alignment = {"type": ["Alignment"], "targetName": "Same", "targetUrl": "https://skills.example/same"}
    result = {"type": ["Result"], "alignment": [dict(alignment) for _ in range(3)]}
    credential["credentialSubject"]["result"] = [dict(result), dict(result)]
    verdict = verification.verify(credential)
    assert verdict.verdict == "too_complex"
    assert "too interconnected" in verdict.reasons[0]
