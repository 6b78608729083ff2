"""The approver's queue (programs awaiting a decision, each with what changed since it was last approved) and the
record of every decision taken on a program."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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

    @admin.display(description=_("Program"), ordering="code")
    def program(self, obj):
        return str(obj)

    @admin.display(description=_("Program"))
    def program_page(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:catalog_program_change", args=[obj.pk]), obj)

    @admin.display(description=_("What is to be decided"))
    def kind(self, obj):
        if obj.approved_substance:
            return gettext("Changed since its last approval")
        if obj.predecessor_id:
            return gettext("New version of a published program (v%(version)s)") % {"version": obj.predecessor.version}
        return gettext("New program: first submission")

    def _current(self, obj):
        # The diff and the rubric table both read the program's substance: compute it once per page.
        if not hasattr(obj, "_current_substance"):
            obj._current_substance = substance.substance(obj)
        return obj._current_substance

    @admin.display(description=_("What changed"))
    def differences(self, obj):
        baseline, against = selectors.program_baseline(obj)
        if baseline is None:
            return gettext("First submission: nothing was approved before.")
        rows = selectors.substance_differences(baseline, self._current(obj))
        if not rows:
            return gettext("Nothing changed since the %(baseline)s.") % {"baseline": against}
        return format_html(
            '<table class="substance-diff"><caption>{}</caption><thead><tr><th scope="col">{}'
            '</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            gettext("Changes since the %(baseline)s") % {"baseline": against},
            gettext("What"),
            gettext("Approved"),
            gettext("Now"),
            format_html_join_rows(rows),
        )

    @admin.display(description=_("Rubric"))
    def rubric_table(self, obj):
        rubric = self._current(obj)["rubric"]
        if rubric is None:
            return (
                gettext("No rubric")
                if not hasattr(obj, "awarded_by_pathway")
                else gettext("None: a pathway's award is earned by stacking.")
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
            '<table class="rubric"><caption>{}</caption><thead><tr><th scope="col">'
            '{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}'
            "</th></tr></thead><tbody>{}</tbody></table>",
            gettext("Pass mark: %(points)s points in total") % {"points": rubric["min_total_points"] or "—"},
            gettext("Criterion"),
            gettext("Weight"),
            gettext("Levels (points)"),
            gettext("At least"),
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
        program = self.get_object(request, unquote(object_id))
        reviewed = substance.digest(substance.substance(program)) if program is not None else ""
        extra_context = {
            "title": gettext("Approve, or send back with a comment"),
            "reviewed_digest": reviewed,
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _decide(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        program = self.get_object(request, unquote(object_id))
        if program is None:
            raise Http404(gettext("No program awaits a decision at this address."))
        action = "approve" if "_approve" in request.POST else "return_to_draft"
        comment = request.POST.get("comment", "")
        try:
            services.program_transition(
                program=program,
                action=action,
                user=request.user,
                comment=comment,
                reviewed_digest=request.POST.get("reviewed_digest", ""),
            )
        except (PermissionDenied, ValidationError) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            self.message_user(request, text, messages.ERROR)
            return HttpResponseRedirect(request.path)
        if action == "approve":
            done = gettext("%(program)s approved; the registrar may publish it. Its submitter has been told.")
        else:
            done = gettext("%(program)s sent back to draft. Its submitter has been told.")
        self.message_user(request, done % {"program": program}, messages.SUCCESS)
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

    @admin.display(description=_("Substance digest"))
    def digest_start(self, obj):
        return obj.digest[:12]
