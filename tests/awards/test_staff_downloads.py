"""Registry staff with the permission download any learner's certificate and signed credential from the admin;
each download is recorded in the admin's log (who, when, which file)."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse

from awards import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _url(name, award):
    return reverse(f"admin:awards_award_{name}", args=[award.pk])


def test_the_registrar_downloads_a_learners_certificate_and_the_download_is_logged(registrar_client, registrar, award):
    response = registrar_client.get(_url("certificate", award))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert f"{award.program.code}-certificate.pdf" in response["Content-Disposition"]
    entry = LogEntry.objects.get(object_id=str(award.pk))
    assert entry.user == registrar and entry.get_change_message() == "Downloaded the PDF certificate."


def test_the_registrar_downloads_the_signed_credential_exactly_as_issued(registrar_client, registrar, award):
    response = registrar_client.get(_url("credential", award))
    assert response.status_code == 200 and response.content.decode() == award.credential
    assert "attachment" in response["Content-Disposition"]
    assert LogEntry.objects.get(object_id=str(award.pk)).get_change_message() == (
        "Downloaded the signed credential (JSON)."
    )


def test_staff_without_the_permission_are_refused_and_nothing_is_logged(client, award):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_award"))
    client.force_login(viewer)
    assert client.get(_url("certificate", award)).status_code == 403
    assert client.get(_url("credential", award)).status_code == 403
    assert not LogEntry.objects.exists()


def test_a_revoked_credential_has_no_certificate_to_download(registrar_client, registrar, award):
    services.award_revoke(award=award, user=registrar, reason="Issued in error")
    assert registrar_client.get(_url("certificate", award)).status_code == 404
    assert not LogEntry.objects.exists()


def test_the_learner_still_downloads_their_own_certificate_from_the_portal(client, award):
    client.force_login(award.learner.user)
    response = client.get(reverse("portal:download-certificate", args=[award.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
