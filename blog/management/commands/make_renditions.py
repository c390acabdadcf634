from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from blog.images import UNREADABLE, renditions_missing, update_renditions
from blog.models import Post


class Command(BaseCommand):
    help = (
        "Make the renditions of featured images that lack them: images saved "
        "before renditions existed, or whose renditions are missing from the "
        "media storage. Images with all theirs are left alone, so running it "
        "again makes nothing."
    )

    def handle(self, *args, **options):
        made = failed = 0
        posts = Post.objects.exclude(featured_image="").only(
            "pk", "slug", "featured_image", "featured_image_renditions"
        )
        for post in posts.iterator():
            if not renditions_missing(post):
                continue
            try:
                with transaction.atomic():
                    update_renditions(post, remake=True)
                    # Its pages' cached HTML still shows the image as uploaded.
                    Post.objects.filter(pk=post.pk).mark_changed()
            except UNREADABLE as error:  # FileNotFoundError among them
                self.stderr.write(f"{post.slug}: {post.featured_image.name}: {error}")
                failed += 1
            else:
                made += 1
        self.stdout.write(f"Made the renditions of {made} featured image(s).")
        if failed:
            raise CommandError(f"{failed} featured image(s) could not be read.")
