from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written elsewhere (by learners, partners, services) that staff may read but never change."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
