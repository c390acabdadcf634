"""
Render the stored HTML of every post again, so that the ids in bodies get the
prefix blog.markup now gives them. A historical model has no render_markup(),
so this calls what it calls; the summary is plain text, which ids do not reach.
"""

from django.db import migrations
from django.db.models import F

from blog.markup import render_markdown


def render_bodies(apps, schema_editor):
    Post = apps.get_model("blog", "Post")
    posts = Post.objects.using(schema_editor.connection.alias)
    for post in posts.only("pk", "body", "body_html").iterator():
        body_html = render_markdown(post.body)
        if body_html != post.body_html:
            # A new version, as mark_changed() gives, so that no cached copy
            # of the old HTML is served.
            posts.filter(pk=post.pk).update(
                body_html=body_html, version=F("version") + 1
            )


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0006_comments_move_to_discussion"),
    ]

    operations = [
        migrations.RunPython(render_bodies, migrations.RunPython.noop),
    ]
