from django.urls import path

from . import shares, views

app_name = "portal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt-detail"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence-file"),
    path("credentials/", views.my_credentials, name="my-credentials"),
    path("credentials/<uuid:pk>/sharing/", views.update_sharing, name="update-sharing"),
    path("credentials/<uuid:pk>/certificate.pdf", views.download_certificate, name="download-certificate"),
    path("credentials/<uuid:pk>/credential.json", views.download_credential, name="download-credential"),
    path("credentials/<uuid:pk>/badge.png", views.download_badge, {"kind": "ob3-png"}, name="download-badge-png"),
    path("credentials/<uuid:pk>/badge.svg", views.download_badge, {"kind": "ob3-svg"}, name="download-badge-svg"),
    path("credentials/<uuid:pk>/badge-ob2.png", views.download_badge, {"kind": "ob2-png"}, name="download-badge-ob2"),
    path("notices/<int:pk>/dismiss/", views.dismiss_notice, name="dismiss-notice"),
    path("record/", views.learner_record, name="learner-record"),
    path("transfer/", views.transfer_credit, name="transfer-credit"),
    path("record/clr.json", views.download_clr, name="my-clr"),
    path("shares/", shares.shares, name="shares"),
    path("shares/<int:pk>/revoke/", shares.revoke_share, name="revoke-share"),
    path("shares/discovery/", shares.talent_profile, name="talent-profile"),
]
