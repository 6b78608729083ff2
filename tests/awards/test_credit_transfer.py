"""Credit transfer: a verified credential from another issuer counts toward a pathway here only after the
registrar recognises it; and the credit other institutions give for programs here is shown and carried."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from awards import services, transfer
from awards.models import Award, ForeignCredential
from catalog.models import CreditRecognition, TransferAgreement
from tests.awards.helpers import credential_of, foreign_credential, schema_errors
from tests.factories import PathwayFactory, UserFactory, add_rule, published_program

pytestmark = pytest.mark.django_db
TEAMWORK = "https://example.com/achievements/21st-century-skills/teamwork"


@pytest.fixture
def pathway(award):
    """A published pathway of the learner's credential and a program they never took here."""
    teamwork = published_program(title="Teamwork in Practice", code="TEAM-100", institution=award.program.institution)
    pathway = PathwayFactory(name="Certificate in Collaborative Data Work")
    add_rule(pathway, "all_of", [award.program, teamwork])
    return pathway, teamwork


def _upload(award, document=None):
    return transfer.foreign_credential_upload(learner=award.learner, text=json.dumps(document or foreign_credential()))


def test_a_verified_foreign_credential_waits_for_the_registrar(award):
    brought = _upload(award)
    assert (brought.status, brought.achievement_name, brought.issuer_name) == ("pending", "Teamwork", "Example Corp")
    assert brought.achievement_id == TEAMWORK and brought.counts_as is None


def test_an_agreement_in_force_names_the_program_it_counts_as(award, pathway):
    document = foreign_credential()
    agreement = TransferAgreement.objects.create(
        issuer_id=document["issuer"]["id"], issuer_name="Example Corp", achievement_id=TEAMWORK,
        counts_as=pathway[1], valid_from=datetime.date(2026, 1, 1), reference="TA-2026-04",
    )  # fmt: skip
    brought = _upload(award, document)
    assert (brought.agreement, brought.counts_as) == (agreement, pathway[1])


def test_a_credential_that_does_not_verify_is_refused_and_not_kept(award):
    document = foreign_credential()
    document["credentialSubject"]["achievement"]["name"] = "Leadership"  # changed after signing
    with pytest.raises(ValidationError, match="does not verify"):
        _upload(award, document)
    assert not ForeignCredential.objects.exists()


def test_this_registry_s_own_credential_is_not_brought_as_foreign(award):
    with pytest.raises(ValidationError, match="from this registry"):
        transfer.foreign_credential_upload(learner=award.learner, text=award.credential)


def test_it_counts_toward_the_pathway_only_after_recognition(
    award, pathway, registrar, django_capture_on_commit_callbacks
):
    path, teamwork = pathway
    brought = _upload(award)
    services.pathways_check([award.learner_id])
    assert not Award.objects.filter(program=path.award).exists()  # pending: it does not count yet
    with django_capture_on_commit_callbacks(execute=True):
        transfer.foreign_credential_decide(credential=brought, user=registrar, approve=True, counts_as=teamwork)
    stacked = Award.objects.get(program=path.award)
    assert stacked.status == "issued" and list(stacked.recognised.all()) == [brought]
    credential = credential_of(stacked)
    evidence = next(e for e in credential["evidence"] if e["name"].startswith("Recognised credential"))
    assert evidence["name"] == "Recognised credential: Teamwork (Example Corp)"
    assert (
        "as Teamwork in Practice" in evidence["narrative"] and evidence["id"] == "http://example.com/credentials/3527"
    )
    assert schema_errors(credential) == []
    brought.refresh_from_db()
    assert brought.decided_by == registrar and brought.history.count() == 2


def test_a_refusal_needs_a_note_the_learner_then_sees(award, registrar, client):
    brought = _upload(award)
    with pytest.raises(ValidationError, match="Say why"):
        transfer.foreign_credential_decide(credential=brought, user=registrar, approve=False)
    transfer.foreign_credential_decide(credential=brought, user=registrar, approve=False, note="Level too low.")
    client.force_login(award.learner.user)
    page = client.get(reverse("portal:transfer-credit")).content.decode()
    assert "Not recognised — Level too low." in page


def test_recognising_needs_the_permission_and_a_program(award, registrar):
    brought = _upload(award)
    with pytest.raises(PermissionDenied):
        transfer.foreign_credential_decide(credential=brought, user=UserFactory(), approve=True)
    with pytest.raises(ValidationError, match="choose the program"):
        transfer.foreign_credential_decide(credential=brought, user=registrar, approve=True)
    brought.refresh_from_db()
    assert brought.status == "pending"


def test_the_learner_uploads_a_file_in_the_portal_and_progress_counts_it_once_recognised(
    award, pathway, registrar, client
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    path, teamwork = pathway
    client.force_login(award.learner.user)
    upload = SimpleUploadedFile("teamwork.json", json.dumps(foreign_credential()).encode())
    assert client.post(reverse("portal:transfer-credit"), {"file": upload}).status_code == 302
    brought = ForeignCredential.objects.get(learner=award.learner)
    transfer.foreign_credential_decide(credential=brought, user=registrar, approve=True, counts_as=teamwork)
    page = client.get("/me/").content.decode()
    assert f'aria-label="Progress toward {path.name}"' in page and 'value="100"' in page


def test_a_bad_upload_gets_a_field_message_in_the_portal(award, client):
    client.force_login(award.learner.user)
    response = client.post(reverse("portal:transfer-credit"), {"credential": "{not json"})
    assert response.status_code == 400 and "This is not readable JSON" in response.content.decode()
    assert not ForeignCredential.objects.exists()


def test_credit_other_institutions_give_shows_on_the_program_page_the_record_and_the_clr(award, client):
    program = award.program
    CreditRecognition.objects.create(
        program=program, recognising_institution="Southbridge College", credits=5, credit_system="ECTS",
        toward="BSc Business Analytics", valid_from=datetime.date(2026, 1, 1), reference="SB-17",
    )  # fmt: skip
    CreditRecognition.objects.create(
        program=program, recognising_institution="Old College", credits=2, credit_system="ECTS", toward="Diploma",
        valid_from=datetime.date(2020, 1, 1), valid_until=datetime.date(2021, 1, 1), reference="OLD-1",
    )  # fmt: skip
    page = client.get(program.get_absolute_url()).content.decode()
    assert "Southbridge College" in page and "5 ECTS toward BSc Business Analytics" in page
    assert "Old College" not in page  # the agreement has ended
    client.force_login(award.learner.user)
    assert "Southbridge College" in client.get("/me/record/").content.decode()
    clr = client.get("/me/record/clr.json").json()
    entry = clr["credentialSubject"]["achievement"][0]["otherIdentifier"][0]
    assert entry == {
        "type": "IdentifierEntry",
        "identifier": "5 ECTS toward BSc Business Analytics at Southbridge College (agreement SB-17)",
        "identifierType": "ext:CreditRecognition",
    }
    assert schema_errors(clr, "clr_v2p0_clrcredential_schema.json") == []


def test_neither_kind_of_agreement_may_end_before_it_starts(award):
    start, end = datetime.date(2026, 2, 1), datetime.date(2026, 1, 1)
    agreements = [
        TransferAgreement(issuer_id="did:key:z6Mk", issuer_name="Example Corp", counts_as=award.program,
                          valid_from=start, valid_until=end, reference="T-1"),
        CreditRecognition(program=award.program, recognising_institution="Southbridge", credits=5,
                          credit_system="ECTS", toward="BSc", valid_from=start, valid_until=end, reference="SB-1"),
    ]  # fmt: skip
    for agreement in agreements:
        with pytest.raises(ValidationError, match="cannot end before it starts"):
            agreement.full_clean()


def test_the_same_upload_submitted_twice_at_once_is_refused_not_a_server_error(award, monkeypatch):
    document = foreign_credential(id="urn:uuid:4f5e9f53-0d2b-4a1e-9a57-7c1c0d2f6a10")
    _upload(award, document)
    # The second request's check ran before the first one's row was written.
    monkeypatch.setattr("django.db.models.query.QuerySet.exists", lambda queryset: False)
    with pytest.raises(ValidationError, match="brought this credential already"):
        _upload(award, document)
    assert ForeignCredential.objects.filter(learner=award.learner).count() == 1
