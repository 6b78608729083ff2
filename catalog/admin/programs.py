"""Programs and their rubrics: what is assessed, and the lifecycle that governs what is issued."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from .. import badges, services
from ..models import (
    Alignment,
    Criterion,
    Level,
    Program,
    Rubric,
)


class ReopensApprovalMixin:
    """An edit to an approved program's substance, on whichever page it is made, sends the program back to review."""

    def program_of(self, obj):
        return obj

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        program = self.program_of(form.instance)
        if services.program_after_edit(program=program, user=request.user):
            self.message_user(
                request,
                f"{program} has changed since it was approved: it is back in review, for an approver to decide again.",
                messages.WARNING,
            )


class FrozenProgramInlineMixin:
    """Inlines whose rows feed issued credentials become read-only once the program is published."""

    def _frozen(self, obj):
        program = getattr(obj, "program", obj)
        return program is not None and isinstance(program, Program) and program.is_frozen

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(Alignment)
class AlignmentAdmin(ReopensApprovalMixin, SimpleHistoryAdmin):
    list_display = ["program", "competency"]

    def program_of(self, obj):
        return obj.program

    list_filter = ["competency__framework"]
    search_fields = ["program__code", "program__title", "competency__code", "competency__name"]
    list_select_related = ["program", "competency"]
    autocomplete_fields = ["program", "competency"]


class AlignmentInline(FrozenProgramInlineMixin, admin.TabularInline):
    model = Alignment
    autocomplete_fields = ["competency"]
    extra = 0


def _lifecycle_action(name, description):
    def action(modeladmin, request, queryset):
        done = 0
        for program in queryset:
            try:
                services.program_transition(program=program, action=name, user=request.user)
                done += 1
            except (PermissionDenied, ValidationError) as error:
                modeladmin.message_user(request, f"{program}: {_message(error)}", messages.ERROR)
        if done:
            modeladmin.message_user(request, f"{description}: {done} program(s).", messages.SUCCESS)

    action.__name__ = name
    return admin.action(description=description, permissions=[name])(action)


def _message(error):
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


class ProgramAdminForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = ["image"]  # the admin adds the fields of its fieldsets

    def clean_image(self):
        """Store only what the badge checks let through (an SVG is rebuilt from an allow-list)."""
        upload = self.cleaned_data.get("image")
        if isinstance(upload, UploadedFile):
            return badges.clean_upload(upload)
        return upload


@admin.register(Program)
class ProgramAdmin(ReopensApprovalMixin, SimpleHistoryAdmin):
    form = ProgramAdminForm
    list_display = ["code", "version", "title", "status", "achievement_type", "subject", "credit_value", "level"]
    list_filter = ["status", "achievement_type", "subject", "delivery_mode", "level", "institution"]
    search_fields = ["code", "title", "summary", "description"]
    list_select_related = ["subject"]
    autocomplete_fields = ["prerequisites", "tags", "subject", "institution"]
    inlines = [AlignmentInline]
    actions = [
        _lifecycle_action("submit", "Submit for review"),
        _lifecycle_action("approve", "Approve"),
        _lifecycle_action("return_to_draft", "Return to draft"),
        _lifecycle_action("publish", "Publish"),
        _lifecycle_action("retire", "Retire"),
        "new_version",
    ]
    readonly_fields = [
        "version",
        "predecessor",
        "status",
        "rubric_link",
        "badge_preview",
        "created_by",
        "created_at",
        "submitted_by",
        "submitted_at",
        "approved_by",
        "approved_at",
        "published_by",
        "published_at",
        "retired_by",
        "retired_at",
    ]
    fieldsets = [
        (None, {"fields": ["institution", "code", "title", "achievement_type", "subject", "tags"]}),
        ("Content", {"fields": ["summary", "description", "learning_outcomes", "criteria_narrative", "translations"]}),
        ("Badge", {"fields": [("image", "badge_preview")]}),
        (
            "Credit and delivery",
            {
                "fields": [
                    ("effort_hours", "credit_value", "credit_system"),
                    "level",
                    ("delivery_mode", "language"),
                    ("cost", "currency"),
                    "validity_months",
                    "prerequisites",
                ]
            },
        ),
        (
            "Lifecycle",
            {
                "fields": [
                    ("status", "version", "predecessor"),
                    "rubric_link",
                    ("created_by", "created_at"),
                    ("submitted_by", "submitted_at"),
                    ("approved_by", "approved_at"),
                    ("published_by", "published_at"),
                    ("retired_by", "retired_at"),
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.is_frozen:
            fields += [name for name in Program.CREDENTIAL_FIELDS if name not in fields]
        return fields

    @admin.display(description="Badge as issued")
    def badge_preview(self, obj):
        if not obj.pk:
            return "Drawn once the program is saved."
        return format_html('<img src="{}" alt="{} badge" width="120" height="120">', obj.badge_url(), obj.title)

    @admin.display(description="Rubric")
    def rubric_link(self, obj):
        rubric = getattr(obj, "rubric", None) if obj.pk else None
        if rubric is None:
            return "No rubric yet"
        return format_html('<a href="{}">Edit rubric</a>', reverse("admin:catalog_rubric_change", args=[rubric.pk]))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Create a new draft version", permissions=["add"])
    def new_version(self, request, queryset):
        for program in queryset:
            try:
                draft = services.program_new_version(program=program, user=request.user)
            except ValidationError as error:
                self.message_user(request, _message(error), messages.ERROR)
            else:
                self.message_user(request, f"Created {draft}.", messages.SUCCESS)

    def has_submit_permission(self, request):
        return request.user.has_perm("catalog.submit_program")

    def has_approve_permission(self, request):
        return request.user.has_perm("catalog.approve_program")

    has_return_to_draft_permission = has_approve_permission

    def has_publish_permission(self, request):
        return request.user.has_perm("catalog.publish_program")

    def has_retire_permission(self, request):
        return request.user.has_perm("catalog.retire_program")


def _offer_levels(formfield_kwargs, **level_filter):
    formfield_kwargs["queryset"] = Level.objects.filter(**level_filter).select_related("criterion")


class CriterionInline(FrozenProgramInlineMixin, admin.StackedInline):
    model = Criterion
    fields = [("order", "name", "weight"), "description", "competencies", "min_level"]
    autocomplete_fields = ["competencies"]
    show_change_link = True
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "min_level":
            # Offer only this rubric's levels; the model's clean() checks the exact criterion.
            _offer_levels(kwargs, criterion__rubric_id=request.resolver_match.kwargs.get("object_id"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Rubric)
class RubricAdmin(ReopensApprovalMixin, SimpleHistoryAdmin):
    list_display = ["program", "min_total_points", "criterion_count"]

    def program_of(self, obj):
        return obj.program

    search_fields = ["program__code", "program__title"]
    list_filter = ["program__subject"]
    autocomplete_fields = ["program"]
    inlines = [CriterionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("program").prefetch_related("criteria")

    @admin.display(description="Criteria")
    def criterion_count(self, obj):
        return len(obj.criteria.all())

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.program.is_frozen:
            return ["program", "min_total_points"]
        return []


class LevelInline(FrozenProgramInlineMixin, admin.TabularInline):
    model = Level
    fields = ["order", "name", "points", "description"]
    extra = 0

    def _frozen(self, obj):
        return obj is not None and obj.rubric.program.is_frozen


@admin.register(Criterion)
class CriterionAdmin(ReopensApprovalMixin, SimpleHistoryAdmin):
    list_display = ["name", "rubric", "order", "weight", "min_level"]

    def program_of(self, obj):
        return obj.rubric.program

    search_fields = ["name", "rubric__program__code", "rubric__program__title"]
    list_select_related = ["rubric__program", "min_level__criterion"]
    autocomplete_fields = ["competencies"]
    inlines = [LevelInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.rubric.program.is_frozen:
            return ["rubric", "order", "name", "description", "weight", "competencies", "min_level"]
        return []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "min_level":
            _offer_levels(kwargs, criterion_id=request.resolver_match.kwargs.get("object_id"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Level)
class LevelAdmin(ReopensApprovalMixin, SimpleHistoryAdmin):
    list_display = ["name", "criterion", "order", "points"]

    def program_of(self, obj):
        return obj.criterion.rubric.program

    search_fields = ["name", "criterion__name", "criterion__rubric__program__code"]
    list_select_related = ["criterion"]
