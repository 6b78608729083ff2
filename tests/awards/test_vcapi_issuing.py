"""/credentials/issue beyond the basics: VC Data Model 1.1 input, the registry's did:key identity, a revocation
entry in every credential issued (and revocation in the admin), the issuer key's institution and daily quota."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from awards import keys, verification
from awards.models import Award, IssuerAPIKey, VCAPIIssuance
from awards.vcapi.services import DATA_INTEGRITY_CONTEXT, issuance_revoke, issuer_api_key_create, status_terms
from tests.factories import InstitutionFactory, UserFactory

from .helpers import third_party_verify

pytestmark = pytest.mark.django_db

VC1 = "https://www.w3.org/2018/credentials/v1"
VC2 = "https://www.w3.org/ns/credentials/v2"


def vc11(issuer, **changes):
    """A VC Data Model 1.1 credential as the W3C eddsa suite and older LMSs send it."""
    credential = {
        "@context": [VC1],
        "id": "urn:uuid:86294362-4254-4f36-854f-3952fe42555d",
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "issuanceDate": "2020-03-16T22:37:26.544Z",
        "credentialSubject": {"id": "did:example:learner"},
    }
    return {**credential, **changes}


def vc20(issuer, **changes):
    credential = {
        "@context": [VC2, "https://www.w3.org/ns/credentials/examples/v2"],
        "type": ["VerifiableCredential", "ExampleAlumniCredential"],
        "issuer": issuer,
        "credentialSubject": {"id": "did:example:learner", "alumniOf": "Example University"},
    }
    return {**credential, **changes}


def post(client, body, **headers):
    return client.post("/credentials/issue", json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def institution(db):
    return InstitutionFactory()


@pytest.fixture
def api_key(signing_key, institution):
    key, secret = issuer_api_key_create(
        name="Student system", expires_at=timezone.now() + timedelta(days=30), institution=institution, daily_quota=3
    )
    return key, {"HTTP_AUTHORIZATION": f"Api-Key {secret}"}


def issue(client, api_key, credential):
    response = post(client, {"credential": credential, "options": {}}, **api_key[1])
    assert response.status_code == 201, response.json().get("errors")
    return response.json()["verifiableCredential"]


def test_a_vc_1_1_credential_is_signed_as_the_registry_s_did_key(client, api_key, signing_key):
    signed = issue(client, api_key, vc11(keys.did_key(signing_key)))
    assert signed["proof"]["verificationMethod"] == f"did:key:{signing_key.public_key_multibase}#" + (
        signing_key.public_key_multibase
    )
    assert signed["issuanceDate"] == "2020-03-16T22:37:26.544Z"


def test_a_vc_1_1_credential_verifies_with_the_registry_s_verifier_and_digital_bazaar_s(client, api_key, signing_key):
    signed = issue(client, api_key, vc11(keys.did_key(signing_key)))
    assert verification.verify(signed).is_valid
    assert third_party_verify(client, [signed]) == [{"verified": True, "error": ""}]


def test_a_vc_1_1_credential_gets_the_status_terms_inline_and_the_proof_context(client, api_key, signing_key):
    signed = issue(client, api_key, vc11(keys.did_key(signing_key)))
    assert signed["@context"] == [VC1, status_terms(), DATA_INTEGRITY_CONTEXT]
    index = VCAPIIssuance.objects.get().status_list_index
    assert signed["credentialStatus"]["statusListIndex"] == str(index)
    assert signed["credentialStatus"]["statusPurpose"] == "revocation"


def test_a_vc_1_1_credential_without_an_issuance_date_is_refused(client, api_key, signing_key):
    credential = vc11(keys.did_key(signing_key))
    del credential["issuanceDate"]
    response = post(client, {"credential": credential}, **api_key[1])
    assert response.status_code == 400
    assert "issuanceDate" in response.json()["errors"]


def test_a_did_key_that_is_not_the_active_key_s_is_refused(client, api_key, signing_key):
    response = post(
        client, {"credential": vc11("did:key:z6MktKwz7Ge1Yxzr4JHavN33wiwa8y81QdcMRLXQsrH9T53b")}, **api_key[1]
    )
    assert response.status_code == 400
    assert keys.did_key(signing_key) in response.json()["errors"]["issuer"][0]


def test_a_foreign_status_entry_is_kept_beside_the_registry_s(client, api_key, signing_key):
    foreign = {"id": "https://status.example/list#5", "type": "ExampleStatusEntry"}
    signed = issue(client, api_key, vc20(keys.issuer_did(), credentialStatus=foreign))
    assert signed["credentialStatus"][0] == foreign
    assert signed["credentialStatus"][1]["statusListCredential"].endswith("/status/issued/revocation/")


def test_an_issued_credential_is_valid_until_revoked_then_revoked(client, api_key, signing_key, registrar):
    signed = issue(client, api_key, vc20(keys.issuer_did()))
    assert verification.verify(signed).verdict == verification.Verdict.VALID
    issuance_revoke(issuance=VCAPIIssuance.objects.get(), user=registrar, reason="Issued to the wrong learner")
    assert verification.verify(signed).verdict == verification.Verdict.REVOKED
    assert third_party_verify(client, [signed])[0]["verified"] is False


def test_issuances_have_a_revocation_list_of_their_own(client, api_key, signing_key):
    signed = issue(client, api_key, vc20(keys.issuer_did()))
    entry = signed["credentialStatus"]
    assert entry["statusListCredential"].endswith("/status/issued/revocation/")
    published = client.get("/status/issued/revocation/").json()
    assert published["id"] == entry["statusListCredential"]
    assert verification.verify(published).is_valid


def test_revoking_an_issuance_leaves_the_award_at_the_same_index_valid(
    client, api_key, signing_key, passed_attempt, registrar, monkeypatch
):
    award = Award.objects.get()
    monkeypatch.setattr("awards.vcapi.services._free_index", lambda: award.status_list_index)
    signed = issue(client, api_key, vc20(keys.issuer_did()))
    issuance_revoke(issuance=VCAPIIssuance.objects.get(), user=registrar, reason="Issued in error")
    assert verification.verify(signed).verdict == verification.Verdict.REVOKED
    assert verification.verify(json.loads(award.credential)).verdict == verification.Verdict.VALID


def test_revoking_needs_the_permission_to_revoke(api_key, signing_key, client):
    issue(client, api_key, vc20(keys.issuer_did()))
    with pytest.raises(PermissionDenied):
        issuance_revoke(issuance=VCAPIIssuance.objects.get(), user=UserFactory(), reason="No")


def test_a_registrar_revokes_an_issuance_in_the_admin_with_a_reason(client, api_key, signing_key, registrar):
    signed = issue(client, api_key, vc20(keys.issuer_did()))
    issuance = VCAPIIssuance.objects.get()
    client.force_login(registrar)
    response = client.post(
        "/admin/awards/vcapiissuance/",
        {"action": "revoke", "_selected_action": [issuance.pk], "apply": "1", "reason": "Issued in error"},
    )
    assert response.status_code == 302
    issuance.refresh_from_db()
    assert (issuance.revoked_by, issuance.revocation_reason) == (registrar, "Issued in error")
    assert issuance.history.latest().history_user == registrar
    assert verification.verify(signed).verdict == verification.Verdict.REVOKED


def test_an_issuance_is_recorded_under_its_key_s_institution(client, api_key, signing_key, institution):
    issue(client, api_key, vc20(keys.issuer_did()))
    assert VCAPIIssuance.objects.get().institution == institution


def test_a_key_past_its_daily_quota_is_refused_with_429_and_nothing_is_signed(client, api_key, signing_key):
    for _ in range(3):
        issue(client, api_key, vc20(keys.issuer_did()))
    response = post(client, {"credential": vc20(keys.issuer_did())}, **api_key[1])
    assert response.status_code == 429
    assert "3 credentials" in response.json()["detail"]
    assert VCAPIIssuance.objects.count() == 3


def test_issuances_older_than_a_day_do_not_count_against_the_quota(client, api_key, signing_key):
    for _ in range(3):
        issue(client, api_key, vc20(keys.issuer_did()))
    VCAPIIssuance.objects.update(issued_at=timezone.now() - timedelta(days=1, minutes=1))
    issue(client, api_key, vc20(keys.issuer_did()))


def test_an_issuer_key_made_in_the_admin_belongs_to_an_institution(admin_client, institution):
    expiry = (timezone.now() + timedelta(days=30)).strftime("%Y-%m-%d")
    form = {"name": "LMS", "expiry_date_0": expiry, "expiry_date_1": "12:00:00", "daily_quota": 500}
    refused = admin_client.post("/admin/awards/issuerapikey/add/", form)
    assert "institution" in refused.context["adminform"].form.errors
    admin_client.post("/admin/awards/issuerapikey/add/", {**form, "institution": institution.pk})
    key = IssuerAPIKey.objects.get()
    assert (key.institution, key.daily_quota) == (institution, 500)


def test_a_vc_1_1_credential_past_its_expiration_date_is_expired(client, api_key, signing_key):
    signed = issue(client, api_key, vc11(keys.did_key(signing_key), expirationDate="2021-03-16T22:37:26Z"))
    assert verification.verify(signed).verdict == verification.Verdict.EXPIRED


def test_a_vc_1_1_credential_issued_for_a_future_date_is_not_yet_valid(client, api_key, signing_key):
    signed = issue(client, api_key, vc11(keys.did_key(signing_key), issuanceDate="2999-01-01T00:00:00Z"))
    assert verification.verify(signed).verdict == verification.Verdict.NOT_YET_VALID


def test_a_credential_signed_as_the_did_key_of_a_key_later_compromised_is_not_verified(client, api_key, signing_key):
    signed = issue(client, api_key, vc11(keys.did_key(signing_key)))
    keys.mark_compromised(signing_key)
    result = verification.verify(signed)
    assert result.verdict == verification.Verdict.UNVERIFIABLE
    assert "marked compromised" in result.reasons[-1]


def test_a_vc_1_1_credential_with_the_data_integrity_v1_context_keeps_it(client, api_key, signing_key):
    v1 = "https://w3id.org/security/data-integrity/v1"
    signed = issue(client, api_key, vc11(keys.did_key(signing_key), **{"@context": [VC1, v1]}))
    assert signed["@context"] == [VC1, v1, status_terms()]
    assert verification.verify(signed).is_valid


def test_a_full_status_list_is_answered_503_and_nothing_is_signed(client, api_key, signing_key, monkeypatch):
    monkeypatch.setattr("awards.status_lists.STATUS_LIST_SIZE", 0)
    response = post(client, {"credential": vc20(keys.issuer_did())}, **api_key[1])
    assert response.status_code == 503
    assert response.json()["detail"] == "The status list of issued credentials is full."
    assert not VCAPIIssuance.objects.exists()


def test_an_index_taken_meanwhile_means_signing_again_with_another(client, api_key, signing_key, monkeypatch):
    from awards.vcapi import services

    picks = iter([7, 7, 8])
    monkeypatch.setattr(services, "_free_index", lambda: next(picks))
    first = issue(client, api_key, vc20(keys.issuer_did()))
    second = issue(client, api_key, vc20(keys.issuer_did()))
    assert (first["credentialStatus"]["statusListIndex"], second["credentialStatus"]["statusListIndex"]) == ("7", "8")


def test_a_credential_issued_as_the_did_key_has_a_status_list_that_did_key_signs(client, api_key, signing_key):
    signed = issue(client, api_key, vc20(keys.did_key(signing_key)))
    url = signed["credentialStatus"]["statusListCredential"]
    assert url.endswith(f"/status/issued/{signing_key.key_id}/revocation/")
    published = client.get(url).json()
    assert (published["issuer"], published["proof"]["verificationMethod"]) == (
        keys.did_key(signing_key),
        keys.did_key_verification_method(signing_key),
    )
    assert verification.verify(published).is_valid


def test_digital_bazaar_s_status_checker_sees_a_did_key_credential_revoked(client, api_key, signing_key, registrar):
    signed = issue(client, api_key, vc20(keys.did_key(signing_key)))
    assert third_party_verify(client, [signed]) == [{"verified": True, "error": ""}]
    issuance_revoke(issuance=VCAPIIssuance.objects.get(), user=registrar, reason="Issued in error")
    assert third_party_verify(client, [signed]) == [{"verified": False, "error": "revocation bit is set"}]


def test_a_compromised_key_publishes_no_status_list_as_its_did_key(client, signing_key):
    keys.mark_compromised(signing_key)
    assert client.get(f"/status/issued/{signing_key.key_id}/revocation/").status_code == 404
    assert client.get("/status/issued/key-unknown/revocation/").status_code == 404
