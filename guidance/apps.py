from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _

from config.roles import PROGRAM_APPROVER, REGISTRAR


class GuidanceConfig(AppConfig):
    """Learner guidance: ESCO occupations, learners' career goals, skill gaps and program recommendations."""

    name = "guidance"
    verbose_name = _("Learner guidance")
    role_permissions = {
        REGISTRAR: ["view_occupation", "change_occupation"],
        PROGRAM_APPROVER: ["view_occupation"],
    }

    def ready(self):
        from awards.models import ForeignCredential
        from catalog.models import Alignment, CompetencyMapping, Criterion, Pathway, PathwayRule, Program
        from config.roles import sync_app_roles
        from learners.models import AssessmentAttempt, Enrolment

        from . import receivers

        post_migrate.connect(sync_app_roles, sender=self, dispatch_uid="guidance.sync_app_roles")
        post_save.connect(receivers.attempt_saved, sender=AssessmentAttempt, dispatch_uid="guidance.attempt")
        post_save.connect(receivers.learner_changed, sender=Enrolment, dispatch_uid="guidance.enrolment")
        post_save.connect(receivers.learner_changed, sender=ForeignCredential, dispatch_uid="guidance.foreign")
        for model in (Program, Alignment, CompetencyMapping, Pathway, PathwayRule):
            for signal in (post_save, post_delete):
                signal.connect(receivers.catalog_changed, sender=model, dispatch_uid=f"guidance.{model.__name__}")
        for through in (Criterion.competencies.through, PathwayRule.programs.through, Program.prerequisites.through):
            m2m_changed.connect(receivers.catalog_changed, sender=through, dispatch_uid=f"guidance.{through.__name__}")
