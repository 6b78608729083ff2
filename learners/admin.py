import secrets
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from catalog.models import Program, Rubric
from catalog.selectors import rubric_with_levels
from config.storages import private_storage

from . import results_io, selectors, services
from .admin_filters import AttemptPathwayFilter, DatePresetsFilter, PathwayFilter, unaccented
from .files import evidence_file_response
from .models import AssessmentAttempt, Enrolment, Evidence, Learner


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    fields = ["program", "status", "cohort", "enrolled_on", "completed_on"]
    readonly_fields = fields
    show_change_link = True
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Learner)
class LearnerAdmin(SimpleHistoryAdmin):
    list_display = ["legal_name", "email", "student_id", "institution", "account_linked", "default_sharing"]
    list_filter = ["institution", "default_sharing"]
    search_fields = unaccented("legal_name", "display_name", "email", "student_id")
    list_select_related = ["institution", "user"]
    readonly_fields = ["user", "date_joined"]
    inlines = [EnrolmentInline]

    @admin.display(boolean=True, description=_("Account linked"))
    def account_linked(self, obj):
        return obj.user_id is not None


@admin.register(Enrolment)
class EnrolmentAdmin(SimpleHistoryAdmin):
    list_display = [
        "learner_name",
        "program_version",
        "status",
        "cohort",
        "enrolled_on",
        "completed_on",
        "record_attempt_link",
    ]
    list_filter = ["status", ("enrolled_on", DatePresetsFilter), "cohort", "program__subject", "program", PathwayFilter]
    search_fields = unaccented(
        "learner__legal_name", "learner__display_name", "learner__email", "learner__student_id", "program__code",
        "program__title", "cohort",
    )  # fmt: skip
    list_select_related = ["learner", "program"]
    autocomplete_fields = ["learner", "program"]
    readonly_fields = ["completed_on"]
    actions = ["export_results", "withdraw"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["learner", "program", "status", "completed_on"]
        return ["status", "completed_on"]

    def get_queryset(self, request):
        drafts = AssessmentAttempt.objects.filter(enrolment=OuterRef("pk"), status=AssessmentAttempt.Status.DRAFT)
        return super().get_queryset(request).annotate(draft_attempt_id=Subquery(drafts.values("pk")[:1]))

    @admin.display(description=_("Learner"), ordering="learner__legal_name")
    def learner_name(self, obj):
        return obj.learner.legal_name

    @admin.display(description=_("Program"), ordering="program__code")
    def program_version(self, obj):
        return f"{obj.program.code} v{obj.program.version}"

    @admin.display(description="")
    def record_attempt_link(self, obj):
        if obj.status not in (*Enrolment.ACTIVE, Enrolment.Status.FAILED):
            return ""
        if obj.draft_attempt_id:  # one draft at a time: continue it rather than start a form that cannot save
            url = reverse("admin:learners_assessmentattempt_change", args=[obj.draft_attempt_id])
            return format_html('<a href="{}">{}</a>', url, gettext("Open draft attempt"))
        url = reverse("admin:learners_assessmentattempt_add") + f"?enrolment={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, gettext("Record attempt"))

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.enrolment_create(
            learner=obj.learner, program=obj.program, cohort=obj.cohort, enrolled_on=obj.enrolled_on
        )
        obj.pk = obj.id = created.pk
        obj.status = created.status

    @admin.action(description=_("Export results as CSV"), permissions=["export"])
    def export_results(self, request, queryset):
        dataset = results_io.export_results(selectors.cohort_results(queryset))
        response = HttpResponse(dataset.export("csv"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="results.csv"'
        return response

    def has_export_permission(self, request):
        return request.user.has_perm("learners.export_results")

    @admin.action(description=_("Withdraw from the program"), permissions=["change"])
    def withdraw(self, request, queryset):
        for enrolment in queryset:
            try:
                services.enrolment_withdraw(enrolment=enrolment, user=request.user)
            except ValidationError as error:
                self.message_user(
                    request,
                    gettext("%(enrolment)s: %(error)s") % {"enrolment": enrolment, "error": " ".join(error.messages)},
                    messages.ERROR,
                )


class PrivateFileInput(forms.ClearableFileInput):
    """Private files have no URL: the current file links to the permission-checked staff download instead."""

    template_name = "learners/widgets/private_file_input.html"

    def is_initial(self, value):
        return bool(value) and getattr(getattr(value, "instance", None), "pk", None) is not None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.is_initial(value):
            context["widget"]["download_url"] = _evidence_download_url(value.instance)
            context["widget"]["filename"] = Path(value.name).name
        return context


def _evidence_download_url(evidence):
    return reverse("admin:learners_evidence_file", args=[evidence.pk])


class EvidenceForm(forms.ModelForm):
    class Meta:
        model = Evidence
        fields = ["title", "description", "url", "file"]
        widgets = {"file": PrivateFileInput, "description": forms.Textarea(attrs={"rows": 2, "cols": 60})}


class EvidenceInline(admin.StackedInline):
    model = Evidence
    form = EvidenceForm
    readonly_fields = ["download"]
    extra = 1

    def get_fields(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return ["title", "description", "url", "download"]  # a final attempt's evidence, read-only
        return ["title", "description", "url", "file"]

    @admin.display(description=_("File"))
    def download(self, evidence):
        if not evidence.file:
            return "—"
        return format_html('<a href="{}">{}</a>', _evidence_download_url(evidence), Path(evidence.file.name).name)

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_change_permission(request, obj)

    has_delete_permission = has_change_permission

    def has_add_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_add_permission(request, obj)


class AttemptForm(forms.ModelForm):
    """One level choice per rubric criterion; the total and pass/fail are computed, never typed."""

    rubric = None  # set per request by AssessmentAttemptAdmin.get_form
    # Named apart from the model's non-editable fields, which the admin refuses to put on a form.
    corrects = forms.ModelChoiceField(
        queryset=AssessmentAttempt.objects.final(), required=False, widget=forms.HiddenInput
    )
    reason_for_correction = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required when correcting a final result."),
    )
    finalise = forms.BooleanField(
        required=False, label=_("Finalise now"), help_text=_("A final attempt can no longer be edited, only corrected.")
    )

    class Meta:
        model = AssessmentAttempt
        fields = ["enrolment", "assessor", "assessed_on", "feedback"]

    def criterion_fields(self):
        return [name for name in self.fields if name.startswith("criterion_")]

    def clean(self):
        cleaned = super().clean()
        enrolment = cleaned.get("enrolment") or getattr(self.instance, "enrolment", None)
        if enrolment is None or self.rubric is None:
            return cleaned
        levels = {
            int(name.split("_", 1)[1]): int(cleaned[name]) for name in self.criterion_fields() if cleaned.get(name)
        }
        cleaned["levels"] = levels
        if self.instance.pk:
            return cleaned  # re-scoring a draft is validated by the service
        try:
            services.attempt_validate(
                enrolment=enrolment,
                levels=levels,
                supersedes=cleaned.get("corrects"),
                correction_reason=cleaned.get("reason_for_correction", ""),
            )
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                field = SERVICE_FIELD_NAMES.get(field, field)
                target = field if field in self.fields else None
                if target is None or target not in self.errors:
                    self.add_error(target, messages_)
        return cleaned


SERVICE_FIELD_NAMES = {"supersedes": "corrects", "correction_reason": "reason_for_correction"}


def _level_label(level):
    label = gettext("%(level)s (%(points)s pts)") % {"level": level.name, "points": f"{level.points.normalize():f}"}
    return f"{label} — {level.description}" if level.description else label


def _attempt_form_for(base, rubric, initial_levels):
    fields = {}
    for criterion in rubric.criteria.all():
        choices = [("", gettext("— choose a level —"))] + [
            (level.pk, _level_label(level)) for level in criterion.levels.all()
        ]
        fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
            choices=choices,
            coerce=int,
            label=f"{criterion.name} (× {criterion.weight.normalize():f})",
            help_text=criterion.description,
            initial=initial_levels.get(criterion.pk),
        )
    return type(base.__name__, (base,), {**fields, "rubric": rubric})


@admin.register(AssessmentAttempt)
class AssessmentAttemptAdmin(SimpleHistoryAdmin):
    form = AttemptForm
    change_list_template = "admin/learners/assessmentattempt/change_list.html"
    list_display = ["__str__", "status", "total_points", "passed", "assessor", "assessed_on"]
    list_filter = [
        "status", "passed", ("assessed_on", DatePresetsFilter), "enrolment__program", AttemptPathwayFilter,
        "enrolment__cohort",
    ]  # fmt: skip
    search_fields = unaccented(
        "enrolment__learner__legal_name", "enrolment__learner__display_name", "enrolment__learner__email",
        "enrolment__learner__student_id", "enrolment__program__code", "enrolment__program__title",
    )  # fmt: skip
    list_select_related = ["enrolment__learner", "enrolment__program", "assessor"]
    autocomplete_fields = ["enrolment", "assessor"]
    readonly_fields = [
        "number",
        "status",
        "total_points",
        "passed",
        "rubric_results",
        "finalised_by",
        "finalised_at",
        "supersedes_link",
        "correction_reason_display",
        "correction_link",
    ]
    inlines = [EvidenceInline]
    actions = ["finalise"]

    # --- which rubric the form shows -------------------------------------------------------------
    def _enrolment(self, request, obj):
        if obj is not None:
            return obj.enrolment
        pk = request.POST.get("enrolment") or request.GET.get("enrolment")
        return Enrolment.objects.select_related("program").filter(pk=pk).first() if pk and pk.isdigit() else None

    def get_form(self, request, obj=None, change=False, **kwargs):
        enrolment = self._enrolment(request, obj)
        try:
            rubric = rubric_with_levels(enrolment.program) if enrolment else None
        except Rubric.DoesNotExist:
            rubric = None
        if rubric is not None:
            initial = {s.criterion_id: s.level_id for s in obj.scores.all()} if obj else {}
            kwargs["form"] = _attempt_form_for(self.form, rubric, initial)
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        form = self.get_form(request, obj, fields=None)
        criterion_fields = [name for name in form.base_fields if name.startswith("criterion_")]
        if obj is not None and not obj.is_editable:
            return [
                (None, {"fields": ["enrolment", "number", "status", "assessor", "assessed_on"]}),
                ("Result", {"fields": ["rubric_results", "total_points", "passed", "feedback"]}),
                (
                    "Finalisation",
                    {
                        "fields": [
                            "finalised_by",
                            "finalised_at",
                            "supersedes_link",
                            "correction_reason_display",
                            "correction_link",
                        ]
                    },
                ),
            ]
        rubric_help = gettext("Choose the enrolment and press “Save and continue editing” to load its rubric.")
        return [
            (None, {"fields": ["enrolment", "assessor", "assessed_on", "corrects", "reason_for_correction"]}),
            (
                gettext("Rubric"),
                {"fields": criterion_fields or [], "description": "" if criterion_fields else rubric_help},
            ),
            (gettext("Outcome"), {"fields": ["feedback", "finalise"] + (["total_points", "passed"] if obj else [])}),
        ]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("assessor", request.user.pk)
        return initial

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False  # final and superseded attempts are shown read-only
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_delete_permission(request, obj)

    # --- saving through the services -------------------------------------------------------------
    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            attempt = services.attempt_update_draft(
                attempt=obj,
                levels=data["levels"],
                feedback=data["feedback"],
                assessed_on=data["assessed_on"],
                user=request.user,
            )
            if data.get("finalise"):
                attempt = services.attempt_finalise(attempt=attempt, user=request.user)
        else:
            attempt = services.attempt_record(
                enrolment=data["enrolment"],
                assessor=data["assessor"],
                levels=data["levels"],
                assessed_on=data["assessed_on"],
                recorded_by=request.user,
                feedback=data["feedback"],
                finalise=data.get("finalise", False),
                supersedes=data.get("corrects"),
                correction_reason=data.get("reason_for_correction", ""),
            )
        for name in ("id", "number", "status", "total_points", "passed", "finalised_at", "finalised_by_id"):
            setattr(obj, name, getattr(attempt, name))
        verdict = gettext("passed") if attempt.passed else gettext("did not pass")
        state = attempt.get_status_display().lower()
        self.message_user(
            request,
            gettext("%(attempt)s: %(points)s points — %(verdict)s (%(state)s).")
            % {
                "attempt": attempt,
                "points": f"{attempt.total_points.normalize():f}",
                "verdict": verdict,
                "state": state,
            },
            messages.SUCCESS if attempt.passed else messages.WARNING,
        )

    def response_add(self, request, obj, post_url_continue=None):
        return self._final_response(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._final_response(request, obj) or super().response_change(request, obj)

    def _final_response(self, request, obj):
        """After "Save and continue" finalised the attempt, say what the page now is: read-only."""
        if "_continue" not in request.POST or obj.is_editable:
            return None
        self.message_user(
            request,
            gettext("%(attempt)s is final and shown read-only below; record a correction to change it.")
            % {"attempt": obj},
        )
        return redirect("admin:learners_assessmentattempt_change", obj.pk)

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields

    # --- read-only displays ----------------------------------------------------------------------
    @admin.display(description=_("Rubric levels"))
    def rubric_results(self, obj):
        rows = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>",
            (
                (s.criterion.name, s.level.name, f"{s.level.points.normalize():f}")
                for s in obj.scores.select_related("criterion", "level")
            ),
        )
        return format_html(
            "<table><thead><tr><th>Criterion</th><th>Level</th><th>Points</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    @admin.display(description=_("Corrects"))
    def supersedes_link(self, obj):
        if not obj.supersedes_id:
            return "—"
        url = reverse("admin:learners_assessmentattempt_change", args=[obj.supersedes_id])
        return format_html('<a href="{}">{}</a>', url, obj.supersedes)

    @admin.display(description=_("Reason for correction"))
    def correction_reason_display(self, obj):
        return obj.correction_reason or "—"

    @admin.display(description=_("Correction"))
    def correction_link(self, obj):
        if obj.status != AssessmentAttempt.Status.FINAL:
            superseded_by = getattr(obj, "superseded_by", None)
            return gettext("Corrected by %(attempt)s") % {"attempt": superseded_by} if superseded_by else "—"
        url = reverse("admin:learners_assessmentattempt_add") + f"?enrolment={obj.enrolment_id}&corrects={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, gettext("Record a correction of this result"))

    # --- actions and bulk import -----------------------------------------------------------------
    @admin.action(description=_("Finalise selected draft attempts"), permissions=["finalise"])
    def finalise(self, request, queryset):
        for attempt in queryset:
            try:
                services.attempt_finalise(attempt=attempt, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(
                    request, gettext("%(attempt)s: %(error)s") % {"attempt": attempt, "error": text}, messages.ERROR
                )

    def has_finalise_permission(self, request):
        return request.user.has_perm(services.FINALISE_PERMISSION)

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="learners_assessmentattempt_import"),
            path(
                "import/template.csv",
                self.admin_site.admin_view(self.import_template_view),
                {"extension": "csv"},
                name="learners_assessmentattempt_import_template",
            ),
            path(
                "import/template.xlsx",
                self.admin_site.admin_view(self.import_template_view),
                {"extension": "xlsx"},
                name="learners_assessmentattempt_import_template_xlsx",
            ),
            path(
                "evidence/<int:pk>/file/",
                self.admin_site.admin_view(self.evidence_file_view),
                name="learners_evidence_file",
            ),
        ] + super().get_urls()

    def evidence_file_view(self, request, pk):
        if not request.user.has_perm("learners.view_evidence"):
            raise PermissionDenied
        return evidence_file_response(get_object_or_404(Evidence, pk=pk))

    def import_view(self, request):
        """Upload → dry-run preview with every error → confirm. The upload waits in private storage."""
        if not request.user.has_perm(services.RECORD_PERMISSION):
            raise PermissionDenied
        can_finalise = self.has_finalise_permission(request)
        recording = request.POST.get("recording", results_io.Recording.DRAFT)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import results"),
            "programs": Program.objects.published().filter(rubric__isnull=False).order_by("code", "version"),
            "can_finalise": can_finalise,
            "recording": recording,
        }
        if request.method == "POST" and request.POST.get("confirm"):
            return self._import_confirmed(request, context)
        if request.method == "POST" and request.FILES.get("file"):
            if recording not in list(results_io.Recording):
                messages.error(request, _("Choose whether to record drafts for review or final results."))
                return redirect(request.path)
            if recording == results_io.Recording.FINAL and not can_finalise:
                raise PermissionDenied
            upload = request.FILES["file"]
            content = upload.read()
            try:
                dataset = results_io.load_dataset(content, upload.name)
            except Exception as error:  # tablib raises many kinds of errors for a malformed file
                messages.error(request, gettext("The file could not be read: %(error)s") % {"error": error})
                return redirect(request.path)
            allow_new = not request.POST.get("unenrolled_is_error")
            plan = results_io.plan_import(dataset, recording=recording, allow_new_enrolments=allow_new)
            if plan.ok:
                path_ = storage.save(
                    f"imports/{secrets.token_urlsafe(16)}/{Path(upload.name).name}", ContentFile(content)
                )
                request.session[IMPORT_SESSION_KEY] = {
                    "path": path_,
                    "name": upload.name,
                    "allow_new": allow_new,
                    "recording": recording,
                }
            context.update(plan=plan, filename=upload.name)
        return TemplateResponse(request, "admin/learners/assessmentattempt/import.html", context)

    def _import_confirmed(self, request, context):
        pending = request.session.pop(IMPORT_SESSION_KEY, None)
        if pending is None:
            messages.error(request, _("Nothing is waiting to be imported; upload the file again."))
            return redirect(request.path)
        recording = pending.get("recording", results_io.Recording.DRAFT)
        if recording == results_io.Recording.FINAL and not context["can_finalise"]:
            raise PermissionDenied
        dataset = self._read_pending(pending)
        plan = results_io.apply_import(
            dataset,
            user=request.user,
            recording=recording,
            allow_new_enrolments=pending.get("allow_new", True),
            accept_new_enrolments=bool(request.POST.get("accept_new_enrolments")),
        )
        storage.delete(pending["path"])
        if plan.ok:
            messages.success(request, plan.summary(pending["name"]))
            return redirect("admin:learners_assessmentattempt_changelist")
        # The data changed since the preview, or the new enrolments were not accepted.
        context.update(plan=plan, filename=pending["name"], recording=recording)
        return TemplateResponse(request, "admin/learners/assessmentattempt/import.html", context)

    def import_template_view(self, request, extension):
        """The import file for the chosen program: its criteria with their levels, and an example row."""
        if not request.user.has_perm(services.RECORD_PERMISSION):
            raise PermissionDenied
        program = get_object_or_404(Program.objects.published(), pk=request.GET.get("program") or 0)
        template = results_io.import_template(program, assessor=request.user)
        if extension == "xlsx":
            response = HttpResponse(template.xlsx(), content_type=XLSX_CONTENT_TYPE)
        else:
            response = HttpResponse(template.csv(), content_type="text/csv")
        filename = f"results-{program.code}-v{program.version}.{extension}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @staticmethod
    def _read_pending(pending):
        with storage.open(pending["path"], "rb") as handle:
            return results_io.load_dataset(handle.read(), pending["name"])


IMPORT_SESSION_KEY = "learners.results_import"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
storage = private_storage()
