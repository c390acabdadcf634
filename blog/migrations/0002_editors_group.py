"""
Once made the "Editors" group. Roles are now declared by the apps that own
them (blog.roles) and their groups kept after every migrate by accounts.roles;
this migration stays, empty, because later ones depend on it.
"""

from django.db import migrations


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

    operations = []
