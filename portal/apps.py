from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The learner's own pages under /me/: results, evidence, credentials, sharing and the learner record."""

    name = "portal"
    verbose_name = "Learner portal"
