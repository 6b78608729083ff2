"""Endorsements: signed EndorsementCredentials that verify on their own and ride in later credentials."""

import json

import pytest
from django.urls import reverse

from awards import services
from awards.models import Award, Endorsement
from tests.awards.helpers import credential_of, did_public_key, schema_errors
from tests.factories import assessable_enrolment, record_pass
from tests.vc import independent_verifier

pytestmark = pytest.mark.django_db


def _endorse(program, user, **fields):
    endorsement = Endorsement.objects.create(
        program=program,
        endorser_name=fields.get("name", "Acme Analytics Ltd"),
        endorser_kind="employer",
        endorser_url="https://acme.example",
        statement=fields.get("statement", "Graduates of this program are ready for our junior analyst roles."),
    )
    return services.endorsement_issue(endorsement=endorsement, user=user)


def _issue(registrar, enrolment, capture):
    with capture(execute=True):
        record_pass(enrolment, registrar)
    return Award.objects.get(enrolment=enrolment)


def test_an_endorsement_is_a_signed_credential_that_verifies_on_its_own(client, registrar, signing_key):
    endorsement = _endorse(assessable_enrolment().program, registrar)
    document = client.get(reverse("awards:endorsement", args=[endorsement.pk])).json()
    assert document["type"] == ["VerifiableCredential", "EndorsementCredential"]
    assert document["credentialSubject"]["type"] == ["EndorsementSubject"]
    assert document["credentialSubject"]["id"].endswith(endorsement.program.get_absolute_url())
    assert document["issuer"]["name"] == "Acme Analytics Ltd"
    assert "on the endorser's behalf" in document["issuer"]["description"]
    key = did_public_key(client, document["proof"]["verificationMethod"])
    assert independent_verifier.verify(document, key)
    tampered = {**document, "credentialSubject": {**document["credentialSubject"], "endorsementComment": "Bad."}}
    assert not independent_verifier.verify(tampered, key)


def test_credentials_issued_afterwards_carry_the_endorsement_and_still_verify(
    client, registrar, signing_key, django_capture_on_commit_callbacks
):
    enrolment = assessable_enrolment()
    endorsement = _endorse(enrolment.program, registrar)
    credential = credential_of(_issue(registrar, enrolment, django_capture_on_commit_callbacks))
    embedded = credential["credentialSubject"]["achievement"]["endorsement"]
    assert embedded == [json.loads(endorsement.credential)]
    assert schema_errors(credential) == []
    key = did_public_key(client, credential["proof"]["verificationMethod"])
    assert independent_verifier.verify(credential, key)
    assert independent_verifier.verify(embedded[0], key)


def test_a_withdrawn_endorsement_is_left_out_of_later_credentials(
    registrar, signing_key, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    enrolment = assessable_enrolment()
    endorsement = _endorse(enrolment.program, registrar)
    Endorsement.objects.filter(pk=endorsement.pk).update(withdrawn_at=timezone.now())
    credential = credential_of(_issue(registrar, enrolment, django_capture_on_commit_callbacks))
    assert "endorsement" not in credential["credentialSubject"]["achievement"]


def test_a_signed_endorsement_is_never_signed_again(registrar, signing_key):
    from django.core.exceptions import ValidationError

    endorsement = _endorse(assessable_enrolment().program, registrar)
    with pytest.raises(ValidationError, match="signed already"):
        services.endorsement_issue(endorsement=endorsement, user=registrar)


def test_recording_an_endorsement_needs_the_permission(signing_key):
    from django.core.exceptions import PermissionDenied

    from tests.factories import UserFactory

    endorsement = Endorsement.objects.create(
        program=assessable_enrolment().program, endorser_name="X", endorser_kind="employer",
        endorser_url="https://x.example", statement="Good.",
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.endorsement_issue(endorsement=endorsement, user=UserFactory())
    endorsement.refresh_from_db()
    assert endorsement.credential == ""


def test_the_registrar_records_one_in_the_admin_and_it_shows_on_the_program_page(registrar_client, client, signing_key):
    program = assessable_enrolment().program
    response = registrar_client.post(
        reverse("admin:awards_endorsement_add"),
        {
            "program": program.pk,
            "endorser_name": "Institute of Data Professionals",
            "endorser_kind": "professional_body",
            "endorser_url": "https://idp.example",
            "statement": "Meets our standard for associate membership.",
        },
    )
    assert response.status_code == 302
    endorsement = Endorsement.objects.get()
    assert endorsement.credential and endorsement.recorded_by.username == "registrar"
    page = client.get(program.get_absolute_url()).content.decode()
    assert "Institute of Data Professionals" in page and "Meets our standard for associate membership." in page
