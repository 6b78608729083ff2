from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The registrar's workspace in the admin: the front page of what needs doing, and exports of what was found."""

    name = "workspace"
    verbose_name = "Registrar's workspace"
