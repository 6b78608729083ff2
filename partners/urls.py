from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("shared/<str:token>/", views.shared, name="shared"),
]
