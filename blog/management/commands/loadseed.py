import json
from collections import Counter

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from blog.models import Post


class Command(BaseCommand):
    help = (
        "Load the site's seed content (fixtures/seed-*.json, in name order) into a "
        "database that has no posts yet; with posts, do nothing."
    )

    def handle(self, *args, **options):
        if Post.objects.exists():
            self.stdout.write(
                "The database already has posts; seed content not loaded."
            )
            return
        paths = sorted((settings.BASE_DIR / "fixtures").glob("seed-*.json"))
        if not paths:
            raise CommandError("No fixtures/seed-*.json files found.")
        counts = Counter()
        for path in paths:
            for obj in json.loads(path.read_text(encoding="utf-8")):
                counts[obj["model"]] += 1
        # One transaction: a failure in the last file leaves no half-loaded site.
        with transaction.atomic():
            call_command("loaddata", *paths, verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {describe(counts)} from {len(paths)} files.")
        )


def describe(counts):
    """'9 posts, 7 comments, 1 tag…', largest count first."""
    parts = []
    for label, count in counts.most_common():
        opts = apps.get_model(label)._meta
        name = opts.verbose_name if count == 1 else opts.verbose_name_plural
        parts.append(f"{count} {name}")
    return ", ".join(parts)
