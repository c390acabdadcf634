"""
Once made the "Moderators" group. Roles are now declared by the apps that own
them (comments.roles) and their groups kept after every migrate by
accounts.roles; this migration stays, empty, because later ones depend on it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = []
