"""
When each post's comments last changed, kept from now on by
DiscussionQuerySet.mark_changed(); until then, the time of its newest
approved comment, as the comments feed's Last-Modified was before.
"""

from django.db import migrations, models
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce


def date_discussions(apps, schema_editor):
    alias = schema_editor.connection.alias
    Comment = apps.get_model("comments", "Comment")
    Discussion = apps.get_model("comments", "Discussion")
    newest = (
        Comment.objects.using(alias)
        .filter(post=OuterRef("post"), status="approved")
        .order_by()
        .values("post")
        .annotate(newest=Max(Coalesce("edited_at", "created_at")))
        .values("newest")
    )
    Discussion.objects.using(alias).update(changed_at=Subquery(newest))


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0006_trusted_author"),
    ]

    operations = [
        migrations.AddField(
            model_name="discussion",
            name="changed_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunPython(date_discussions, migrations.RunPython.noop),
    ]
