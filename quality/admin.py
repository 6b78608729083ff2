"""Quality records are written by learners, partners and approvers on their own pages; the admin shows them
read-only (a review is changed by recording a new one, so the audit trail stays whole)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from catalog.models import Program
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


# Reviews are recorded on the review page, which shows the evidence first; the admin lists them and links both
# ways: to the outcomes dashboard (object tools) and to each program's review page.
@admin.register(ProgramReview)
class ProgramReviewAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    change_list_template = "quality/admin/programreview_change_list.html"
    list_display = [
        "program", "outcome", "reviewed_by", "reviewed_at", "next_review_on", "new_version", "minutes", "review_page"
    ]  # fmt: skip
    list_filter = ["outcome", "reviewed_at"]
    list_select_related = ["program", "reviewed_by", "new_version"]
    search_fields = ["program__code", "program__title", "rationale", "minutes_reference"]
    fields = [
        "program", "outcome", "rationale", "next_review_on", "new_version", "minutes", "reviewed_by", "reviewed_at",
        "review_page",
    ]  # fmt: skip
    readonly_fields = ["new_version", "reviewed_at", "minutes", "review_page"]  # not editable, or computed

    @admin.display(description=_("Committee minutes"))
    def minutes(self, review):
        # The URL was typed by staff: shown as a link (http/https only, checked when recorded), never fetched.
        if review.minutes_url:
            return format_html(
                '<a href="{}" rel="noopener noreferrer">{}</a>', review.minutes_url,
                review.minutes_reference or review.minutes_url,
            )  # fmt: skip
        return review.minutes_reference or "—"

    @admin.display(description=_("Review page"))
    def review_page(self, review):
        if review.program.status != Program.Status.PUBLISHED:
            return "—"
        url = reverse("quality:review-program", args=[review.program_id])
        return format_html(
            '<a href="{}">{}</a>',
            url,
            gettext("Review %(code)s v%(version)s again")
            % {"code": review.program.code, "version": review.program.version},
        )
