from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from config.roles import REGISTRAR, model_permissions


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Awards")
    role_permissions = {
        REGISTRAR: [
            "view_award",
            "issue_award",
            "revoke_award",
            "download_award_files",  # any learner's certificate and signed credential; each download is logged
            "view_issuancebatch",
            "view_signingkey",
            "view_notice",
            "view_emailtemplate",
            "add_emailtemplate",
            "change_emailtemplate",
            "view_endorsement",
            "add_endorsement",
            "change_endorsement",
            *model_permissions(["certificatetemplate", "signatory"]),
            "view_foreigncredential",
            "change_foreigncredential",
            "decide_foreigncredential",
            # What the registry's own systems signed through the VC-API, and with which key: a registrar answers for
            # it. Creating an issuer key (it signs as the registry) stays with administrators, as signing keys do.
            "view_issuerapikey",
            "view_vcapiissuance",
        ],
    }

    def ready(self):
        from config.roles import sync_app_roles
        from learners.signals import achievement_earned, achievements_forecast

        from . import checks  # noqa: F401 - registers the system checks
        from .receivers import forecast_achievements, issue_on_achievement

        achievement_earned.connect(issue_on_achievement, dispatch_uid="awards.issue_on_achievement")
        achievements_forecast.connect(forecast_achievements, dispatch_uid="awards.forecast_achievements")
        post_migrate.connect(sync_app_roles, sender=self, dispatch_uid="awards.sync_app_roles")
