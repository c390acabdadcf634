"""
Staff roles: the name a person is given (`manage.py grant_role alice editor`),
the group that holds it, and exactly the permissions that group has.

Each app declares the role for its own work and registers it in its
AppConfig.ready(): blog the editors, comments the moderators. After every
migrate (and every flush) each role's group is made, or brought back to
exactly its declared permissions, so the declaration is the one place a
role's rights are written.
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured

registry = {}


@dataclass(frozen=True)
class Role:
    name: str
    group_name: str
    # "app_label.codename", as user.has_perm() takes them.
    permissions: tuple[str, ...]
    # The app that declares the role; its group is kept after that app migrates.
    app_label: str

    def group(self):
        return Group.objects.get(name=self.group_name)


def register(role):
    registry[role.name] = role


def staff_group_names():
    return [role.group_name for role in registry.values()]


def sync_role_groups(sender, using="default", **kwargs):
    """
    post_migrate: give the roles the migrated app declares their groups, with
    exactly their permissions. Permissions are normally made for each app as
    it migrates; a role may name another app's, so those are made first.
    """
    for role in registry.values():
        if role.app_label != sender.label:
            continue
        wanted = {tuple(permission.split(".")) for permission in role.permissions}
        for label in {label for label, _ in wanted}:
            create_permissions(apps.get_app_config(label), verbosity=0, using=using)
        permissions = {
            (permission.content_type.app_label, permission.codename): permission
            for permission in Permission.objects.using(using)
            .filter(codename__in=[codename for _, codename in wanted])
            .select_related("content_type")
        }
        if missing := wanted - permissions.keys():
            raise ImproperlyConfigured(
                f"The {role.name} role names permissions that do not exist: "
                + ", ".join(sorted(".".join(permission) for permission in missing))
            )
        group, _ = Group.objects.using(using).get_or_create(name=role.group_name)
        group.permissions.set([permissions[permission] for permission in wanted])
