"""The "Editors" group: everything needed to write and publish, nothing more."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = {
    "blog": ["post", "category", "publication"],
    "taggit": ["tag"],
}
# Editors pick a post's author from the list of accounts.
EDITOR_VIEW_ONLY = {"accounts": ["user"]}


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations have run; a fresh
    # database needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [
        (app, f"{action}_{model}")
        for app, models in EDITOR_PERMISSIONS.items()
        for model in models
        for action in ("add", "change", "delete", "view")
    ] + [
        (app, f"view_{model}")
        for app, models in EDITOR_VIEW_ONLY.items()
        for model in models
    ]
    permissions = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in codenames
    ]
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0001_initial"),
        ("accounts", "0001_initial"),
        (
            "taggit",
            "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx",
        ),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_editors_group, migrations.RunPython.noop),
    ]
