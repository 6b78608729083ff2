from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.program_list, name="program-list"),
    path("programs/<slug:slug>/", views.program_detail, name="program-detail"),
    path("programs/<slug:slug>/ctdl.json", views.program_ctdl, name="program-ctdl"),
    path("programs/<slug:slug>/badge.svg", views.program_badge, name="program-badge"),
    path("programs/<slug:slug>/badge.png", views.program_badge, {"image_format": "png"}, name="program-badge-png"),
    path("pathways/<slug:slug>/", views.pathway_detail, name="pathway-detail"),
]
