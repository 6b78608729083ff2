from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = "Awards"
    role_permissions = {
        "Registrar": [
            "awards.view_award",
            "awards.issue_award",
            "awards.revoke_award",
            "awards.view_issuancebatch",
            "awards.view_signingkey",
        ],
    }

    def ready(self):
        from learners.signals import achievement_earned

        from .receivers import issue_on_achievement

        achievement_earned.connect(issue_on_achievement, dispatch_uid="awards.issue_on_achievement")
