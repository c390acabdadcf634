"""
A post's comment state now lives in the comments app (comments.Discussion,
filled from these columns by comments' 0004, which runs first).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0005_post_published_idx"),
    ]

    operations = [
        migrations.RemoveField(model_name="post", name="comment_count"),
        migrations.RemoveField(model_name="post", name="is_commenting_open"),
    ]
