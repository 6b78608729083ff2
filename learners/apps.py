from django.apps import AppConfig

LEARNER_MODELS = ("learner", "enrolment", "assessmentattempt", "evidence")


class LearnersConfig(AppConfig):
    name = "learners"
    verbose_name = "Learner records"
    role_permissions = {
        "Registrar": [f"learners.{action}_{model}" for model in LEARNER_MODELS for action in ("view", "add", "change")]
        + [
            "learners.delete_evidence",
            "learners.delete_assessmentattempt",
            "learners.finalise_attempt",
            "learners.export_results",
        ],
    }

    def ready(self):
        from allauth.account.signals import email_confirmed

        from .receivers import link_learner_on_verified_email

        email_confirmed.connect(link_learner_on_verified_email, dispatch_uid="learners.link_on_verified_email")
