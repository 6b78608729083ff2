"""The learner's wallet pages: offers with their QR code, deliveries, and the platforms they let in."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from awards.selectors import holder_awards
from learners.selectors import learner_of_request

from . import oauth_clients, services
from .models import WalletCopy, WalletOffer


@login_required
def wallet(request):
    learner = learner_of_request(request)
    offers = WalletOffer.objects.filter(learner=learner).select_related("award__program", "copy")[:50]
    copies = WalletCopy.objects.filter(offer__learner=learner).select_related("award__program")
    return render(request, "wallets/wallet.html", {"offers": offers, "copies": copies})


@login_required
@require_POST
def offer_create(request, award_id):
    learner = learner_of_request(request)
    award = get_object_or_404(holder_awards(learner), pk=award_id)
    try:
        offer = services.offer_create(learner=learner, award=award)
    except ValidationError as error:  # revoked since the page was shown, or too many offers open
        messages.error(request, " ".join(error.messages))
        return redirect("portal:my-credentials")
    return redirect("wallets:offer", offer.pk)


@login_required
@require_POST
def record_offer_create(request):
    try:
        offer = services.offer_create(learner=learner_of_request(request))
    except ValidationError as error:  # too many offers open
        messages.error(request, " ".join(error.messages))
        return redirect("portal:learner-record")
    return redirect("wallets:offer", offer.pk)


def qr_code(text: str) -> str:
    """The QR code of ``text`` as an SVG data URI, as the offer page shows it."""
    return segno.make(text, error="m").svg_data_uri(scale=5, border=2)


@login_required
def offer_detail(request, pk):
    offer = get_object_or_404(
        WalletOffer.objects.select_related("award__program", "copy"), pk=pk, learner__user=request.user
    )
    link = services.interaction_url(offer)
    oid4vci_link = services.credential_offer_by_reference(offer)
    context = {
        "offer": offer,
        "link": link,
        "lcw_link": services.lcw_request_link(offer),
        "qr_svg": qr_code(link),
        "oid4vci_link": oid4vci_link,
        "oid4vci_by_value_link": services.credential_offer_by_value(offer),
        "oid4vci_qr_svg": qr_code(oid4vci_link),
        "pin": services.tx_code(offer),
        "minutes": int(settings.WALLET_OFFER_LIFETIME.total_seconds() // 60),
    }
    return render(request, "wallets/offer.html", context)


@login_required
@require_GET
@never_cache
def offer_state(request, pk):
    """What the offer page's script polls: the offer's state, the wallet waiting for approval and the time left."""
    offer = get_object_or_404(WalletOffer, pk=pk, learner__user=request.user)
    return JsonResponse(
        {
            "state": offer.state,
            "holder": offer.pending_holder,
            "seconds_left": offer.seconds_left,
            "other_attempts": offer.other_holder_attempts,
        }
    )


@login_required
@require_POST
def offer_approve(request, pk):
    """The learner lets the wallet named in the form (the DID they were shown) collect the credential."""
    offer = get_object_or_404(WalletOffer, pk=pk, learner__user=request.user)
    try:
        services.offer_approve(offer=offer, learner=learner_of_request(request), holder=request.POST.get("holder", ""))
    except ValidationError as error:  # refused, expired or used since the page was shown
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Approved: the credential goes to that wallet as soon as it asks."))
    return redirect("wallets:offer", offer.pk)


@login_required
@require_POST
def offer_revoke(request, pk):
    offer = get_object_or_404(WalletOffer, pk=pk, learner__user=request.user)
    refusing = offer.state == "pending"
    services.offer_revoke(offer=offer, learner=offer.learner)
    if refusing:
        messages.success(request, _("Refused: that wallet gets nothing, and the offer is withdrawn."))
    else:
        messages.success(request, _("The offer was withdrawn: no wallet can use it now."))
    return redirect("wallets:wallet")


@login_required
def connected_apps(request):
    """Platforms the learner let read their credentials through the 1EdTech APIs, with what each may read."""
    scopes = settings.OAUTH2_PROVIDER["SCOPES"]
    clients = [
        {"client": client, "scopes": [scopes.get(scope, scope) for scope in client.scopes]}
        for client in oauth_clients.connected_clients(request.user)
    ]
    return render(request, "wallets/apps.html", {"clients": clients})


@login_required
@require_POST
def app_revoke(request, application_id):
    if not oauth_clients.client_revoke(user=request.user, application_id=application_id):
        raise Http404
    messages.success(request, _("Access withdrawn: that platform can no longer read your credentials."))
    return redirect("wallets:apps")
