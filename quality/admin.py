"""Quality records are written by learners, partners and approvers on their own pages; the admin shows them
read-only (a review is changed by recording a new one, so the audit trail stays whole)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from config.readonly_admin import ReadOnlyAdmin

from .models import EmployerFeedback, OutcomeFollowUp, ProgramReview, SurveyResponse


# Survey and follow-up answers are reported only in aggregate (anonymity threshold): the admin shows whether
# an invitation went out and was answered, never what a named learner answered.
@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyAdmin):
    fields = list_display = ["enrolment", "invited_at", "emailed_at", "submitted_at"]
    list_filter = ["submitted_at", "enrolment__program__code"]
    list_select_related = ["enrolment__learner", "enrolment__program"]


@admin.register(OutcomeFollowUp)
class OutcomeFollowUpAdmin(ReadOnlyAdmin):
    fields = list_display = ["award", "months", "invited_at", "emailed_at", "submitted_at"]
    list_filter = ["months", "submitted_at"]
    list_select_related = ["award"]


@admin.register(EmployerFeedback)
class EmployerFeedbackAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "award", "competency", "rating", "given_by", "given_at"]
    list_filter = ["organisation", "rating"]
    list_select_related = ["organisation", "award", "competency", "given_by"]


@admin.register(ProgramReview)
class ProgramReviewAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["program", "outcome", "reviewed_by", "reviewed_at", "next_review_on", "new_version"]
    list_filter = ["outcome"]
    list_select_related = ["program", "reviewed_by", "new_version"]
