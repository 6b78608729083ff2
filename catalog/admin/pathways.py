"""Stackable pathways and the credit other institutions give."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..models import (
    CURRENT_PUBLISHED_VERSIONS,
    CURRENT_VERSIONS,
    CreditRecognition,
    Pathway,
    PathwayRule,
    Program,
    TransferAgreement,
)
from ..pathways import RuleSpec

Status = Program.Status


def _refuse_new_choices_outside(field_name, chosen, kept_pks, offered, what):
    """Pickers offer only ``offered`` programs, but a choice saved before (an older version) may stay: refuse only
    the new choices of programs outside ``offered``, saying why."""
    new_pks = {program.pk for program in chosen} - kept_pks
    allowed = set(Program.objects.filter(offered, pk__in=new_pks).values_list("pk", flat=True))
    refused = [program for program in chosen if program.pk in new_pks - allowed]
    if refused:
        names = ", ".join(str(program) for program in refused)
        raise ValidationError({field_name: gettext("%(names)s: choose %(what)s.") % {"names": names, "what": what}})


class PathwayRuleForm(forms.ModelForm):
    class Meta:
        model = PathwayRule
        fields = ["order", "label", "label_translations", "kind", "required_count", "min_credits", "programs"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "programs" in self.fields:  # not on a read-only page
            # Rules saved before may name a version that is no longer current: keep showing and accepting it.
            self.fields["programs"].queryset = Program.objects.all()

    def clean(self):
        cleaned = super().clean()
        if "programs" in cleaned:
            kept = set(self.instance.programs.values_list("pk", flat=True)) if self.instance.pk else set()
            _refuse_new_choices_outside(
                "programs", cleaned["programs"], kept, CURRENT_PUBLISHED_VERSIONS, _("the current published version")
            )
        return cleaned


class PathwayRuleFormSet(BaseInlineFormSet):
    """Validates all rules together: impossible rules and cycles across pathways are rejected."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        specs = [
            RuleSpec(
                label=form.cleaned_data["label"],
                kind=form.cleaned_data["kind"],
                programs=tuple(form.cleaned_data["programs"]),
                required_count=form.cleaned_data.get("required_count"),
                min_credits=form.cleaned_data.get("min_credits"),
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        services.validate_pathway(pathway=self.instance, rules=specs)


class PathwayRuleInline(admin.TabularInline):
    model = PathwayRule
    form = PathwayRuleForm
    formset = PathwayRuleFormSet
    fields = ["order", "label", "label_translations", "kind", "required_count", "min_credits", "programs"]
    autocomplete_fields = ["programs"]
    extra = 0


class PathwayForm(forms.ModelForm):
    class Meta:
        model = Pathway
        fields = ["institution", "name", "slug", "description", "award", "credit_toward"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "award" in self.fields:  # not on a read-only page
            self.fields["award"].queryset = Program.objects.all()  # an award chosen before stays valid

    def clean_award(self):
        award = self.cleaned_data["award"]
        kept = {self.instance.award_id} if self.instance.award_id else set()
        _refuse_new_choices_outside("award", [award], kept, CURRENT_VERSIONS, _("the latest version of a program"))
        return award


# Each lifecycle step: its button, the permission it needs, and what comes after it.
PATHWAY_STEPS = {
    "submit": (_("Submit for approval"), "catalog.submit_pathway"),
    "approve": (_("Approve"), "catalog.approve_pathway"),
    "return_to_draft": (_("Send back to draft"), "catalog.approve_pathway"),
    "publish": (_("Publish"), "catalog.publish_pathway"),
    "retire": (_("Retire"), "catalog.retire_pathway"),
}
NEXT_STEP = {
    Status.DRAFT: _("Next: submit the pathway for approval once its award and rules are final."),
    Status.IN_REVIEW: _("Next: an approver approves it, or sends it back with a comment."),
    Status.APPROVED: _("Next: publish it, once its award and every program its rules name are published."),
    Status.PUBLISHED: _("Public. Changing its award or rules sends it back to review until approved again."),
    Status.RETIRED: _("Retired: no longer offered."),
}


@admin.register(Pathway)
class PathwayAdmin(SimpleHistoryAdmin):
    form = PathwayForm
    list_display = ["name", "award", "institution", "status", "is_published"]
    list_filter = ["status", "is_published", "institution"]
    search_fields = ["name", "description", "award__code", "award__title"]
    list_select_related = ["award", "institution"]
    autocomplete_fields = ["award", "institution"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PathwayRuleInline]
    change_form_template = "admin/catalog/pathway/change_form.html"
    lifecycle_fields = [
        ("status", "is_published"),
        ("submitted_by", "submitted_at"),
        ("approved_by", "approved_at"),
        ("published_by", "published_at"),
        ("retired_by", "retired_at"),
    ]
    readonly_fields = [name for pair in lifecycle_fields for name in pair]
    fieldsets = [
        (None, {"fields": ["institution", "name", "slug", "description", "award", "credit_toward"]}),
        (_("Lifecycle"), {"fields": lifecycle_fields}),
    ]
    actions = ["submit", "publish", "retire"]  # an approver decides on the pathway's page, its rules in view

    def get_urls(self):
        lifecycle = self.admin_site.admin_view(require_POST(self.lifecycle_view))
        return [path("<path:object_id>/lifecycle/", lifecycle, name="catalog_pathway_lifecycle"), *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pathway = self.get_object(request, object_id)
        if pathway is not None:
            extra_context = {
                **(extra_context or {}),
                "lifecycle_steps": [
                    (action, label)
                    for action, (label, permission) in PATHWAY_STEPS.items()
                    if pathway.status in services.PATHWAY_TRANSITIONS[action].sources
                    and request.user.has_perm(permission)
                ],
                "next_step": NEXT_STEP[pathway.status],
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def lifecycle_view(self, request, object_id):
        pathway = self.get_object(request, unquote(object_id))
        if pathway is None:
            raise Http404(gettext("No such pathway."))
        action = request.POST.get("action", "")
        if action not in PATHWAY_STEPS:
            raise PermissionDenied
        self._transition(request, pathway, action, request.POST.get("comment", ""))
        return HttpResponseRedirect(reverse("admin:catalog_pathway_change", args=[pathway.pk]))

    def _transition(self, request, pathway, action, comment=""):
        try:
            pathway = services.pathway_transition(pathway=pathway, action=action, user=request.user, comment=comment)
        except (PermissionDenied, ValidationError) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            self.message_user(
                request, gettext("%(pathway)s: %(error)s") % {"pathway": pathway, "error": text}, messages.ERROR
            )
            return False
        self.message_user(
            request,
            gettext("%(pathway)s is %(status)s. %(next)s")
            % {
                "pathway": pathway,
                "status": pathway.get_status_display().lower(),
                "next": NEXT_STEP[pathway.status],
            },
            messages.SUCCESS,
        )
        return True

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = services.pathway_after_edit(pathway=form.instance, user=request.user)
        if changed:
            self.message_user(
                request,
                gettext(
                    "%(pathway)s has changed since it was approved (%(changes)s): it is back in review and off the "
                    "public pages until an approver approves it and it is published again."
                )
                % {"pathway": form.instance, "changes": ", ".join(changed)},
                messages.WARNING,
            )

    @admin.action(description=_("Submit for approval"), permissions=["submit"])
    def submit(self, request, queryset):
        for pathway in queryset:
            self._transition(request, pathway, "submit")

    @admin.action(description=_("Publish"), permissions=["publish"])
    def publish(self, request, queryset):
        for pathway in queryset:
            self._transition(request, pathway, "publish")

    @admin.action(description=_("Retire"), permissions=["retire"])
    def retire(self, request, queryset):
        for pathway in queryset:
            self._transition(request, pathway, "retire")

    def has_submit_permission(self, request):
        return request.user.has_perm("catalog.submit_pathway")

    def has_publish_permission(self, request):
        return request.user.has_perm("catalog.publish_pathway")

    def has_retire_permission(self, request):
        return request.user.has_perm("catalog.retire_pathway")


@admin.register(PathwayRule)
class PathwayRuleAdmin(SimpleHistoryAdmin):
    list_display = ["pathway", "label", "kind", "required_count", "min_credits"]
    list_filter = ["kind"]
    search_fields = ["label", "pathway__name"]
    list_select_related = ["pathway"]
    autocomplete_fields = ["programs"]

    def has_add_permission(self, request):
        # Rules are validated together with their siblings: edit them from the pathway.
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CreditRecognition)
class CreditRecognitionAdmin(SimpleHistoryAdmin):
    """What credit other institutions give for this institution's programs (shown on program pages, records, CLR)."""

    list_display = ["program", "recognising_institution", "credits", "credit_system", "toward", "valid_from",
                    "valid_until", "reference"]  # fmt: skip
    list_filter = ["recognising_institution", "credit_system"]
    search_fields = ["program__code", "program__title", "recognising_institution", "reference"]
    list_select_related = ["program"]
    autocomplete_fields = ["program"]


@admin.register(TransferAgreement)
class TransferAgreementAdmin(SimpleHistoryAdmin):
    """Which achievements of other issuers count as which of this institution's programs."""

    list_display = ["issuer_name", "achievement_id", "counts_as", "valid_from", "valid_until", "reference"]
    search_fields = ["issuer_name", "issuer_id", "achievement_id", "reference"]
    list_select_related = ["counts_as"]
    autocomplete_fields = ["counts_as"]
