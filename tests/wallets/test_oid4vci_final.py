"""OpenID4VCI 1.0 final: the offer page gives OpenID4VCI-only wallets their own QR code and links (the offer by
reference and by value), the issuer metadata has the 1.0 shape (claims, key proof algorithms) and Sphereon's client
(tests/thirdparty/oid4vci_wallet.js), started from what the learner's page shows, gets a credential."""

import json
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest
from django.urls import reverse

from awards import clr
from awards.credentials import absolute
from tests.awards.helpers import credential_of, third_party_verify
from tests.wallets.test_sphereon_client import sphereon_wallet
from wallets import metadata, proofs, services, views
from wallets.models import WalletCopy

pytestmark = pytest.mark.django_db

PRE_AUTHORIZED = "urn:ietf:params:oauth:grant-type:pre-authorized_code"


class OfferPage(HTMLParser):
    """What the learner's offer page shows: the links and images it holds, by id (a link) or alt text (an image)."""

    def __init__(self, html: str):
        super().__init__()
        self.links, self.images = {}, {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and "id" in attributes:
            self.links[attributes["id"]] = attributes["href"]
        if tag == "img":
            self.images[attributes["alt"]] = attributes["src"]


def offer_page(client, offer) -> OfferPage:
    client.force_login(offer.learner.user)
    return OfferPage(client.get(reverse("wallets:offer", args=[offer.pk])).content.decode())


def query_value(uri: str, name: str) -> str:
    """The one query parameter ``name`` of ``uri``, split at ``&`` and ``=`` and percent-decoded as wallets do
    (JavaScript's decodeURIComponent: a ``+`` stays a ``+``)."""
    pairs = [pair.split("=") for pair in urlsplit(uri).query.split("&")]
    assert all(len(pair) == 2 for pair in pairs) and [key for key, _value in pairs] == [name], uri
    return unquote(pairs[0][1])


def select(document, path):
    """OpenID4VCI 1.0 Appendix C.1: the claims a claims path pointer selects in a JSON credential (none: [])."""
    selected = [document]
    for component in path:
        if component is None:
            selected = [element for array in selected for element in array]
        else:
            selected = [element[component] for element in selected if component in element]
    return selected


# The offer page and the offer


def test_the_offer_page_gives_openid4vci_wallets_a_qr_code_of_the_offer_by_reference(client, offer):
    page = offer_page(client, offer)
    by_reference = page.links["oid4vci-link"]
    assert by_reference == services.credential_offer_by_reference(offer)
    assert by_reference.startswith("openid-credential-offer://?credential_offer_uri=")
    assert page.images["QR code of the OpenID4VCI credential offer"] == views.qr_code(by_reference)


def test_the_offer_page_keeps_the_qr_code_of_the_interaction_url_beside_it(client, offer):
    page = offer_page(client, offer)
    assert page.images["QR code of the wallet link"] == views.qr_code(services.interaction_url(offer))
    assert page.links["interaction-link"] == services.interaction_url(offer)


def test_the_offer_page_names_the_wallets_each_code_is_for_and_shows_the_pin(client, offer):
    client.force_login(offer.learner.user)
    html = client.get(reverse("wallets:offer", args=[offer.pk])).content.decode()
    assert "EU Digital Identity Wallet and other OpenID4VCI wallets" in html
    assert "Learner Credential Wallet and other VC-API wallets" in html
    assert f'id="wallet-pin">{services.tx_code(offer)}<' in html


def test_the_offer_by_reference_resolves_to_the_offer_json(client, offer):
    offer_uri = query_value(offer_page(client, offer).links["oid4vci-link"], "credential_offer_uri")
    response = client.get(offer_uri)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == metadata.credential_offer(offer, services.pre_authorized_code(offer))
    assert offer_uri == absolute(reverse("wallets:credential-offer", args=[offer.pk]))


def test_the_offer_by_value_holds_the_same_offer_decoded_as_wallets_decode_it(client, offer):
    by_value = offer_page(client, offer).links["oid4vci-by-value-link"]
    assert by_value.startswith("openid-credential-offer://?credential_offer=")
    document = json.loads(query_value(by_value, "credential_offer"))
    assert document == metadata.credential_offer(offer, services.pre_authorized_code(offer))
    assert " " in document["grants"][PRE_AUTHORIZED]["tx_code"]["description"]  # sent as %20, which decodes back


def test_the_interaction_url_lists_the_same_offer_by_reference_as_the_page(client, offer):
    protocols = client.get(services.interaction_url(offer), headers={"Accept": "application/json"}).json()
    assert protocols["protocols"]["OID4VCI"] == offer_page(client, offer).links["oid4vci-link"]


def test_the_offer_asks_for_a_six_digit_pin_in_a_description_within_the_limit(offer):
    tx_code = metadata.credential_offer(offer, services.pre_authorized_code(offer))["grants"][PRE_AUTHORIZED]["tx_code"]
    assert tx_code["input_mode"] == "numeric" and tx_code["length"] == len(services.tx_code(offer)) == 6
    assert len(tx_code["description"]) <= 300  # OpenID4VCI 1.0 §4.1.1


# Issuer metadata (§12.2.4)


def test_each_configuration_proves_keys_with_exactly_the_algorithms_the_proofs_accept(client):
    configurations = client.get("/.well-known/openid-credential-issuer").json()["credential_configurations_supported"]
    for configuration in configurations.values():
        assert configuration["proof_types_supported"] == {
            "jwt": {"proof_signing_alg_values_supported": list(proofs.ALGORITHMS)}
        }


def test_the_metadata_names_the_nonce_endpoint_and_keeps_the_display_draft_13_wallets_read(client, settings):
    issuer = client.get("/.well-known/openid-credential-issuer").json()
    assert issuer["nonce_endpoint"] == settings.REGISTRY_PUBLIC_URL + reverse("wallets:nonce")
    for configuration in issuer["credential_configurations_supported"].values():
        assert configuration["display"] == configuration["credential_metadata"]["display"]


def test_each_configuration_describes_its_claims_by_path_with_a_display_name(client):
    configurations = client.get("/.well-known/openid-credential-issuer").json()["credential_configurations_supported"]
    for configuration in configurations.values():
        claims = configuration["credential_metadata"]["claims"]
        paths = [claim["path"] for claim in claims]
        assert len({json.dumps(path) for path in paths}) == len(paths)  # Appendix B.3: no claim described twice
        for claim in claims:
            assert claim["path"] and all(component is None or isinstance(component, str) for component in claim["path"])
            assert [display["locale"] for display in claim["display"]] == ["en"] and claim["display"][0]["name"]
    achievement = configurations["OpenBadgeCredential"]["credential_metadata"]["claims"][0]
    assert achievement["path"] == ["credentialSubject", "achievement", "name"]
    assert achievement["display"] == [{"name": "Achievement", "locale": "en"}]


def test_the_mandatory_claims_of_an_open_badge_are_in_every_issued_one(award):
    credential = credential_of(award)
    for path, _label, mandatory in metadata.CLAIMS["OpenBadgeCredential"]:
        assert not mandatory or select(credential, path), path
    assert select(credential, ["credentialSubject", "achievement", "name"]) == [award.program.title]


def test_the_mandatory_claims_of_a_learner_record_are_in_every_issued_one(award):
    record = clr.build(award.learner, clr.learner_awards(award.learner), issued_at=award.issued_at)
    for path, _label, mandatory in metadata.CLAIMS["ClrCredential"]:
        assert not mandatory or select(record, path), path
    assert select(record, ["credentialSubject", "verifiableCredential", None, "name"]) == [award.program.title]


# Sphereon's client, started from the learner's page


@pytest.mark.django_db(transaction=True)  # the live server reads what the test wrote
@pytest.mark.parametrize("link", ["oid4vci-link", "oid4vci-by-value-link"], ids=["by-reference", "by-value"])
def test_a_wallet_scanning_the_offer_page_gets_a_credential_bound_to_its_did_jwk_as_sent(
    public_url, offer, client, learner_approves, link
):
    page = offer_page(client, offer)
    got = sphereon_wallet(page.links[link], services.tx_code(offer), curve="P-256", binding="did:jwk")
    assert "error" not in got, got["error"]
    credential = got["credential"]
    assert got["did"].startswith("did:jwk:") and credential["credentialSubject"]["id"] == got["did"]
    assert learner_approves.decided == [got["did"]] and WalletCopy.objects.get().holder == got["did"]
    assert third_party_verify(client, [credential]) == [{"verified": True, "error": ""}]
