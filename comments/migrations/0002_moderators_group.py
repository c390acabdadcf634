"""
The "Moderators" group: the moderation queue and the thread view, nothing
more. Moderators change a comment's status and may correct its text; they
cannot add comments through the admin, delete them (removing keeps the
thread's shape) or touch posts.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_PERMISSIONS = ["view_comment", "change_comment"]


def create_moderators_group(apps, schema_editor):
    # Permissions are normally created after all migrations have run; a fresh
    # database needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="comments", codename__in=MODERATOR_PERMISSIONS
    )
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.set(permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_moderators_group, migrations.RunPython.noop),
    ]
