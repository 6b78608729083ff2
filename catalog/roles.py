"""The staff groups every installation has, built from each app's ``role_permissions``.

An app declares ``role_permissions = {"Group name": ["app_label.codename", ...]}`` on its AppConfig;
after every migrate the groups are brought up to exactly those permissions.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions

REGISTRAR = "Registrar"
PROGRAM_APPROVER = "Program approver"


def sync_role_groups(using="default", **kwargs):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = {}
    for app_config in apps.get_app_configs():
        for group_name, perms in getattr(app_config, "role_permissions", {}).items():
            wanted.setdefault(group_name, set()).update(perms)
            # Permissions are normally created after each app migrates; make sure they exist now.
            create_permissions(app_config, verbosity=0, using=using)
    for group_name, perms in wanted.items():
        group, _ = Group.objects.using(using).get_or_create(name=group_name)
        permissions = []
        for perm in sorted(perms):
            app_label, codename = perm.split(".", 1)
            permissions.append(
                Permission.objects.using(using).get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)
