import json
from collections import Counter, defaultdict

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q


class Command(BaseCommand):
    help = (
        "Load the site's seed content (fixtures/seed-*.json, in name order) into a "
        "database that has none of the kinds of content they hold; otherwise, or "
        "without the files, do nothing."
    )

    def handle(self, *args, **options):
        paths = sorted((settings.BASE_DIR / "fixtures").glob("seed-*.json"))
        if not paths:
            self.stdout.write("No fixtures/seed-*.json files; seed content not loaded.")
            return
        objects = defaultdict(list)
        for path in paths:
            for obj in json.loads(path.read_text(encoding="utf-8")):
                objects[obj["model"]].append(obj)
        # Most fixtures carry fixed primary keys: loading them next to content
        # of the same kind would silently overwrite it.
        found = [
            str(apps.get_model(label)._meta.verbose_name_plural)
            for label in sorted(objects)
            if existing(apps.get_model(label), objects[label]).exists()
        ]
        if found:
            self.stdout.write(
                f"The database already has {', '.join(found)}; seed content not loaded."
            )
            return
        counts = Counter({label: len(objs) for label, objs in objects.items()})
        # One transaction: a failure in the last file leaves no half-loaded site.
        with transaction.atomic():
            call_command("loaddata", *paths, verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {describe(counts)} from {len(paths)} files.")
        )


def existing(model, seed_objects):
    """
    The rows of `model` that make the database not empty. A staff account
    does not count unless the seed has one of its name: an administrator made
    before the first load is expected, and the seed's accounts, identified by
    username, overwrite only an account of the same name.
    """
    if model is get_user_model():
        field = model.USERNAME_FIELD
        names = [obj["fields"][field] for obj in seed_objects]
        return model._default_manager.filter(
            Q(is_staff=False) | Q(**{f"{field}__in": names})
        )
    return model._default_manager.all()


def describe(counts):
    """'9 posts, 7 comments, 1 tag…', largest count first."""
    parts = []
    for label, count in counts.most_common():
        opts = apps.get_model(label)._meta
        name = opts.verbose_name if count == 1 else opts.verbose_name_plural
        parts.append(f"{count} {name}")
    return ", ".join(parts)
