from django.contrib import admin

from .models import WalletCopy, WalletOffer


@admin.register(WalletOffer)
class WalletOfferAdmin(admin.ModelAdmin):
    list_display = ["award", "learner", "created_at", "expires_at", "used_at", "revoked_at"]
    list_select_related = ["award__program", "learner"]
    readonly_fields = [field.name for field in WalletOffer._meta.fields if field.name != "challenge"]
    exclude = ["challenge"]  # a live offer's challenge is a bearer secret

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WalletCopy)
class WalletCopyAdmin(admin.ModelAdmin):
    list_display = ["award", "holder", "protocol", "issued_at"]
    list_filter = ["protocol"]
    list_select_related = ["award__program"]
    readonly_fields = ["award", "offer", "holder", "protocol", "credential", "issued_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
