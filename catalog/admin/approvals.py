"""The approver's queue (programs awaiting a decision, each with what changed since it was last approved) and the
record of every decision taken on a program."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from config.readonly_admin import ReadOnlyAdmin

from .. import selectors, services, substance
from ..models import Pathway, Program, ProgramApproval, ProgramDecision

Status = Program.Status


@admin.register(ProgramApproval)
class ProgramApprovalAdmin(ReadOnlyAdmin):
    """Read-only: the approver decides with the page's two buttons, which go through ``program_transition``."""

    list_display = ["program", "kind", "submitted_by", "submitted_at"]
    list_display_links = ["program"]
    list_select_related = ["submitted_by", "predecessor"]
    search_fields = ["code", "title"]
    ordering = ["submitted_at", "pk"]
    fields = ["program_page", "kind", "submitted_by", "submitted_at", "differences", "rubric_table"]
    readonly_fields = fields
    change_list_template = "admin/catalog/programapproval/change_list.html"
    change_form_template = "admin/catalog/programapproval/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=Status.IN_REVIEW)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("catalog.approve_program")

    def has_module_permission(self, request):
        return request.user.has_perm("catalog.approve_program")

    @admin.display(description="Program", ordering="code")
    def program(self, obj):
        return str(obj)

    @admin.display(description="Program")
    def program_page(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:catalog_program_change", args=[obj.pk]), obj)

    @admin.display(description="What is to be decided")
    def kind(self, obj):
        if obj.approved_substance:
            return "Changed since its last approval"
        if obj.predecessor_id:
            return f"New version of a published program (v{obj.predecessor.version})"
        return "New program: first submission"

    def _current(self, obj):
        # The diff and the rubric table both read the program's substance: compute it once per page.
        if not hasattr(obj, "_current_substance"):
            obj._current_substance = substance.substance(obj)
        return obj._current_substance

    @admin.display(description="What changed")
    def differences(self, obj):
        baseline, against = selectors.program_baseline(obj)
        if baseline is None:
            return "First submission: nothing was approved before."
        rows = selectors.substance_differences(baseline, self._current(obj))
        if not rows:
            return f"Nothing changed since the {against}."
        return format_html(
            '<table class="substance-diff"><caption>Changes since the {}</caption><thead><tr><th scope="col">What'
            '</th><th scope="col">Approved</th><th scope="col">Now</th></tr></thead><tbody>{}</tbody></table>',
            against,
            format_html_join_rows(rows),
        )

    @admin.display(description="Rubric")
    def rubric_table(self, obj):
        rubric = self._current(obj)["rubric"]
        if rubric is None:
            return (
                "No rubric"
                if not hasattr(obj, "awarded_by_pathway")
                else "None: a pathway's award is earned by stacking."
            )
        rows = [
            (
                criterion["name"],
                criterion["weight"],
                ", ".join(f"{level['name']} ({level['points']})" for level in criterion["levels"]),
                criterion["min_level"] or "—",
            )
            for criterion in rubric["criteria"]
        ]
        return format_html(
            '<table class="rubric"><caption>Pass mark: {} points in total</caption><thead><tr><th scope="col">'
            'Criterion</th><th scope="col">Weight</th><th scope="col">Levels (points)</th><th scope="col">At least'
            "</th></tr></thead><tbody>{}</tbody></table>",
            rubric["min_total_points"] or "—",
            format_html_join_rows(rows),
        )

    def changelist_view(self, request, extra_context=None):
        pathways = Pathway.objects.filter(status=Status.IN_REVIEW).count()
        extra_context = {
            **(extra_context or {}),
            "pathways_in_review": pathways,
            "pathways_url": reverse("admin:catalog_pathway_changelist") + f"?status__exact={Status.IN_REVIEW}",
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            return self._decide(request, object_id)
        extra_context = {"title": "Approve, or send back with a comment", **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)

    def _decide(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        program = get_object_or_404(self.get_queryset(request), pk=object_id)
        action = "approve" if "_approve" in request.POST else "return_to_draft"
        comment = request.POST.get("comment", "")
        try:
            services.program_transition(program=program, action=action, user=request.user, comment=comment)
        except (PermissionDenied, ValidationError) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            self.message_user(request, text, messages.ERROR)
            return HttpResponseRedirect(request.path)
        done = "approved; the registrar may publish it" if action == "approve" else "sent back to draft"
        self.message_user(request, f"{program} {done}. Its submitter has been told.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:catalog_programapproval_changelist"))


def format_html_join_rows(rows):
    """Table rows of escaped cells."""
    return format_html_join(
        "", "<tr>{}</tr>", ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in rows)
    )


@admin.register(ProgramDecision)
class ProgramDecisionAdmin(ReadOnlyAdmin):
    """Who approved what and when: a program's decisions, as program_transition recorded them. Read-only, and
    without a history of its own: a decision is never changed."""

    list_display = ["decided_at", "program", "action", "decided_by", "comment", "digest_start"]
    list_filter = ["action", "program", "decided_by"]
    search_fields = ["program__code", "program__title", "comment"]
    list_select_related = ["program", "decided_by"]
    date_hierarchy = "decided_at"
    fields = ["program", "action", "decided_by", "decided_at", "comment", "digest", "notified_at"]
    readonly_fields = fields

    @admin.display(description="Substance digest")
    def digest_start(self, obj):
        return obj.digest[:12]
