from django.urls import path

from . import views
from .vcapi import views as vcapi

app_name = "awards"

urlpatterns = [
    path("credentials/<uuid:pk>/", views.credential, name="credential"),
    path("verify/", views.verify, name="verify"),
    # VC-API (W3C CCG VCALM): issue as the registry, verify credentials and presentations from any issuer.
    path("credentials/issue", vcapi.IssueCredentialView.as_view(), name="vcapi-issue"),
    path("credentials/verify", vcapi.VerifyCredentialView.as_view(), name="vcapi-verify"),
    path("presentations/verify", vcapi.VerifyPresentationView.as_view(), name="vcapi-verify-presentation"),
    path("issuer/", views.issuer_profile, name="issuer-profile"),
    path("status/<slug:purpose>/", views.status_list, name="status-list"),
    path("status/issued/revocation/", views.issued_status_list, name="issued-status-list"),
    path("status/issued/<str:key_id>/revocation/", views.issued_key_status_list, name="issued-key-status-list"),
    path("endorsements/<uuid:pk>", views.endorsement, name="endorsement"),
    path("ob2/issuer", views.ob2_issuer, name="ob2-issuer"),
    path("ob2/badges/<slug:slug>", views.ob2_badge_class, name="ob2-badge-class"),
    path("ob2/assertions/<uuid:pk>", views.ob2_assertion, name="ob2-assertion"),
    path("ob2/revocations", views.ob2_revocations, name="ob2-revocations"),
]
