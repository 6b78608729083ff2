from django.urls import path

from . import views

app_name = "guidance"

urlpatterns = [
    path("me/goals/", views.goals, name="goals"),
    path("me/goals/occupation/", views.add_occupation, name="add-occupation"),
    path("me/goals/posting/", views.add_posting, name="add-posting"),
    path("me/goals/<int:pk>/remove/", views.remove, name="remove"),
    path("me/goals/<int:pk>/remove/confirm/", views.confirm_remove, name="confirm-remove"),
    path("me/goals/<int:pk>/skills/<int:skill_id>/drop/", views.drop_skill, name="drop-skill"),
]
