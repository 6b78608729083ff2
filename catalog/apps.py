from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _model_perms(app_label, models, actions=("view", "add", "change", "delete")):
    return [f"{app_label}.{action}_{model}" for model in models for action in actions]


CATALOG_MODELS = (
    "institution",
    "subjectarea",
    "tag",
    "skillframework",
    "competency",
    "program",
    "alignment",
    "rubric",
    "criterion",
    "level",
    "pathway",
    "pathwayrule",
)


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalog"
    role_permissions = {
        "Registrar": _model_perms("catalog", CATALOG_MODELS)
        + ["catalog.submit_program", "catalog.publish_program", "catalog.retire_program"],
        "Program approver": _model_perms("catalog", CATALOG_MODELS, actions=("view",)) + ["catalog.approve_program"],
    }

    def ready(self):
        from .roles import sync_role_groups

        post_migrate.connect(sync_role_groups, sender=self, dispatch_uid="catalog.sync_role_groups")
