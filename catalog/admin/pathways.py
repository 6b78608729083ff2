"""Stackable pathways and the credit other institutions give."""

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..models import (
    CreditRecognition,
    Pathway,
    PathwayRule,
    TransferAgreement,
)
from ..pathways import RuleSpec


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
    formset = PathwayRuleFormSet
    fields = ["order", "label", "label_translations", "kind", "required_count", "min_credits", "programs"]
    autocomplete_fields = ["programs"]
    extra = 0


@admin.register(Pathway)
class PathwayAdmin(SimpleHistoryAdmin):
    list_display = ["name", "award", "institution", "is_published"]
    list_filter = ["is_published", "institution"]
    search_fields = ["name", "description", "award__code", "award__title"]
    list_select_related = ["award", "institution"]
    autocomplete_fields = ["award", "institution"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PathwayRuleInline]


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
