"""Issuers, subject areas, tags, skill frameworks and the crosswalk between them."""

from django.conf import settings
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..models import (
    Competency,
    CompetencyMapping,
    Institution,
    SkillFramework,
    SubjectArea,
    Tag,
)


@admin.register(Institution)
class InstitutionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "url", "email", "accreditation_body"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SubjectArea)
class SubjectAreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(SimpleHistoryAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(SkillFramework)
class SkillFrameworkAdmin(SimpleHistoryAdmin):
    list_display = ["name", "version", "publisher", "url"]
    search_fields = ["name", "publisher"]


@admin.register(Competency)
class CompetencyAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "framework"]
    list_filter = ["framework"]
    search_fields = ["code", "name", "alt_labels", "description"]
    list_select_related = ["framework"]
    actions = ["suggest_skills"]

    @admin.action(description=_("Suggest matching skills of the reference framework"), permissions=["suggest"])
    def suggest_skills(self, request, queryset):
        framework = SkillFramework.objects.filter(name=settings.SKILL_REFERENCE_FRAMEWORK).order_by("-pk").first()
        if framework is None:
            self.message_user(
                request,
                gettext("Load %(framework)s first (manage.py import_esco).")
                % {"framework": settings.SKILL_REFERENCE_FRAMEWORK},
                messages.ERROR,
            )
            return
        added = services.suggest_mappings(competencies=list(queryset), framework=framework)
        url = reverse("admin:catalog_competencymapping_changelist") + "?status__exact=suggested"
        self.message_user(
            request,
            format_html(
                '{} <a href="{}">{}</a>.',
                ngettext("%(count)d suggestion added.", "%(count)d suggestions added.", added) % {"count": added},
                url,
                gettext("Review the suggestions"),
            ),
            messages.SUCCESS,
        )

    def has_suggest_permission(self, request):
        return request.user.has_perm("catalog.add_competencymapping")


@admin.register(CompetencyMapping)
class CompetencyMappingAdmin(SimpleHistoryAdmin):
    """Staff decide the crosswalk suggestions: confirmed ones are issued as alignments and used by guidance."""

    list_display = ["competency", "skill_link", "similarity", "status", "decided_by", "decided_at"]
    list_filter = ["status", "competency__framework", "skill__framework"]
    search_fields = ["competency__code", "competency__name", "skill__name"]
    list_select_related = ["competency__framework", "skill__framework", "decided_by"]
    readonly_fields = ["competency", "skill", "similarity", "status", "decided_by", "decided_at"]
    actions = ["confirm", "reject"]

    def has_add_permission(self, request):
        return False  # suggestions come from the competency list's action

    @admin.display(description=_("Skill"), ordering="skill__name")
    def skill_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.skill.target_url, obj.skill.name)

    @admin.action(description=_("Confirm the selected mappings"), permissions=["change"])
    def confirm(self, request, queryset):
        changed = services.decide_mappings(
            mappings=queryset, status=CompetencyMapping.Status.CONFIRMED, user=request.user
        )
        message = ngettext("%(count)d mapping confirmed.", "%(count)d mappings confirmed.", changed)
        self.message_user(request, message % {"count": changed}, messages.SUCCESS)

    @admin.action(description=_("Reject the selected mappings"), permissions=["change"])
    def reject(self, request, queryset):
        changed = services.decide_mappings(
            mappings=queryset, status=CompetencyMapping.Status.REJECTED, user=request.user
        )
        message = ngettext("%(count)d mapping rejected.", "%(count)d mappings rejected.", changed)
        self.message_user(request, message % {"count": changed}, messages.SUCCESS)
