from django.urls import path

from . import portal, views

app_name = "awards"

urlpatterns = [
    path("credentials/<uuid:pk>/", views.credential, name="credential"),
    path("verify/", views.verify, name="verify"),
    path("issuer/", views.issuer_profile, name="issuer-profile"),
    path("status/<slug:purpose>/", views.status_list, name="status-list"),
    path("me/credentials/", portal.my_credentials, name="my-credentials"),
    path("me/credentials/<uuid:pk>/sharing/", portal.update_sharing, name="update-sharing"),
    path("me/credentials/<uuid:pk>/certificate.pdf", portal.download_certificate, name="download-certificate"),
    path("me/credentials/<uuid:pk>/credential.json", portal.download_credential, name="download-credential"),
    path("me/record/", portal.learner_record, name="learner-record"),
    path("me/record/clr.json", portal.download_clr, name="my-clr"),
]
