"""Exports of the credential, enrolment and attempt lists, and the export jobs' progress and downloads.

Awards and learners cannot import the workspace (tests/test_layering.py), so — as awards does to add its bulk
issue to enrolments — their admin classes are registered again here as subclasses that add the exports.
"""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from awards.admin import AwardAdmin, IssuingEnrolmentAdmin
from awards.models import Award
from learners.admin import AssessmentAttemptAdmin
from learners.models import AssessmentAttempt, Enrolment

from . import exports
from .models import ExportJob

EXPORT_FORMATS = [choice.value for choice in ExportJob.Format]
PROGRESS_URL = "workspace_exportjob_progress"
DOWNLOAD_URL = "workspace_exportjob_download"


def _selected_across(request):
    return request.POST.get("select_across") == "1"


class ListExportMixin:
    """Adds "Export this list: CSV / XLSX" to the changelist, and the same as actions on the selected rows."""

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_export"
        view = self.admin_site.admin_view(self.export_list_view)
        return [path("export/<str:file_format>/", view, name=name), *super().get_urls()]

    def has_export_list_permission(self, request):
        return self.has_view_permission(request) and request.user.has_perm(exports.export_for(self.model).permission)

    def changelist_view(self, request, extra_context=None):
        if self.has_export_list_permission(request):
            name = f"admin:{self.opts.app_label}_{self.opts.model_name}_export"
            query = request.GET.urlencode()
            links = [
                (fmt.upper(), reverse(name, args=[fmt]) + (f"?{query}" if query else "")) for fmt in EXPORT_FORMATS
            ]
            extra_context = {**(extra_context or {}), "list_export_links": links}
        return super().changelist_view(request, extra_context)

    def export_list_view(self, request, file_format):
        if file_format not in EXPORT_FORMATS:
            raise Http404(gettext("No such export format."))
        if not self.has_export_list_permission(request):
            raise PermissionDenied
        try:
            queryset = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            self.message_user(request, _("This list's filters are not valid; nothing was exported."), messages.ERROR)
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        return self._export(request, queryset, file_format)

    @admin.action(description=_("Export the selected rows as CSV"), permissions=["export_list"])
    def export_selected_csv(self, request, queryset):
        return self._export(request, queryset, "csv", whole_list=_selected_across(request))

    @admin.action(description=_("Export the selected rows as XLSX"), permissions=["export_list"])
    def export_selected_xlsx(self, request, queryset):
        return self._export(request, queryset, "xlsx", whole_list=_selected_across(request))

    def _export(self, request, queryset, file_format, *, whole_list=True):
        list_export = exports.export_for(self.model)
        row_count = queryset.count()
        # Rows ticked on one page are answered at once; a job is described by the list's querystring, so only the
        # whole list (the button, or "select all" across pages) can become one.
        if not whole_list or exports.exports_inline(row_count):
            dataset = exports.build_dataset(list_export, queryset)
            response = HttpResponse(
                exports.render(dataset, file_format), content_type=exports.CONTENT_TYPES[file_format]
            )
            response["Content-Disposition"] = f'attachment; filename="{exports.file_name(list_export, file_format)}"'
            return response
        if request.method != "POST":  # a link followed from anywhere may download, never start work
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("Export this list"),
                "row_count": row_count,
                "file_format": file_format.upper(),
            }
            return TemplateResponse(request, "admin/workspace/export_confirm.html", context)
        job = exports.export_job_start(
            user=request.user, list_export=list_export, querystring=request.GET.urlencode(), file_format=file_format
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d row is being exported; this page shows the progress, then the download link.",
                "%(count)d rows are being exported; this page shows the progress, then the download link.",
                row_count,
            )
            % {"count": row_count},
            messages.INFO,
        )
        return redirect(f"admin:{PROGRESS_URL}", job.pk)


EXPORT_ACTIONS = ["export_selected_csv", "export_selected_xlsx"]


admin.site.unregister(Award)
admin.site.unregister(Enrolment)
admin.site.unregister(AssessmentAttempt)


@admin.register(Award)
class ExportingAwardAdmin(ListExportMixin, AwardAdmin):
    actions = [*AwardAdmin.actions, *EXPORT_ACTIONS]


@admin.register(Enrolment)
class ExportingEnrolmentAdmin(ListExportMixin, IssuingEnrolmentAdmin):
    actions = [*IssuingEnrolmentAdmin.actions, *EXPORT_ACTIONS]


@admin.register(AssessmentAttempt)
class ExportingAttemptAdmin(ListExportMixin, AssessmentAttemptAdmin):
    actions = [*AssessmentAttemptAdmin.actions, *EXPORT_ACTIONS]


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """A registrar's own exports (a superuser sees all): progress, and the file while it is kept."""

    list_display = ["__str__", "status", "progress", "created_at", "finished_at", "download_link"]
    list_filter = ["status", "list_name", "file_format"]
    list_select_related = ["created_by"]
    list_display_links = None

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(created_by=request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("<int:pk>/progress/", self.admin_site.admin_view(self.progress_view), name=PROGRESS_URL),
            path("<int:pk>/download/", self.admin_site.admin_view(self.download_view), name=DOWNLOAD_URL),
            *super().get_urls(),
        ]

    @admin.display(description=_("Rows"))
    def progress(self, obj):
        return f"{obj.rows_done} of {obj.rows_total}" if obj.rows_total is not None else "—"

    @admin.display(description="")
    def download_link(self, obj):
        if obj.status == ExportJob.Status.DONE:
            return format_html('<a href="{}">Download</a>', reverse(f"admin:{DOWNLOAD_URL}", args=[obj.pk]))
        return format_html('<a href="{}">{}</a>', reverse(f"admin:{PROGRESS_URL}", args=[obj.pk]), gettext("Progress"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A job has nothing to edit: its page is its progress (and the download link).
        if not self.has_view_permission(request):
            raise PermissionDenied
        if not object_id.isdigit():
            raise Http404(gettext("No such export."))
        return redirect(f"admin:{PROGRESS_URL}", object_id)

    def _job(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)  # another user's job: not found

    def progress_view(self, request, pk):
        job = self._job(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Export of %(noun)s (%(format)s)")
            % {"noun": exports.EXPORTS[job.list_name].noun, "format": job.get_file_format_display()},
            "opts": self.opts,
            "job": job,
            "retention_days": exports.retention_days(),
            "list_url": reverse(f"admin:{job.list_name.replace('.', '_')}_changelist") + f"?{job.querystring}",
        }
        return TemplateResponse(request, "admin/workspace/exportjob/progress.html", context)

    def download_view(self, request, pk):
        job = self._job(request, pk)
        if job.status != ExportJob.Status.DONE:
            raise Http404(gettext("This export has no file to download."))
        list_export = exports.EXPORTS[job.list_name]
        return FileResponse(
            job.file.open("rb"),
            as_attachment=True,
            filename=exports.file_name(list_export, job.file_format),
            content_type=exports.CONTENT_TYPES[job.file_format],
        )
