"""Programs and their rubrics: what is assessed, and the lifecycle that governs what is issued."""

import nested_admin
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .. import authoring, badges, services
from ..models import (
    TRANSLATED_FIELDS,
    Alignment,
    Criterion,
    Level,
    Program,
    Rubric,
)
from ..rubrics import rubric_problems
from ..selectors import rubric_with_levels


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
                gettext(
                    "%(program)s has changed since it was approved: it is back in review, "
                    "for an approver to decide again."
                )
                % {"program": program},
                messages.WARNING,
            )


class FrozenProgramInlineMixin:
    """Inlines whose rows feed issued credentials become read-only once the program is published."""

    def _frozen(self, obj):
        # Nested inlines are asked with the row above them: a program, its rubric or one of its criteria.
        # Rows not saved yet have nothing above them.
        if isinstance(obj, Criterion):
            obj = obj.rubric if obj.rubric_id else None
        if isinstance(obj, Rubric):
            obj = obj.program if obj.program_id else None
        return isinstance(obj, Program) and obj.is_frozen

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
                modeladmin.message_user(
                    request,
                    gettext("%(program)s: %(outcome)s") % {"program": program, "outcome": _message(error)},
                    messages.ERROR,
                )
        if done:
            message = ngettext("%(action)s: %(count)d program.", "%(action)s: %(count)d programs.", done)
            modeladmin.message_user(request, message % {"action": description, "count": done}, messages.SUCCESS)

    action.__name__ = name
    return admin.action(description=description, permissions=[name])(action)


def _message(error):
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


class LabelledAutocompletes:
    """Admin pages with autocompletes of several choices (skills, tags, prerequisites) name their search boxes."""

    class Media:
        js = ["admin/js/autocomplete-labels.js"]


# The languages a program's title, summary and description are translated into: the site's, except its own.
TRANSLATION_LANGUAGES = [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _translation_name(field, language):
    return f"{field}_{language}"


def _translation_fields():
    fields = {}
    for language, language_name in TRANSLATION_LANGUAGES:
        for field in TRANSLATED_FIELDS:
            model_field = Program._meta.get_field(field)
            fields[_translation_name(field, language)] = forms.CharField(
                label=format_lazy("{} ({})", capfirst(model_field.verbose_name), language_name),
                required=False,
                max_length=model_field.max_length,
                widget=forms.Textarea(attrs={"rows": 4}) if field == "description" else forms.TextInput(),
            )
    return fields


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = ["image"]  # the admin adds the fields of its fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance.translations if isinstance(self.instance.translations, dict) else {}
        for language, _name in TRANSLATION_LANGUAGES:
            texts = stored.get(language) if isinstance(stored.get(language), dict) else {}
            for field in TRANSLATED_FIELDS:
                self.initial.setdefault(_translation_name(field, language), texts.get(field, ""))

    def clean_image(self):
        """Store only what the badge checks let through (an SVG is rebuilt from an allow-list)."""
        upload = self.cleaned_data.get("image")
        if isinstance(upload, UploadedFile):
            return badges.clean_upload(upload)
        return upload

    def clean(self):
        """The side-by-side fields write the JSON the model keeps: {"fr": {"title": "…", …}}, empty ones left out."""
        cleaned = super().clean()
        stored = self.instance.translations if isinstance(self.instance.translations, dict) else {}
        translations = {language: texts for language, texts in stored.items() if language != settings.LANGUAGE_CODE}
        for language, _name in TRANSLATION_LANGUAGES:
            texts = {
                field: text.strip()
                for field in TRANSLATED_FIELDS
                if (text := cleaned.get(_translation_name(field, language)) or "").strip()
            }
            translations.pop(language, None)
            if texts:
                translations[language] = texts
        self.instance.translations = translations
        return cleaned


ProgramAdminForm = type("ProgramAdminForm", (ProgramForm,), _translation_fields())


def _beside_translations(field):
    """A row of the form: the field, then its translations."""
    return (field, *(_translation_name(field, language) for language, _name in TRANSLATION_LANGUAGES))


@admin.register(Program)
class ProgramAdmin(ReopensApprovalMixin, LabelledAutocompletes, SimpleHistoryAdmin):
    form = ProgramAdminForm
    change_form_template = "admin/catalog/program/change_form.html"
    list_display = ["code", "version", "title", "status", "achievement_type", "subject", "credit_value", "level"]
    list_filter = ["status", "achievement_type", "subject", "delivery_mode", "level", "institution"]
    search_fields = ["code", "title", "summary", "description"]
    list_select_related = ["subject"]
    autocomplete_fields = ["prerequisites", "tags", "subject", "institution"]
    inlines = [AlignmentInline]
    actions = [
        _lifecycle_action("submit", _("Submit for review")),
        _lifecycle_action("publish", _("Publish")),
        _lifecycle_action("retire", _("Retire")),
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
        (
            None,
            {"fields": ["institution", "code", _beside_translations("title"), "achievement_type", "subject", "tags"]},
        ),
        (
            _("Content"),
            {
                "fields": [
                    _beside_translations("summary"),
                    _beside_translations("description"),
                    "learning_outcomes",
                    "criteria_narrative",
                ]
            },
        ),
        (_("Badge"), {"fields": [("image", "badge_preview")]}),
        (
            _("Credit and delivery"),
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
            _("Lifecycle"),
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

    @admin.display(description=_("Badge as issued"))
    def badge_preview(self, obj):
        if not obj.pk:
            return _("Drawn once the program is saved.")
        return format_html(
            '<img src="{}" alt="{}" width="120" height="120">',
            obj.badge_url(),
            gettext("%(title)s badge") % {"title": obj.title},
        )

    @admin.display(description=_("Rubric"))
    def rubric_link(self, obj):
        if not obj.pk:
            return _("Save the program first; then add its rubric.")
        rubric = getattr(obj, "rubric", None)
        if rubric is None:
            return format_html('<a href="{}">{}</a>', _rubric_add_url(obj), gettext("Add the rubric"))
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:catalog_rubric_change", args=[rubric.pk]), gettext("Edit the rubric")
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        """A new program opens on its own page, which says what comes next (its rubric)."""
        response = super().response_add(request, obj, post_url_continue)
        if any(key in request.POST for key in ("_addanother", IS_POPUP_VAR)):
            return response
        return HttpResponseRedirect(reverse("admin:catalog_program_change", args=[obj.pk]))

    @admin.action(description=_("Create a new draft version"), permissions=["add"])
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

    def has_publish_permission(self, request):
        return request.user.has_perm("catalog.publish_program")

    def has_retire_permission(self, request):
        return request.user.has_perm("catalog.retire_program")

    # The program's page guides its author: what comes next, and the lifecycle steps this user may take now.

    def get_urls(self):
        lifecycle = path(
            "<path:object_id>/lifecycle/",
            self.admin_site.admin_view(self.lifecycle_view),
            name="catalog_program_lifecycle",
        )
        return [lifecycle, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        program = self.get_object(request, unquote(object_id))
        if program is not None:
            steps = _lifecycle_steps(program, request.user)
            extra_context = {
                **(extra_context or {}),
                "next_step": _next_step(program, request.user),
                "lifecycle_steps": steps,
                "sends_back": any(step == "return_to_draft" for step, _label, _link in steps),
                "lifecycle_url": reverse("admin:catalog_program_lifecycle", args=[program.pk]),
                "decisions_url": _decisions_url(program),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def lifecycle_view(self, request, object_id):
        """Take one lifecycle step (POST ``step``) through the catalog's services; the outcome is a message."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        program = self.get_object(request, unquote(object_id))
        if program is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        step = request.POST.get("step", "")
        try:
            if step == "new_version":
                if not self.has_add_permission(request):
                    raise PermissionDenied(_("You do not have permission to create program versions."))
                program = services.program_new_version(program=program, user=request.user)
                self.message_user(
                    request,
                    gettext("Created %(program)s: edit it, then submit it for review.") % {"program": program},
                    messages.SUCCESS,
                )
            elif step in services.TRANSITIONS:
                comment = request.POST.get("comment", "")
                program = services.program_transition(program=program, action=step, user=request.user, comment=comment)
                self.message_user(
                    request,
                    gettext("%(program)s: %(outcome)s") % {"program": program, "outcome": STEP_DONE[step]},
                    messages.SUCCESS,
                )
            else:
                self.message_user(request, _("Choose one of the steps the page offers."), messages.ERROR)
        except (PermissionDenied, ValidationError) as error:
            self.message_user(
                request,
                gettext("%(program)s: %(outcome)s") % {"program": program, "outcome": _message(error)},
                messages.ERROR,
            )
        return HttpResponseRedirect(reverse("admin:catalog_program_change", args=[program.pk]))


STEP_LABELS = {
    "submit": _("Submit for review"),
    "return_to_draft": _("Return to draft"),
    "publish": "Publish",
    "retire": "Retire",
    "new_version": _("Create a new version"),
}
STEP_DONE = {
    "submit": _("submitted for review; an approver will decide."),
    "approve": _("approved; it can now be published."),
    "return_to_draft": _("returned to draft for its author to change."),
    "publish": _("published; learners can now enrol and earn it."),
    "retire": _("retired; it is no longer offered."),
}


def _lifecycle_steps(program, user):
    """The steps ``user`` may take on ``program`` now, as (step, label, link): an approver decides in the approval
    queue (a link, where a comment goes with the decision); the other steps are buttons posting to the lifecycle URL."""
    steps = []
    for step, transition in services.TRANSITIONS.items():
        if program.status not in transition.sources or not user.has_perm(transition.permission):
            continue
        if transition.author_may_not and user.pk in (program.created_by_id, program.submitted_by_id):
            continue
        if step == "publish" and _rubric_problems_of(program):
            continue
        if step == "approve":
            steps.append(("review", _("Review: approve or send back"), _approval_queue_url(program)))
        elif not (step == "return_to_draft" and steps and steps[-1][0] == "review"):
            steps.append((step, STEP_LABELS[step], None))
    if program.is_frozen and not hasattr(program, "successor") and user.has_perm("catalog.add_program"):
        steps.append(("new_version", STEP_LABELS["new_version"], None))
    return steps


def _rubric_problems_of(program):
    """What keeps ``program``'s rubric from assessing anyone; empty when it is ready (or a pathway awards it)."""
    if hasattr(program, "awarded_by_pathway"):
        return []
    try:
        return rubric_problems(rubric_with_levels(program))
    except Rubric.DoesNotExist:
        return [gettext("The program has no rubric yet.")]


def _next_step(program, user):
    """One sentence on what comes next for ``program``, and a link when the next step is on another page."""
    Status = Program.Status
    if program.status == Status.DRAFT:
        problems = _rubric_problems_of(program)
        if problems:
            rubric = getattr(program, "rubric", None)
            url = (
                _rubric_add_url(program) if rubric is None else reverse("admin:catalog_rubric_change", args=[rubric.pk])
            )
            return {
                "text": " ".join([gettext("Add the rubric's criteria and levels, and its pass rule."), *problems]),
                "link": (gettext("Open the rubric"), url),
            }
        return {"text": gettext("Submit for review: an approver will be asked to approve it.")}
    if program.status == Status.IN_REVIEW:
        if user.has_perm("catalog.approve_program") and user.pk not in (program.created_by_id, program.submitted_by_id):
            return {"text": gettext("Review it in the approval queue: approve it, or send it back with a comment.")}
        return {"text": gettext("Waiting for an approver. Edits now are seen by the approver before deciding.")}
    if program.status == Status.APPROVED:
        return {
            "text": gettext("Approved: publish to open it to learners. An edit to its content sends it back to review.")
        }
    if program.status == Status.PUBLISHED:
        return {
            "text": gettext("Published: learners can enrol and earn it. To change its content, create a new version.")
        }
    return {"text": gettext("Retired: no longer offered; its credentials stay valid.")}


def _approval_queue_url(program):
    return reverse("admin:catalog_programapproval_change", args=[program.pk])


def _decisions_url(program):
    return f"{reverse('admin:catalog_programdecision_changelist')}?program__id__exact={program.pk}"


def _rubric_add_url(program):
    return f"{reverse('admin:catalog_rubric_add')}?program={program.pk}"


class LevelInline(FrozenProgramInlineMixin, nested_admin.NestedTabularInline):
    model = Level
    fields = ["name", "points", "description", "order"]
    sortable_field_name = "order"
    extra = 0


class CriterionForm(forms.ModelForm):
    """A criterion's minimum level is one of its own levels: offered once they are saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        minimum = self.fields.get("min_level")
        if minimum is not None:
            minimum.queryset = minimum.queryset.filter(criterion_id=self.instance.pk).select_related("criterion")
            if self.instance.pk is None:
                minimum.help_text = _(
                    "Save the criterion with its levels; then choose the lowest level that still passes."
                )


class CriterionInline(FrozenProgramInlineMixin, nested_admin.NestedStackedInline):
    model = Criterion
    form = CriterionForm
    fields = [("name", "weight"), "description", "competencies", "min_level", "order"]
    autocomplete_fields = ["competencies"]
    sortable_field_name = "order"
    inlines = [LevelInline]

    def get_extra(self, request, obj=None, **kwargs):
        return 3 if obj is None else 0  # a new rubric starts with rows for three criteria


class RubricForm(forms.ModelForm):
    copy_levels_from = forms.ChoiceField(
        label=_("Give criteria without levels the levels of"),
        required=False,
        help_text=_(
            "Every criterion that has no levels yet gets these, in this order (levels you add stay as they are)."
        ),
    )

    class Meta:
        model = Rubric
        fields = ["program", "min_total_points"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scales = self.fields.get("copy_levels_from")
        if scales is not None:
            exclude = self.instance if self.instance.pk else None
            scales.choices = [
                ("", _("No copy: I give each criterion its levels")),
                *authoring.scale_choices(exclude_rubric=exclude),
            ]

    def clean_copy_levels_from(self):
        choice = self.cleaned_data.get("copy_levels_from")
        return authoring.scale_of_choice(choice) if choice else None


class CopiesLevelScale:
    """After the criteria are saved, criteria still without levels get the scale the form chose (before the
    approval check, so that the copy counts as part of the same edit)."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        scale = form.cleaned_data.get("copy_levels_from")
        if scale:
            given = authoring.give_criteria_levels(rubric=form.instance, scale=scale)
            self.message_user(
                request,
                ngettext(
                    "Gave %(count)d criterion the levels %(levels)s.",
                    "Gave %(count)d criteria the levels %(levels)s.",
                    len(given),
                )
                % {"count": len(given), "levels": ", ".join(level.name for level in scale)},
                messages.SUCCESS,
            )


class NestedHistoryAdmin(LabelledAutocompletes, SimpleHistoryAdmin, nested_admin.NestedModelAdmin):
    pass


@admin.register(Rubric)
class RubricAdmin(ReopensApprovalMixin, CopiesLevelScale, NestedHistoryAdmin):
    form = RubricForm
    change_form_template = "admin/catalog/rubric/change_form.html"
    list_display = ["program", "min_total_points", "criterion_count"]
    fieldsets = [(None, {"fields": ["program", "min_total_points", "copy_levels_from"]})]

    def program_of(self, obj):
        return obj.program

    search_fields = ["program__code", "program__title"]
    list_filter = ["program__subject"]
    autocomplete_fields = ["program"]
    inlines = [CriterionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("program").prefetch_related("criteria")

    @admin.display(description=_("Criteria"))
    def criterion_count(self, obj):
        return len(obj.criteria.all())

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.program.is_frozen:
            return ["program", "min_total_points"]
        return []

    def get_fieldsets(self, request, obj=None):
        if obj is not None and obj.program.is_frozen:
            return [(None, {"fields": ["program", "min_total_points"]})]
        return super().get_fieldsets(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        return self._back_to_program(request, obj, super().response_add(request, obj, post_url_continue))

    def response_change(self, request, obj):
        return self._back_to_program(request, obj, super().response_change(request, obj))

    def _back_to_program(self, request, rubric, response):
        """A plain "Save" returns to the program, whose page says what comes next."""
        if any(key in request.POST for key in ("_continue", "_addanother", "_saveasnew", IS_POPUP_VAR)):
            return response
        return HttpResponseRedirect(reverse("admin:catalog_program_change", args=[rubric.program_id]))


@admin.register(Criterion)
class CriterionAdmin(ReopensApprovalMixin, NestedHistoryAdmin):
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
            kwargs["queryset"] = Level.objects.filter(
                criterion_id=request.resolver_match.kwargs.get("object_id")
            ).select_related("criterion")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Level)
class LevelAdmin(ReopensApprovalMixin, SimpleHistoryAdmin):
    list_display = ["name", "criterion", "order", "points"]

    def program_of(self, obj):
        return obj.criterion.rubric.program

    search_fields = ["name", "criterion__name", "criterion__rubric__program__code"]
    list_select_related = ["criterion"]
