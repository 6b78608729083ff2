from django.contrib import admin
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

from .models import RegisteredClient, WalletCopy, WalletOffer
from .oauth_clients import URI_FIELDS


@admin.register(WalletOffer)
class WalletOfferAdmin(admin.ModelAdmin):
    list_display = [
        "award", "learner", "created_at", "expires_at", "pending_holder", "approved_at", "used_at", "revoked_at",
        "other_holder_attempts",  # other wallets turned away: someone else had the QR code
    ]  # fmt: skip
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


# Tokens and grants are bearer secrets between a learner and a platform: staff see the platforms, not the tokens.
for model in (get_access_token_model(), get_refresh_token_model(), get_grant_model(), get_id_token_model(),
              get_application_model()):  # fmt: skip
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(RegisteredClient)
class RegisteredClientAdmin(admin.ModelAdmin):
    """Platforms registered for the 1EdTech APIs. Deleting one withdraws it from every learner at once."""

    list_display = ["application", "client_uri", "software_id", "software_version", "registered_at"]
    list_select_related = ["application"]
    search_fields = ["application__name", "client_uri", "software_id"]
    readonly_fields = ["application", *URI_FIELDS, "software_id", "software_version", "scope", "registered_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        obj.application.delete()  # its tokens and grants go with it

    def delete_queryset(self, request, queryset):
        for client in queryset.select_related("application"):
            client.application.delete()
