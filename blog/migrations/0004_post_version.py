from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0003_post_thread_version"),
    ]

    operations = [
        migrations.RenameField(
            model_name="post", old_name="thread_version", new_name="version"
        ),
    ]
