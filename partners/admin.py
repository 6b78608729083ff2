from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config import outbound
from config.readonly_admin import ReadOnlyAdmin

from . import services, webhooks
from .models import SCOPES, AccessLog, PartnerAPIKey, PartnerMember, PartnerOrganisation, Share, WebhookDelivery


class PartnerOrganisationForm(forms.ModelForm):
    class Meta:
        model = PartnerOrganisation
        fields = ["name", "website", "contact_email", "is_active", "webhook_url"]

    def clean_webhook_url(self):
        url = self.cleaned_data["webhook_url"]
        if url:
            try:
                webhooks.check_callback_url(url)
            except outbound.FetchRefused as refused:
                raise ValidationError(
                    gettext("The callback must be https on a public address (%(reason)s).") % {"reason": refused}
                ) from None
        return url


class APIKeyInline(admin.TabularInline):
    model = PartnerAPIKey
    fields = ["name", "prefix", "scopes", "expiry_date", "revoked", "last_used_at"]
    readonly_fields = ["name", "prefix", "scopes", "expiry_date", "last_used_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # keys are created on their own page, where the secret is shown once


class MemberInline(admin.TabularInline):
    """People who act for the partner on its pages (employer feedback); they sign in with their own account."""

    model = PartnerMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    form = PartnerOrganisationForm
    list_display = ["name", "is_active", "webhook_url", "created_at"]
    search_fields = ["name"]
    readonly_fields = ["webhook_secret"]  # given to the partner to check webhook signatures
    inlines = [APIKeyInline, MemberInline]


class APIKeyForm(forms.ModelForm):
    scope_choices = forms.MultipleChoiceField(
        choices=list(SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
        label=_("Scopes"),
        initial=["catalog", "verify"],
    )

    class Meta:
        model = PartnerAPIKey
        fields = ["organisation", "name", "expiry_date", "rate_per_minute", "daily_quota", "max_batch", "revoked"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["scope_choices"].initial = sorted(self.instance.scope_set)

    def clean_max_batch(self):
        value = self.cleaned_data["max_batch"]
        if not 1 <= value <= 100:
            raise ValidationError(gettext("Between 1 and 100."))
        return value


@admin.register(PartnerAPIKey)
class PartnerAPIKeyAdmin(admin.ModelAdmin):
    form = APIKeyForm
    list_display = ["name", "organisation", "prefix", "scopes", "created", "expiry_date", "revoked", "last_used_at"]
    list_filter = ["revoked", "organisation"]
    search_fields = ["name", "prefix", "organisation__name"]
    readonly_fields = ["prefix", "created", "last_used_at"]

    def get_readonly_fields(self, request, obj=None):
        # A revoked key stays revoked; the organisation of a key never changes.
        if obj is not None:
            return [*self.readonly_fields, "organisation"] + (["revoked"] if obj.revoked else [])
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        scopes = form.cleaned_data["scope_choices"]
        if change:
            obj.scopes = " ".join(sorted(scopes))
            super().save_model(request, obj, form, change)
            return
        key, secret = services.api_key_create(
            organisation=obj.organisation,
            name=obj.name,
            scopes=scopes,
            expires_at=obj.expiry_date,
            rate_per_minute=obj.rate_per_minute,
            daily_quota=obj.daily_quota,
            max_batch=obj.max_batch,
        )
        obj.pk = key.pk
        self.message_user(
            request,
            gettext(
                "The API key for %(organisation)s is: %(secret)s — copy it now; it is stored hashed and cannot be "
                "shown again."
            )
            % {"organisation": obj.organisation, "secret": secret},
            messages.WARNING,
        )


@admin.register(Share)
class ShareAdmin(admin.ModelAdmin):
    list_display = ["label", "learner", "code", "partner", "whole_record", "expires_at", "revoked_at"]
    list_select_related = ["learner", "partner"]
    readonly_fields = ["learner", "label", "code", "partner", "whole_record", "awards", "expires_at", "revoked_at"]
    exclude = ["token"]

    def has_add_permission(self, request):
        return False  # learners create their shares in the portal

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "organisation", "key_name", "learner", "what"]
    list_select_related = ["organisation", "learner"]
    list_filter = ["organisation"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "organisation", "event", "status", "attempts", "last_status_code", "last_error"]
    list_filter = ["status", "event", "organisation"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
