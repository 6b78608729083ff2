from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from config.roles import REGISTRAR


class WorkspaceConfig(AppConfig):
    """The registrar's workspace in the admin: the front page of what needs doing, and exports of what was found."""

    name = "workspace"
    verbose_name = _("Registrar's workspace")
    role_permissions = {
        # Each export is its own permission; export jobs are seen (and downloaded) by whoever started them.
        REGISTRAR: ["view_exportjob", "export_awards", "export_enrolments", "export_attempts"],
    }

    def ready(self):
        from config.roles import sync_app_roles

        from .public_site import site_follows_public_url

        post_migrate.connect(sync_app_roles, sender=self, dispatch_uid="workspace.sync_app_roles")
        post_migrate.connect(site_follows_public_url, sender=self, dispatch_uid="workspace.site_follows_public_url")
