from django.urls import path
from oauth2_provider.views import OAuthServerMetadataView

from . import api, ims_api, views

app_name = "wallets"

urlpatterns = [
    path("wallets/interactions/<uuid:pk>", api.interaction, name="interaction"),
    path("wallets/exchanges/<uuid:pk>", api.exchange, name="exchange"),
    path("wallets/exchanges/<uuid:pk>/lcw", api.lcw_request, name="lcw-request"),
    path("wallets/offers/<uuid:pk>/credential-offer", api.credential_offer, name="credential-offer"),
    path("wallets/token", api.token, name="token"),
    path("wallets/nonce", api.nonce, name="nonce"),
    path("wallets/credential", api.credential, name="credential"),
    path(".well-known/openid-credential-issuer", api.credential_issuer_metadata, name="issuer-metadata"),
    # Two authorisation servers: django-oauth-toolkit's at the root (1EdTech APIs), OpenID4VCI's at /wallets.
    path(".well-known/oauth-authorization-server", OAuthServerMetadataView.as_view(), name="oauth-metadata"),
    path(".well-known/oauth-authorization-server/wallets", api.authorization_server_metadata, name="as-metadata"),
    # Where clients that append the well-known suffix to the issuer look (Sphereon's, and OpenID Connect's habit).
    path(
        "wallets/.well-known/oauth-authorization-server",
        api.authorization_server_metadata,
        name="as-metadata-appended",
    ),
    path("ims/ob/v3p0/discovery", ims_api.Discovery.as_view(), name="ob-discovery"),
    path("ims/ob/v3p0/credentials", ims_api.OpenBadgeCredentials.as_view(), name="ob-credentials"),
    path("ims/ob/v3p0/profile", ims_api.OpenBadgeProfile.as_view(), name="ob-profile"),
    path("ims/clr/v2p0/discovery", ims_api.ClrDiscovery.as_view(), name="clr-discovery"),
    path("ims/clr/v2p0/credentials", ims_api.ClrCredentials.as_view(), name="clr-credentials"),
    path("ims/clr/v2p0/profile", ims_api.ClrProfile.as_view(), name="clr-profile"),
    path("me/apps/", views.connected_apps, name="apps"),
    path("me/apps/<int:application_id>/revoke/", views.app_revoke, name="app-revoke"),
    path("me/wallet/", views.wallet, name="wallet"),
    path("me/credentials/<uuid:award_id>/wallet/", views.offer_create, name="offer-create"),
    path("me/record/wallet/", views.record_offer_create, name="record-offer-create"),
    path("me/wallet/offers/<uuid:pk>/", views.offer_detail, name="offer"),
    path("me/wallet/offers/<uuid:pk>/withdraw/", views.offer_revoke, name="offer-revoke"),
    path("me/wallet/offers/<uuid:pk>/approve/", views.offer_approve, name="offer-approve"),
    path("me/wallet/offers/<uuid:pk>/state/", views.offer_state, name="offer-state"),
]
