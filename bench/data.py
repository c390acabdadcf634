"""
The benchmark's data set: comment threads of a fixed shape, and a bulk loader
for them and for a site of thousands of posts.

`generate_thread()` is a port of the thread generator used to compare this
project with other systems (thread.py, not shipped here): the same random calls
in the same order, so the same N and seed give the same thread, byte for byte
once dumped as JSON. `read_thread()` reads a thread in that JSON format.

The loaders insert in bulk where the site saves one row at a time, but make
every value with the models' own code: Post.render_markup() and
Comment.render_markup() for the HTML, django-mptt's build_tree_nodes() for
the tree columns, DiscussionQuerySet.mark_changed() for the counts. Tests
check that the trees are the ones Comment.objects.rebuild() makes.
"""

import datetime
import json
import random

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from blog.models import Category, Post
from comments.models import Comment
from comments.services import discussions_recount

THREAD_START = datetime.datetime(2016, 1, 28, 12, 0, 0)
THREAD_WORDS = (
    "council children services improvement budget staff plan reply thanks point "
    "city support change review trust school families government cuts"
).split()
# Replies go no deeper than this, so a post page shows 8 levels when
# COMMENTS_MAX_DEPTH allows them.
THREAD_DEPTH = 8
BATCH_SIZE = 1000


def generate_thread(n, seed=42):
    """
    A thread of `n` comments as a list of dicts (id, parent, depth, author,
    email, body, created): about 10% top-level, each reply to a recent comment
    less than 8 deep, bodies of 15 to 120 words.
    """
    rnd = random.Random(seed)
    rows, depth = [], {}
    for i in range(1, n + 1):
        parent = None
        if i > 1 and rnd.random() > 0.10:
            candidates = [
                j for j in range(max(1, i - 60), i) if depth[j] < THREAD_DEPTH
            ]
            parent = rnd.choice(candidates) if candidates else None
        depth[i] = 1 if parent is None else depth[parent] + 1
        body = " ".join(rnd.choice(THREAD_WORDS) for _ in range(rnd.randint(15, 120)))
        rows.append(
            {
                "id": i,
                "parent": parent,
                "depth": depth[i],
                "author": f"Reader {rnd.randint(1, 200)}",
                "email": f"reader{i}@example.org",
                "body": body.capitalize() + ".",
                "created": (
                    THREAD_START + datetime.timedelta(minutes=7 * i)
                ).isoformat(),
            }
        )
    return rows


def read_thread(path):
    """A thread from a JSON file in generate_thread()'s format, checked."""
    with open(path, encoding="utf-8") as file:
        try:
            rows = json.load(file)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path} is not JSON: {error}") from None
    if not isinstance(rows, list) or not rows:
        raise ValueError(f"{path} must hold a non-empty list of comments.")
    seen = {}
    for number, row in enumerate(rows, 1):
        try:
            key, parent = row["id"], row["parent"]
            row["body"], row["author"], row["email"], row["created"]
        except (KeyError, TypeError):
            raise ValueError(
                f"Comment {number} of {path} needs id, parent, author, email, "
                "body and created."
            ) from None
        if key in seen:
            raise ValueError(f"Comment id {key} appears twice in {path}.")
        if parent is not None and parent not in seen:
            raise ValueError(
                f"Comment {key} of {path} replies to {parent}, which does not "
                "come before it."
            )
        seen[key] = 1 if parent is None else seen[parent] + 1
    return rows


def thread_bulk_create(*, post, rows, pending=()):
    """
    Insert a thread under `post`, approved except for the row ids in
    `pending`, and recount the post's discussion. Returns the comments in the
    order of `rows`.

    Each top-level comment and its replies are numbered by django-mptt's own
    build_tree_nodes() and inserted in one statement; primary keys are
    given up front so that replies can name their parents.
    """
    first_pk = (Comment.objects.aggregate(Max("pk"))["pk__max"] or 0) + 1
    pks = {row["id"]: pk for pk, row in enumerate(rows, first_pk)}
    pending = set(pending)
    nodes = {}
    roots = []
    for row in rows:
        node = comment_fields(post, row, pks, is_pending=row["id"] in pending)
        node["children"] = []
        nodes[row["id"]] = node
        if row["parent"] is None:
            roots.append(node)
        else:
            nodes[row["parent"]]["children"].append(node)
    comments = {}
    with transaction.atomic():
        for root in roots:
            # Each tree is inserted before the next asks for a new tree id.
            tree = Comment.objects.build_tree_nodes(root)
            for comment in tree:
                comment.render_markup()
                comments[comment.pk] = comment
            Comment.objects.bulk_create(tree, batch_size=BATCH_SIZE)
        reset_sequences()
        discussions_recount([post.pk])
    return [comments[pks[row["id"]]] for row in rows]


def comment_fields(post, row, pks, *, is_pending):
    created_at = datetime.datetime.fromisoformat(row["created"])
    if timezone.is_naive(created_at):
        created_at = timezone.make_aware(created_at, datetime.UTC)
    return {
        "id": pks[row["id"]],
        "parent_id": pks[row["parent"]] if row["parent"] is not None else None,
        "post": post,
        "author_name": row["author"],
        "author_email": row["email"],
        "body": row["body"],
        "status": Comment.Status.PENDING if is_pending else Comment.Status.APPROVED,
        "moderation_reason": (
            Comment.Reason.FIRST_COMMENT if is_pending else Comment.Reason.NONE
        ),
        "created_at": created_at,
    }


def reset_sequences():
    """After rows inserted with their own ids, new rows must not reuse them."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Comment])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def site_bulk_create(*, posts, categories=20, tags=50, authors=5, slug_prefix="post"):
    """
    `posts` published posts, newest first by slug number (post-1 is the
    latest), each in one or two of `categories` categories and with two or
    three of `tags` tags. Returns the posts.
    """
    rnd = random.Random(posts)
    now = timezone.now()
    with transaction.atomic():
        users = get_user_model().objects.bulk_create(
            get_user_model()(
                username=f"bench-author-{n}",
                email=f"bench-author-{n}@example.org",
                display_name=f"Author {n}",
                password="!",
            )
            for n in range(1, authors + 1)
        )
        category_objects = Category.objects.bulk_create(
            Category(name=f"Category {n}", slug=f"category-{n}")
            for n in range(1, categories + 1)
        )
        tag_objects = Tag.objects.bulk_create(
            Tag(name=f"tag {n}", slug=f"tag-{n}") for n in range(1, tags + 1)
        )
        # Ten bodies, each rendered once as Post.save() would, shared round.
        bodies = [Post(body=post_body(rnd, n)) for n in range(10)]
        for body in bodies:
            body.render_markup()
        post_objects = []
        for n in range(1, posts + 1):
            body = bodies[n % len(bodies)]
            post_objects.append(
                Post(
                    title=f"Post number {n} on services for children",
                    slug=f"{slug_prefix}-{n}",
                    author=users[n % len(users)],
                    body=body.body,
                    body_html=body.body_html,
                    summary=body.summary,
                    status=Post.Status.PUBLISHED,
                    published_at=now - datetime.timedelta(hours=6 * n),
                    created_at=now - datetime.timedelta(hours=6 * n),
                )
            )
        post_objects = Post.objects.bulk_create(post_objects, batch_size=BATCH_SIZE)
        Membership = Post.categories.through
        Membership.objects.bulk_create(
            (
                Membership(post_id=post.pk, category_id=category.pk)
                for post in post_objects
                for category in rnd.sample(category_objects, rnd.randint(1, 2))
            ),
            batch_size=BATCH_SIZE,
        )
        content_type = ContentType.objects.get_for_model(Post)
        TaggedItem.objects.bulk_create(
            (
                TaggedItem(content_type=content_type, object_id=post.pk, tag=tag)
                for post in post_objects
                for tag in rnd.sample(tag_objects, rnd.randint(2, 3))
            ),
            batch_size=BATCH_SIZE,
        )
    return post_objects


def post_body(rnd, n):
    paragraphs = [
        " ".join(
            rnd.choice(THREAD_WORDS) for _ in range(rnd.randint(40, 90))
        ).capitalize()
        + "."
        for _ in range(rnd.randint(3, 6))
    ]
    return f"## Part {n}\n\n" + "\n\n".join(paragraphs)


def comments_bulk_create(*, posts, count, pending, thread_size=100):
    """
    `count` comments over `posts` (threads of `thread_size`, the last one
    shorter), of which `pending` wait in the moderation queue, spread evenly.
    Returns the number of posts used.
    """
    every = max(count // pending, 1) if pending else 0
    with transaction.atomic():
        used, made = threads_bulk_create(posts, count, pending, every, thread_size)
    if made < count:
        raise ValueError(f"{len(posts)} posts cannot hold {count} comments.")
    return used


def threads_bulk_create(posts, count, pending, every, thread_size):
    made = held = used = 0
    for post in posts:
        if made >= count:
            break
        rows = generate_thread(min(thread_size, count - made), seed=post.pk)
        waiting = []
        for index, row in enumerate(rows, made):
            if every and index % every == every - 1 and held < pending:
                waiting.append(row["id"])
                held += 1
        thread_bulk_create(post=post, rows=rows, pending=waiting)
        made += len(rows)
        used += 1
    return used, made
