from django.core.management.base import BaseCommand
from django.db import transaction

from blog.models import Post
from comments.models import Comment
from comments.services import discussions_recount


class Command(BaseCommand):
    help = (
        "Repair the comment trees (their left/right numbering) from each "
        "comment's parent, and recount every post's approved comments."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            Comment.objects.rebuild()
            discussions_recount(Post.objects.values_list("pk", flat=True))
        trees = Comment.objects.filter(parent=None).count()
        self.stdout.write(f"Rebuilt {trees} comment trees and recounted every post.")
