import json
from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from awards import credentials, keys, transfer
from awards.credentials import VC_CONTEXT as VC_V2_CONTEXT
from awards.models import Award, CertificateTemplate, EmailTemplate, Endorsement, IssuanceBatch
from awards.vcapi.services import issue as vcapi_issue
from awards.vcapi.services import issuer_api_key_create
from learners.models import Sharing
from tests.awards.helpers import foreign_credential, schema_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(passed_attempt):
    award = Award.objects.get()
    award.sharing = Sharing.LINK
    award.save(update_fields=["sharing"])
    return award


def test_credential_page_shows_verdict_holder_and_rubric_results(award, client):
    content = client.get(award.get_absolute_url(), HTTP_ACCEPT="text/html").content.decode()
    assert "<h2>Valid</h2>" in content
    assert award.learner.legal_name in content
    assert "Analysis" in content and "L3 (3 pts)" in content


def test_same_url_returns_the_signed_json_for_json_ld_requests(award, client):
    response = client.get(award.get_absolute_url(), HTTP_ACCEPT="application/ld+json")
    assert response["Content-Type"] == "application/ld+json"
    assert response.content.decode() == award.credential
    plain = client.get(award.get_absolute_url(), HTTP_ACCEPT="application/json")
    assert json.loads(plain.content)["id"].endswith(f"/credentials/{award.pk}/")


def test_download_link_sends_an_attachment(award, client):
    response = client.get(award.get_absolute_url(), {"format": "json", "download": "1"})
    assert response["Content-Disposition"] == f'attachment; filename="credential-{award.pk}.json"'


def test_private_credential_hides_personal_details_at_once(award, client):
    award.sharing = Sharing.PRIVATE
    award.save(update_fields=["sharing"])
    content = client.get(award.get_absolute_url()).content.decode()
    assert award.learner.legal_name not in content and "<h2>Valid</h2>" in content
    assert client.get(award.get_absolute_url(), HTTP_ACCEPT="application/ld+json").status_code == 404


def test_unknown_credential_is_404(client):
    assert client.get("/credentials/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_verify_page_accepts_pasted_json(award, client):
    response = client.post(reverse("awards:verify"), {"credential_json": award.credential})
    assert "<h2>Valid</h2>" in response.content.decode()


def test_verify_page_accepts_an_uploaded_file(award, client):
    upload = SimpleUploadedFile("credential.json", award.credential.encode())
    response = client.post(reverse("awards:verify"), {"credential_file": upload})
    assert "<h2>Valid</h2>" in response.content.decode()


def test_verify_page_reports_invalid_json_beside_the_field(client):
    response = client.post(reverse("awards:verify"), {"credential_json": "{not json"})
    assert "This is not valid JSON" in response.context["form"].errors["credential_json"][0]


def test_verify_page_shows_tampering(award, client):
    tampered = json.loads(award.credential)
    tampered["credentialSubject"]["achievement"]["name"] = "Something grander"
    response = client.post(reverse("awards:verify"), {"credential_json": json.dumps(tampered)})
    assert "Signature invalid" in response.content.decode()


def test_did_document_lists_multikey_assertion_methods(signing_key, client):
    document = client.get("/.well-known/did.json").json()
    assert document["id"] == "did:web:registry.example.edu"
    method = document["verificationMethod"][0]
    assert (method["type"], method["publicKeyMultibase"]) == ("Multikey", signing_key.public_key_multibase)
    assert document["assertionMethod"] == [method["id"]]


def test_issuer_profile_is_served_and_schema_valid(award, client):
    profile = client.get("/issuer/").json()
    assert profile["type"] == ["Profile"] and profile["id"] == "did:web:registry.example.edu"
    assert schema_errors(profile, "ob_v3p0_profile_schema.json") == []


@pytest.mark.parametrize(
    "model", [m for m in admin.site._registry if m._meta.app_label == "awards"], ids=lambda m: m._meta.model_name
)
def test_award_admin_pages_load_for_registrar(registrar_client, award, model):
    IssuanceBatch.objects.create(label="Autumn cohort", created_by=award.attempt.assessor)
    EmailTemplate.objects.create(event="revoked", subject="{{ program }} revoked", body="See {{ credential_url }}")
    CertificateTemplate.objects.create(name="Faculty", institution=award.program.institution)
    transfer.foreign_credential_upload(learner=award.learner, text=json.dumps(foreign_credential()))
    Endorsement.objects.create(
        program=award.program, endorser_name="Acme", endorser_kind="employer", endorser_url="https://acme.example",
        statement="Ready for work.",
    )  # fmt: skip
    issuer_api_key_create(name="Student system", expires_at=timezone.now() + timedelta(days=9))
    vcapi_issue(
        {"@context": [VC_V2_CONTEXT], "type": ["VerifiableCredential"], "issuer": keys.issuer_did(),
         "credentialSubject": {"id": "did:example:subject"}},
        {}, user=award.attempt.assessor,
    )  # fmt: skip
    meta = model._meta
    instance = model.objects.first()
    assert registrar_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")).status_code == 200
    assert (
        registrar_client.get(
            reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[instance.pk])
        ).status_code
        == 200
    )


def test_revoke_action_asks_for_a_reason_then_revokes(registrar_client, award):
    url = reverse("admin:awards_award_changelist")
    page = registrar_client.post(url, {"action": "revoke", "_selected_action": [award.pk]})
    assert "reason" in page.content.decode()
    award.refresh_from_db()
    assert not award.is_revoked
    registrar_client.post(url, {"action": "revoke", "_selected_action": [award.pk], "apply": "1", "reason": "Fraud"})
    award.refresh_from_db()
    assert (award.is_revoked, award.revocation_reason) == (True, "Fraud")


def test_bulk_cohort_issue_shows_progress(registrar_client, registrar, signing_key, django_capture_on_commit_callbacks):

    from tests.factories import assessable_enrolment, record_pass

    enrolments = [assessable_enrolment() for _ in range(3)]
    for enrolment in enrolments:  # completed before awards were wired in: no award yet
        record_pass(enrolment, registrar)
    assert not Award.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = registrar_client.post(
            reverse("admin:learners_enrolment_changelist"),
            {"action": "issue_credentials", "_selected_action": [e.pk for e in enrolments]},
        )
    batch = IssuanceBatch.objects.get()
    assert response["Location"] == reverse("admin:awards_issuancebatch_progress", args=[batch.pk])
    progress = registrar_client.get(response["Location"])
    assert progress.context["batch"].issued_count == 3 and progress.context["done"]
    assert "Finished." in progress.content.decode()


def test_awards_list_shows_valid_standing_and_filters_by_it(registrar_client, passed_attempt, registrar):
    from awards import services
    from awards.models import Award

    award = Award.objects.get()
    page = registrar_client.get("/admin/awards/award/").content.decode()
    assert '<td class="field-standing">Valid</td>' in page
    assert registrar_client.get("/admin/awards/award/?standing=revoked").context["cl"].result_count == 0
    services.award_revoke(award=award, user=registrar, reason="x")
    assert registrar_client.get("/admin/awards/award/?standing=revoked").context["cl"].result_count == 1
    assert registrar_client.get("/admin/awards/award/?standing=valid").context["cl"].result_count == 0


def test_revoked_credential_offers_no_certificate_or_linkedin_to_its_learner(client, passed_attempt, registrar):
    from awards import services
    from awards.models import Award
    from tests.factories import learner_user

    award = Award.objects.get()
    learner_user(award.learner)
    services.award_revoke(award=award, user=registrar, reason="x", public_reason="Issued in error.")
    client.force_login(award.learner.user)
    page = client.get("/me/credentials/").content.decode()
    assert "Download PDF certificate" not in page and "linkedin.com" not in page
    assert "Issued in error." in page
    assert client.get(f"/me/credentials/{award.pk}/certificate.pdf").status_code == 404


def test_the_public_page_shows_the_issuer_what_it_certifies_and_previews_well(award, client):
    page = client.get(award.get_absolute_url()).content.decode()
    institution, program = award.program.institution, award.program
    assert f'<a href="{institution.url}" rel="noopener">{institution.name}</a>' in page
    assert program.summary in page and program.criteria_narrative in page
    assert f'<meta property="og:title" content="{program.title} — {institution.name}">' in page
    badge = credentials.absolute(f"/programs/{program.slug}/badge.png")
    assert f'<meta property="og:image" content="{badge}">' in page
    assert "Copy link" in page and "linkedin.com/sharing/share-offsite/?url=" in page and "mailto:?subject=" in page


def test_a_revoked_credential_s_page_offers_no_share_buttons(award, client, registrar):
    from awards import services

    services.award_revoke(award=award, user=registrar, reason="x", public_reason="Issued in error.")
    page = client.get(award.get_absolute_url()).content.decode()
    assert "Share this credential" not in page and "linkedin.com" not in page


def test_the_public_page_speaks_french_to_a_french_browser_and_keeps_its_title_plain(award, client):
    page = client.get(award.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Ce que ce certificat atteste" in page and "Partager ce certificat" in page
    assert "<h2>Valide</h2>" in page  # the verdict, in French
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and title.startswith(award.program.title)
