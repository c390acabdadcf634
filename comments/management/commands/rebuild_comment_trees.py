from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from blog.models import Post
from comments.models import Comment


class Command(BaseCommand):
    help = (
        "Repair the comment trees (their left/right numbering) from each "
        "comment's parent, and recount every post's approved comments."
    )

    def handle(self, *args, **options):
        approved = (
            Comment.objects.approved()
            .filter(post=OuterRef("pk"))
            .order_by()  # the tree ordering would split the count into groups
            .values("post")
            .annotate(count=Count("pk"))
            .values("count")
        )
        with transaction.atomic():
            Comment.objects.rebuild()
            Post.objects.update(
                comment_count=Coalesce(Subquery(approved), 0),
                version=F("version") + 1,
            )
        trees = Comment.objects.filter(parent=None).count()
        self.stdout.write(f"Rebuilt {trees} comment trees and recounted every post.")
