from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.program_list, name="program-list"),
    path("programs/<slug:slug>/", views.program_detail, name="program-detail"),
    path("pathways/<slug:slug>/", views.pathway_detail, name="pathway-detail"),
]
