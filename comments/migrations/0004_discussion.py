"""
Each post's comment state moves from blog's Post (is_commenting_open,
comment_count) to the comments app's own Discussion row. The rows are made
here for every post that had comments or was closed to them, before blog's
0006 drops the old columns.
"""

import django.db.models.deletion
from django.db import migrations, models


def copy_from_posts(apps, schema_editor):
    Post = apps.get_model("blog", "Post")
    Discussion = apps.get_model("comments", "Discussion")
    posts = Post.objects.filter(
        models.Q(comment_count__gt=0) | models.Q(is_commenting_open=False)
    ).values_list("pk", "is_commenting_open", "comment_count")
    Discussion.objects.bulk_create(
        Discussion(post_id=pk, is_open=is_open, comment_count=count)
        for pk, is_open, count in posts.iterator()
    )


def copy_to_posts(apps, schema_editor):
    Post = apps.get_model("blog", "Post")
    Discussion = apps.get_model("comments", "Discussion")
    for discussion in Discussion.objects.iterator():
        Post.objects.filter(pk=discussion.post_id).update(
            is_commenting_open=discussion.is_open,
            comment_count=discussion.comment_count,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0005_post_published_idx"),
        ("comments", "0003_comment_in_reply_to"),
    ]
    # blog never depends on comments, so it is this migration that says it
    # must read the old columns before blog drops them.
    run_before = [("blog", "0006_comments_move_to_discussion")]

    operations = [
        migrations.CreateModel(
            name="Discussion",
            fields=[
                (
                    "post",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="discussion",
                        serialize=False,
                        to="blog.post",
                    ),
                ),
                (
                    "is_open",
                    models.BooleanField(
                        default=True,
                        help_text="Readers may comment (and reply) while the post "
                        "is published.",
                        verbose_name="comments open",
                    ),
                ),
                (
                    "comment_count",
                    models.PositiveIntegerField(
                        default=0, editable=False, verbose_name="approved comments"
                    ),
                ),
                (
                    "version",
                    models.PositiveIntegerField(default=0, editable=False),
                ),
            ],
        ),
        migrations.RunPython(copy_from_posts, copy_to_posts),
    ]
