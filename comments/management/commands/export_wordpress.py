"""
manage.py export_wordpress site.xml: every post and page, with their authors,
categories, tags, featured images and comments, as a WordPress export file
(WXR 1.2), for WordPress's importer or import_wordpress.

Here rather than in blog because it writes both apps' records: the blog's
posts (blog.wordpress) and their comments (comments.wordpress).
"""

import os
import sys

from django.core.management.base import BaseCommand, CommandError

from blog.models import Post

from ...wordpress import exporting

# What the summary counts, in its order: (key, one, more than one).
COUNTED = [
    ("posts", "post", "posts"),
    ("pages", "page", "pages"),
    ("comments", "comment", "comments"),
    ("authors", "author", "authors"),
    ("categories", "category", "categories"),
    ("tags", "tag", "tags"),
    ("images", "featured image", "featured images"),
]


class Command(BaseCommand):
    help = (
        "Write every post and page, with their authors, categories, tags, "
        "featured images and comments, as a WordPress export file (WXR 1.2), "
        "which WordPress's importer and import_wordpress read."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write it; - for standard output")

    def handle(self, *args, file, **options):
        posts = Post.objects.all()
        if file == "-":
            stream = options.get("stdout") or sys.stdout
            if stream is sys.stdout:
                sys.stdout.reconfigure(encoding="utf-8")  # as the file declares
            counts = exporting.write(stream, posts)
            # Standard output is the file: the summary goes beside it.
            self.stderr.write(summary("standard output", counts), style_func=None)
            return
        try:
            out = open(file, "w", encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {file}: {error.strerror}.") from None
        try:
            with out:
                counts = exporting.write(out, posts)
        except OSError as error:
            # A disk filled up: a truncated export would pass for a whole one.
            # (Not a device such as /dev/full, which is no export.)
            if os.path.isfile(file):
                os.remove(file)
            raise CommandError(
                f"Cannot write {file}: {error.strerror}. Nothing was kept."
            ) from None
        self.stdout.write(summary(file, counts))


def summary(where, counts):
    """'Wrote site.xml: 12 posts, 1 page, ...' in one line."""
    figures = ", ".join(
        f"{counts[key]} {one if counts[key] == 1 else more}"
        for key, one, more in COUNTED
    )
    return f"Wrote {where}: {figures}."
