"""The staff roles every installation has. Each app declares what a role may do with *its* models.

An AppConfig sets ``role_permissions = {ROLE: ["codename", ...]}`` and connects ``sync_app_roles`` to
``post_migrate`` in its ``ready()``; after every migrate each role group holds exactly the permissions the
apps declare — a permission an app stops declaring is taken away from existing installations too.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.core.exceptions import ImproperlyConfigured

REGISTRAR = "Registrar"
PROGRAM_APPROVER = "Program approver"
ROLES = (REGISTRAR, PROGRAM_APPROVER)


def model_permissions(models, actions=("view", "add", "change", "delete")):
    return [f"{action}_{model}" for model in models for action in actions]


def sync_app_roles(sender, using="default", **kwargs):
    """post_migrate receiver: set each role's permissions on ``sender``'s models to what it declares."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    declared = getattr(sender, "role_permissions", {})
    unknown = set(declared) - set(ROLES)
    if unknown:
        raise ImproperlyConfigured(f"{sender.label} declares permissions for unknown roles: {sorted(unknown)}")
    create_permissions(sender, verbosity=0, using=using)  # normally created after this app's receivers run
    own = Permission.objects.using(using).filter(content_type__app_label=sender.label)
    for role in ROLES:
        group, _ = Group.objects.using(using).get_or_create(name=role)
        codenames = set(declared.get(role, ()))
        wanted = list(own.filter(codename__in=codenames))
        if len(wanted) != len(codenames):
            missing = codenames - {permission.codename for permission in wanted}
            raise ImproperlyConfigured(f"{sender.label} declares unknown permissions: {sorted(missing)}")
        others = group.permissions.exclude(content_type__app_label=sender.label)
        group.permissions.set([*others, *wanted])
