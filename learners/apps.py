from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from config.roles import REGISTRAR, model_permissions

LEARNER_MODELS = ("learner", "enrolment", "assessmentattempt", "evidence")


class LearnersConfig(AppConfig):
    name = "learners"
    verbose_name = _("Learner records")
    role_permissions = {
        REGISTRAR: model_permissions(LEARNER_MODELS, actions=("view", "add", "change"))
        + ["delete_evidence", "delete_assessmentattempt", "finalise_attempt", "export_results"],
    }

    def ready(self):
        from allauth.account.signals import email_confirmed

        from config.roles import sync_app_roles

        from .receivers import link_learner_on_verified_email

        email_confirmed.connect(link_learner_on_verified_email, dispatch_uid="learners.link_on_verified_email")
        post_migrate.connect(sync_app_roles, sender=self, dispatch_uid="learners.sync_app_roles")
