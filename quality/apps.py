from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from config.roles import PROGRAM_APPROVER, REGISTRAR


class QualityConfig(AppConfig):
    """Program quality: outcome KPIs, learner surveys and follow-ups, employer feedback, program reviews."""

    name = "quality"
    verbose_name = _("Program quality")
    role_permissions = {
        REGISTRAR: ["view_outcomes", "view_programreview", "view_surveyresponse", "view_outcomefollowup",
                    "view_employerfeedback"],
        PROGRAM_APPROVER: ["view_outcomes", "view_programreview", "add_programreview"],
    }  # fmt: skip

    def ready(self):
        from config.roles import sync_app_roles
        from learners.signals import enrolment_ended

        from .receivers import invite_to_survey

        enrolment_ended.connect(invite_to_survey, dispatch_uid="quality.invite_to_survey")
        post_migrate.connect(sync_app_roles, sender=self, dispatch_uid="quality.sync_app_roles")
