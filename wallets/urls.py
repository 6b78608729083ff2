from django.urls import path

from . import views

app_name = "wallets"

urlpatterns = [
    path("wallets/interactions/<uuid:pk>", views.interaction, name="interaction"),
    path("wallets/exchanges/<uuid:pk>", views.exchange, name="exchange"),
    path("wallets/exchanges/<uuid:pk>/lcw", views.lcw_request, name="lcw-request"),
    path("wallets/offers/<uuid:pk>/credential-offer", views.credential_offer, name="credential-offer"),
    path("wallets/token", views.token, name="token"),
    path("wallets/nonce", views.nonce, name="nonce"),
    path("wallets/credential", views.credential, name="credential"),
    path(".well-known/openid-credential-issuer", views.credential_issuer_metadata, name="issuer-metadata"),
    path(".well-known/oauth-authorization-server", views.authorization_server_metadata, name="as-metadata"),
    path("me/wallet/", views.wallet, name="wallet"),
    path("me/credentials/<uuid:award_id>/wallet/", views.offer_create, name="offer-create"),
    path("me/wallet/offers/<uuid:pk>/", views.offer_detail, name="offer"),
    path("me/wallet/offers/<uuid:pk>/withdraw/", views.offer_revoke, name="offer-revoke"),
]
