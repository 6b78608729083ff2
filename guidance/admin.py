from django.contrib import admin

from .models import Occupation, OccupationSkill


class OccupationSkillInline(admin.TabularInline):
    model = OccupationSkill
    fields = ["skill", "relation"]
    readonly_fields = ["skill", "relation"]
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False  # relations come from the framework's import


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    """Framework occupations learners choose as goals; staff may correct a label read from joined text."""

    list_display = ["label", "uri", "framework"]
    list_filter = ["framework"]
    search_fields = ["label", "alt_labels"]
    list_select_related = ["framework"]
    fields = ["label", "alt_labels", "description", "uri", "framework"]
    readonly_fields = ["uri", "framework"]
    inlines = [OccupationSkillInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # goals refer to occupations
