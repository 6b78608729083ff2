from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from config.roles import PROGRAM_APPROVER, REGISTRAR, model_permissions

CATALOG_MODELS = (
    "institution",
    "subjectarea",
    "tag",
    "skillframework",
    "competency",
    "competencymapping",
    "program",
    "alignment",
    "rubric",
    "criterion",
    "level",
    "pathway",
    "pathwayrule",
    "creditrecognition",
    "transferagreement",
)


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalog")
    role_permissions = {
        REGISTRAR: model_permissions(CATALOG_MODELS)
        + ["submit_program", "publish_program", "retire_program", "submit_pathway", "publish_pathway", "retire_pathway"]
        + ["view_programdecision"],
        PROGRAM_APPROVER: model_permissions(CATALOG_MODELS, actions=("view",))
        + ["approve_program", "retire_program", "approve_pathway", "retire_pathway", "view_programdecision"],
    }

    def ready(self):
        from config.roles import sync_app_roles

        post_migrate.connect(sync_app_roles, sender=self, dispatch_uid="catalog.sync_app_roles")
