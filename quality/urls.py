from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("quality/", views.dashboard, name="dashboard"),
    path("quality/programs/<int:pk>/review/", views.review_program, name="review-program"),
    path("me/surveys/<int:pk>/", views.survey, name="survey"),
    path("me/follow-ups/<int:pk>/", views.follow_up, name="follow-up"),
    path("partner/feedback/", views.partner_feedback, name="partner-feedback"),
    path("partner/feedback/<uuid:award_id>/", views.partner_feedback_award, name="partner-feedback-award"),
]
