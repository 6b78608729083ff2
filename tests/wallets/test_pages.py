"""The learner's side: offers are made, shown and withdrawn by their learner only, and wallet copies are listed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import learner_user
from wallets import services
from wallets.models import WalletCopy, WalletOffer
from wallets.services import ExchangeError

pytestmark = pytest.mark.django_db


def test_add_to_my_wallet_makes_an_offer_and_shows_its_qr_code_and_pin(client, award):
    client.force_login(award.learner.user)
    assert "Add to a wallet app" in client.get(reverse("portal:my-credentials")).content.decode()
    response = client.post(reverse("wallets:offer-create", args=[award.pk]))
    offer = WalletOffer.objects.get()
    assert response["Location"] == reverse("wallets:offer", args=[offer.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'src="data:image/svg+xml' in page and services.tx_code(offer) in page
    assert services.interaction_url(offer) in page
    assert "auth_type=bearer" in page and f"challenge={offer.challenge}" in page


def test_another_learner_can_neither_see_nor_withdraw_an_offer_nor_offer_someone_else_s_credential(client, award):
    offer = services.offer_create(learner=award.learner, award=award)
    client.force_login(learner_user().user)
    assert client.get(reverse("wallets:offer", args=[offer.pk])).status_code == 404
    assert client.post(reverse("wallets:offer-revoke", args=[offer.pk])).status_code == 404
    assert client.post(reverse("wallets:offer-create", args=[award.pk])).status_code == 404
    offer.refresh_from_db()
    assert offer.state == "open" and WalletOffer.objects.count() == 1


def test_the_service_refuses_other_learners_and_revoked_credentials(award, registrar):
    from awards import services as award_services

    with pytest.raises(PermissionDenied):
        services.offer_create(learner=learner_user(), award=award)
    award_services.award_revoke(award=award, user=registrar, reason="Issued in error")
    with pytest.raises(ValidationError, match="not revoked"):
        services.offer_create(learner=award.learner, award=award)


def test_a_withdrawn_offer_no_longer_answers_wallets(client, award):
    offer = services.offer_create(learner=award.learner, award=award)
    client.force_login(award.learner.user)
    client.post(reverse("wallets:offer-revoke", args=[offer.pk]))
    offer.refresh_from_db()
    assert offer.state == "withdrawn"
    response = client.get(reverse("wallets:interaction", args=[offer.pk]), HTTP_ACCEPT="application/json")
    assert response.status_code == 410
    assert (
        client.post(reverse("wallets:exchange", args=[offer.pk]), {}, content_type="application/json").status_code
        == 404
    )


def test_the_wallet_page_lists_copies_in_a_constant_number_of_queries(client, award, django_assert_num_queries):
    client.force_login(award.learner.user)

    def deliver(count):
        for n in range(count):
            offer = services.offer_create(learner=award.learner, award=award)
            WalletCopy.objects.create(
                award=award, offer=offer, holder=f"did:key:z{n}", protocol="vcapi", credential="{}"
            )

    deliver(1)
    with django_assert_num_queries(WALLET_PAGE_QUERIES):
        assert client.get(reverse("wallets:wallet")).status_code == 200
    deliver(4)
    with django_assert_num_queries(WALLET_PAGE_QUERIES):
        page = client.get(reverse("wallets:wallet")).content.decode()
    assert page.count("did:key:z") == 5


# session, user, learner, offers (with their award, program and copy), copies (with award and program)
WALLET_PAGE_QUERIES = 5


def test_the_hourly_purge_drops_expired_nonces_and_tokens_only(award):
    from wallets.models import AccessToken, Nonce
    from wallets.tasks import purge_expired_secrets

    offer = services.offer_create(learner=award.learner, award=award)
    past, future = timezone.now() - datetime.timedelta(seconds=1), timezone.now() + datetime.timedelta(minutes=5)
    Nonce.objects.create(value="old", expires_at=past)
    Nonce.objects.create(value="fresh", expires_at=future)
    AccessToken.objects.create(token_hash="old", offer=offer, expires_at=past)
    assert purge_expired_secrets.apply().get() == 2
    assert list(Nonce.objects.values_list("value", flat=True)) == ["fresh"] and not AccessToken.objects.exists()
    assert WalletOffer.objects.filter(pk=offer.pk).exists()


def test_asking_to_offer_a_revoked_credential_gets_a_message_not_an_error(client, award, registrar):
    from awards import services as award_services

    award_services.award_revoke(award=award, user=registrar, reason="Issued in error")
    client.force_login(award.learner.user)
    response = client.post(reverse("wallets:offer-create", args=[award.pk]), follow=True)
    assert response.status_code == 200 and "not revoked can go into a wallet" in response.content.decode()
    assert not WalletOffer.objects.exists()


HOLDER = "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH"


def _waiting(offer, holder=HOLDER):
    """As when a wallet presented a valid DID Authentication: it waits for the learner."""
    WalletOffer.objects.filter(pk=offer.pk).update(
        pending_holder=holder, pending_protocol="vcapi", pending_since=timezone.now()
    )
    offer.refresh_from_db()
    return offer


def test_the_offer_page_asks_whether_to_deliver_to_the_waiting_wallet(client, offer):
    client.force_login(offer.learner.user)
    page = client.get(reverse("wallets:offer", args=[_waiting(offer).pk])).content.decode()
    assert "Deliver to wallet" in page and f'value="{HOLDER}"' in page
    assert reverse("wallets:offer-approve", args=[offer.pk]) in page and ">Refuse</button>" in page
    assert '<section id="approval" class="notice" aria-labelledby="approval-heading">' in page  # shown, not hidden


def test_the_offer_page_says_until_when_it_is_valid_without_javascript(client, offer):
    client.force_login(offer.learner.user)
    page = client.get(reverse("wallets:offer", args=[offer.pk])).content.decode()
    assert "Valid until <time" in page and offer.expires_at.strftime("%H:%M UTC") in page
    assert 'id="offer-refresh"' in page and "js/wallet-offer.js" in page
    assert 'id="approval" class="notice" aria-labelledby="approval-heading" hidden' in page  # until a wallet asks


def test_approving_on_the_offer_page_lets_that_wallet_collect(client, offer):
    client.force_login(offer.learner.user)
    response = client.post(reverse("wallets:offer-approve", args=[_waiting(offer).pk]), {"holder": HOLDER})
    assert response["Location"] == reverse("wallets:offer", args=[offer.pk])
    offer.refresh_from_db()
    assert offer.state == "approved" and offer.approved_at is not None


def test_approving_a_wallet_that_no_longer_waits_gets_a_message(client, offer):
    client.force_login(offer.learner.user)
    response = client.post(reverse("wallets:offer-approve", args=[offer.pk]), {"holder": HOLDER}, follow=True)
    assert "No wallet is waiting for your approval" in response.content.decode()
    offer.refresh_from_db()
    assert offer.approved_at is None


def test_refusing_the_waiting_wallet_withdraws_the_offer(client, offer):
    client.force_login(offer.learner.user)
    response = client.post(reverse("wallets:offer-revoke", args=[_waiting(offer).pk]), follow=True)
    assert "Refused: that wallet gets nothing" in response.content.decode()
    offer.refresh_from_db()
    assert offer.state == "refused" and offer.approved_at is None


def test_another_learner_can_neither_approve_nor_read_the_state_of_an_offer(client, offer):
    client.force_login(learner_user().user)
    assert (
        client.post(reverse("wallets:offer-approve", args=[_waiting(offer).pk]), {"holder": HOLDER}).status_code == 404
    )
    assert client.get(reverse("wallets:offer-state", args=[offer.pk])).status_code == 404
    offer.refresh_from_db()
    assert offer.approved_at is None


def test_the_state_endpoint_tells_the_learner_s_page_which_wallet_waits(client, offer):
    client.force_login(offer.learner.user)
    response = client.get(reverse("wallets:offer-state", args=[_waiting(offer).pk]))
    assert "no-cache" in response["Cache-Control"]
    answer = response.json()
    assert (answer["state"], answer["holder"], answer["other_attempts"]) == ("pending", HOLDER, 0)
    assert 0 < answer["seconds_left"] <= 600


def test_the_pages_tell_the_learner_that_another_wallet_tried(client, offer):
    WalletOffer.objects.filter(pk=_waiting(offer).pk).update(
        other_holder="did:key:z6MkOther", other_holder_attempts=1, other_holder_at=timezone.now()
    )
    client.force_login(offer.learner.user)
    assert (
        "Another wallet also asked for this offer"
        in client.get(reverse("wallets:offer", args=[offer.pk])).content.decode()
    )
    assert "another wallet tried to take it" in client.get(reverse("wallets:wallet")).content.decode()


def test_a_learner_may_have_only_so_many_offers_open(award, settings):
    settings.WALLET_OFFERS_PER_LEARNER = 2
    for _ in range(2):
        services.offer_create(learner=award.learner, award=award)
    with pytest.raises(ValidationError, match="You have 2 wallet offers open already"):
        services.offer_create(learner=award.learner)
    assert WalletOffer.objects.count() == 2


def test_offers_that_ended_leave_room_for_new_ones(award, settings):
    settings.WALLET_OFFERS_PER_LEARNER = 1
    withdrawn = services.offer_create(learner=award.learner, award=award)
    services.offer_revoke(offer=withdrawn, learner=award.learner)
    used = services.offer_create(learner=award.learner, award=award)
    WalletOffer.objects.filter(pk=used.pk).update(used_at=timezone.now())
    expired = services.offer_create(learner=award.learner, award=award)
    WalletOffer.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert services.offer_create(learner=award.learner, award=award).state == "open"


def test_another_learner_s_offers_leave_room_for_one_s_own(award, settings):
    settings.WALLET_OFFERS_PER_LEARNER = 1
    services.offer_create(learner=learner_user())
    assert services.offer_create(learner=award.learner, award=award).state == "open"


@pytest.mark.parametrize(
    ("url", "back"),
    [("wallets:offer-create", "portal:my-credentials"), ("wallets:record-offer-create", "portal:learner-record")],
)
def test_one_offer_too_many_gets_a_message_on_the_page(client, award, settings, url, back):
    settings.WALLET_OFFERS_PER_LEARNER = 1
    services.offer_create(learner=award.learner, award=award)
    client.force_login(award.learner.user)
    response = client.post(reverse(url, args=[award.pk] if url == "wallets:offer-create" else []), follow=True)
    assert response.redirect_chain[-1][0] == reverse(back)
    assert "You have 1 wallet offer open already: withdraw it" in response.content.decode()
    assert WalletOffer.objects.count() == 1


def _wrong_pins(offer, settings):
    """Someone holding only the interaction URL (so the pre-authorised code, not the PIN) guesses PINs."""
    wrong = f"{(int(services.tx_code(offer)) + 1) % 10**6:06d}"
    for _attempt in range(settings.WALLET_TX_CODE_ATTEMPTS):
        with pytest.raises(ExchangeError):
            services.token_issue(code=services.pre_authorized_code(offer), pin=wrong)
    offer.refresh_from_db()
    return offer


def test_wrong_pins_withdraw_the_offer_as_such_not_as_the_learner_s_refusal(offer, settings):
    offer = _wrong_pins(_waiting(offer), settings)  # while the learner's own wallet waits
    assert (offer.state, offer.withdrawn_after_wrong_pins) == ("withdrawn", True)
    assert offer.state_display == "withdrawn after wrong PINs"


def test_approving_after_wrong_pins_says_why_it_cannot_be_delivered(client, offer, settings):
    _wrong_pins(_waiting(offer), settings)
    client.force_login(offer.learner.user)
    response = client.post(reverse("wallets:offer-approve", args=[offer.pk]), {"holder": HOLDER}, follow=True)
    assert "Someone tried wrong PINs with this offer, so it was withdrawn: make a new offer." in (
        response.content.decode()
    )
    offer.refresh_from_db()
    assert offer.approved_at is None


def test_the_pages_tell_the_learner_that_someone_tried_wrong_pins(client, offer, settings):
    _wrong_pins(offer, settings)
    client.force_login(offer.learner.user)
    page = client.get(reverse("wallets:offer", args=[offer.pk])).content.decode()
    assert "This offer is withdrawn after wrong PINs." in page and "Someone tried wrong PINs with it" in page
    assert "someone tried wrong PINs; make a new offer" in client.get(reverse("wallets:wallet")).content.decode()


def test_a_wallet_asking_after_wrong_pins_is_told_why(offer, settings):
    offer = _wrong_pins(_waiting(offer), settings)
    with pytest.raises(ExchangeError, match="too many wrong PINs") as refused:
        services.exchange_request(offer.pk)
    assert (refused.value.code, refused.value.status) == ("invalid_grant", 404)
