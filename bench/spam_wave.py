"""
The spam wave: `python -m bench.spam_wave` (or `make bench-spam`).

In a scratch database with the seed content (as bench.run makes one), a
moderator sets up what a site under attack would have (two words that mark
a comment as spam, one that holds it, a ban on a range of addresses, a
category whose comments all wait), then a wave of comments is sent through
the comment form, each as its sender's browser would: a generated mix of
bots, link farms, a flood from one address, a banned range, and readers.
What each rule did is then counted from the audit log (ModerationEvent),
with the requests the site refused before saving anything. The wave is the
same on every run (a seeded random generator).
"""

import argparse
import logging
import os
import random
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import django

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.run import BenchError, production_environment, scratch_database  # noqa: E402
from blog.models import Category, Post  # noqa: E402
from comments.forms import sign_form  # noqa: E402
from comments.models import (  # noqa: E402
    Ban,
    CategoryRules,
    Comment,
    ConfirmedAddress,
    ModerationEvent,
    ModerationWord,
)

SEED = 20261203
SPAM_WORDS = ["casino", "viagra"]
HOLD_WORDS = ["crypto"]
BANNED_RANGE = "203.0.113.0/24"
WORDS = (
    "the council report on children's services was late but the review "
    "of care placements shows real change in how social workers plan support"
).split()


def wave(rnd, posts):
    """The comments of the wave: (kind, post, form fields, address, seconds)."""
    kinds = [
        ("bot filling every field", 150),
        ("bot posting at once", 90),
        ("link farm", 70),
        ("spam word", 50),
        ("held word", 20),
        ("banned range", 30),
        ("flood from one address", 30),
        ("new reader", 40),
        ("known reader", 20),
    ]
    comments = []
    for kind, count in kinds:
        for n in range(count):
            comments.append(comment_of(rnd, kind, n, rnd.choice(posts)))
    rnd.shuffle(comments)
    return comments


def comment_of(rnd, kind, n, post):
    text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(8, 40)))
    fields = {
        "author_name": f"Visitor {n}",
        "author_email": f"visitor{n}.{kind.split()[0]}@example.net",
        "author_url": "",
        "body": text.capitalize() + ".",
        "subject": "",
    }
    address = f"198.51.{rnd.randint(0, 99)}.{rnd.randint(1, 254)}"
    seconds = rnd.uniform(20, 600)
    if kind == "bot filling every field":
        fields["subject"] = "Best offer"
        fields["author_url"] = f"https://deals{n}.example.com/"
    elif kind == "bot posting at once":
        seconds = rnd.uniform(0, 2)
    elif kind == "link farm":
        links = " ".join(f"https://shop{n}-{i}.example.com/" for i in range(4))
        fields["body"] += f" See {links}"
    elif kind == "spam word":
        fields["body"] += f" Try the {rnd.choice(SPAM_WORDS)} now."
    elif kind == "held word":
        fields["body"] += f" Is {HOLD_WORDS[0]} the answer?"
    elif kind == "banned range":
        address = f"203.0.113.{rnd.randint(1, 254)}"
    elif kind == "flood from one address":
        address = "192.0.2.66"
    elif kind == "known reader":
        fields["author_email"] = f"reader{n % 5}@example.org"
        fields["author_name"] = f"Reader {n % 5}"
    return kind, post, fields, address, seconds


def set_up_moderation():
    """What moderators of a site under attack would have set up."""
    for word in SPAM_WORDS:
        ModerationWord.objects.create(word=word, action=ModerationWord.Action.SPAM)
    for word in HOLD_WORDS:
        ModerationWord.objects.create(word=word, action=ModerationWord.Action.HOLD)
    Ban.objects.create(ip_network=BANNED_RANGE, reason="A botnet's range")
    strict = Category.objects.order_by("name").first()
    CategoryRules.objects.create(category=strict, always_moderate=True)
    # Five readers who commented before, and confirmed their address.
    post = Post.objects.published().first()
    for n in range(5):
        ConfirmedAddress.objects.create(email=f"reader{n}@example.org")
        Comment.objects.create(
            post=post,
            author_name=f"Reader {n}",
            author_email=f"reader{n}@example.org",
            body="An earlier comment.",
            status=Comment.Status.APPROVED,
        )
    return strict


def send_wave(stdout):
    # Not a warning for each request the flood has refused.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("loadseed", stdout=open(os.devnull, "w"))
    strict = set_up_moderation()
    posts = list(Post.objects.published().filter(kind=Post.Kind.POST))
    last_event = ModerationEvent.objects.order_by("pk").last()
    last_comment = Comment.objects.order_by("pk").last()
    outcomes = Counter()
    sent_kinds = {}
    comments = wave(random.Random(SEED), posts)
    for kind, post, fields, address, seconds in comments:
        url = reverse("comments:comment-create", kwargs={"slug": post.slug})
        fields["timestamp"] = sign_form(post, seconds_ago=seconds)
        response = Client().post(url, fields, REMOTE_ADDR=address)
        if response.status_code == 302:
            sent_kinds[int(response["Location"].rpartition("-")[2])] = kind
        else:
            outcomes[(kind, f"refused ({response.status_code})")] += 1
    events = ModerationEvent.objects.filter(pk__gt=last_event.pk if last_event else 0)
    saved = Comment.objects.filter(pk__gt=last_comment.pk)
    for comment in saved:
        outcome = (
            comment.get_moderation_reason_display()
            if comment.moderation_reason
            else "published"
        )
        outcomes[(sent_kinds[comment.pk], f"{comment.status}: {outcome}")] += 1
    report(stdout, len(comments), len(posts), strict, events, saved, outcomes)


def report(stdout, sent, posts, strict, events, saved, outcomes):
    by_rule = Counter(
        (event.get_action_display(), event.reason.split(":")[0]) for event in events
    )
    statuses = Counter(saved.values_list("status", flat=True))
    stdout.write(f"Spam wave: {sent} comments over {posts} posts.\n")
    stdout.write(f"Category holding every comment: {strict.name}.\n\n")
    stdout.write(f"{'what the rules did (audit log)':<58} {'comments':>8}\n")
    for (action, reason), count in by_rule.most_common():
        stdout.write(f"{action + ': ' + reason:<58} {count:>8}\n")
    stdout.write(
        f"\n{'each kind of comment sent, and what became of it':<58} {'comments':>8}\n"
    )
    for (kind, outcome), count in sorted(outcomes.items()):
        stdout.write(f"{kind + ' → ' + outcome:<58} {count:>8}\n")
    stdout.write(f"\n{'saved, by status':<58} {'comments':>8}\n")
    for status, count in statuses.most_common():
        stdout.write(f"{status:<58} {count:>8}\n")


def main(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.spam_wave")
    parser.add_argument("--in-scratch-database", action="store_true")
    options = parser.parse_args(argv)
    if options.in_scratch_database:
        # Forms are sent as fast as the machine goes, from the wave's own
        # addresses, against the site's rules as configured.
        with override_settings(COMMENTS_NOTIFY_MODERATORS=False):
            send_wave(sys.stdout)
        return
    with tempfile.TemporaryDirectory(prefix="spam-wave-") as folder:
        folder = Path(folder)
        with scratch_database(folder, suffix="_spam_wave") as database_url:
            env = {
                **os.environ,
                **production_environment(folder),
                "DATABASE_URL": database_url,
                "DJANGO_TASKS_BACKEND": "django.tasks.backends.dummy.DummyBackend",
            }
            del env["COMMENTS_MAX_DEPTH"]
            result = subprocess.run(
                [sys.executable, "-m", "bench.spam_wave", "--in-scratch-database"],
                cwd=settings.BASE_DIR,
                env=env,
            )
            if result.returncode != 0:
                raise BenchError(
                    f"The spam wave failed (exit code {result.returncode})."
                )


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except BenchError as error:
        sys.exit(f"bench.spam_wave: {error}")
