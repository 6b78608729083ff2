from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from config.roles import REGISTRAR, model_permissions


class PartnersConfig(AppConfig):
    """Partner employers: organisations and their API keys, learners' consent shares, access log, webhooks."""

    name = "partners"
    verbose_name = _("Partner employers")
    role_permissions = {
        REGISTRAR: model_permissions(("partnerorganisation", "partnerapikey", "partnermember"))
        + ["view_share", "view_accesslog", "view_webhookdelivery"],
    }

    def ready(self):
        from awards.signals import award_status_changed, credentials_verified
        from config.roles import sync_app_roles

        from . import schema  # noqa: F401 - registers the partner key with drf-spectacular
        from .receivers import notify_partners_of_status_change, remember_verified_credentials

        post_migrate.connect(sync_app_roles, sender=self, dispatch_uid="partners.sync_app_roles")
        award_status_changed.connect(notify_partners_of_status_change, dispatch_uid="partners.webhooks")
        credentials_verified.connect(remember_verified_credentials, dispatch_uid="partners.verified")
