"""django-oauth-toolkit's endpoints this registry offers, under its namespace (its views reverse these names):
the authorisation code grant, tokens, revocation, introspection and RFC 7591/7592 client registration."""

from django.urls import path
from oauth2_provider import views

from .oauth_clients import ClientConfigurationView, ClientRegistrationView
from .oauth_server import AuthorizationView, TokenView

app_name = "oauth2_provider"

urlpatterns = [
    path("authorize/", AuthorizationView.as_view(), name="authorize"),
    path("token/", TokenView.as_view(), name="token"),
    path("revoke_token/", views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", views.IntrospectTokenView.as_view(), name="introspect"),
    path("register/", ClientRegistrationView.as_view(), name="dcr-register"),
    path(
        "register/<str:client_id>/",
        ClientConfigurationView.as_view(),
        name="dcr-register-management",
    ),
]
