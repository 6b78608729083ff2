"""My credentials in plain words: what each download is, when it expires, a link to copy."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from awards.models import Award

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(award, client):
    client.force_login(award.learner.user)
    return client


def _page(owner):
    return owner.get(reverse("portal:my-credentials")).content.decode()


def test_downloads_and_wallets_are_named_in_plain_words(owner):
    page = _page(owner)
    assert "Download the credential file (Open Badges 3.0)" in page
    assert "Add to a wallet app" in page
    assert "Open Badges 3.0 JSON" not in page and "VC-API" not in page and "OpenID4VCI" not in page


def test_each_credential_shows_when_it_expires(owner, award):
    assert award.valid_until is not None
    page = _page(owner)
    assert f"<dt>Expires</dt><dd>{date_format(timezone.localtime(award.valid_until))}</dd>" in page


def test_a_credential_without_an_end_date_does_not_expire(owner, award):
    Award.objects.filter(pk=award.pk).update(valid_until=None)
    assert "<dt>Expires</dt><dd>Does not expire</dd>" in _page(owner)


def test_the_public_link_has_a_copy_button(owner, award):
    page = _page(owner)
    assert f'<button type="button" data-copy="#link-{award.pk}" data-copied="Link copied">Copy link</button>' in page
    assert "js/copy-link.js" in page


def test_my_credentials_reads_in_french(owner):
    """Passes once the lead's locale/fr carries the proposed translations of these strings."""
    page = owner.get(reverse("portal:my-credentials"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Télécharger le fichier du certificat (Open Badges 3.0)" in page
    assert "Ajouter à une application de portefeuille" in page
    assert "Copier le lien" in page
