from django.urls import path

from . import views

app_name = "learners"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt-detail"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence-file"),
]
