from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("credentials/<uuid:pk>/", views.credential, name="credential"),
    path("verify/", views.verify, name="verify"),
    path("issuer/", views.issuer_profile, name="issuer-profile"),
    path("status/<slug:purpose>/", views.status_list, name="status-list"),
]
