"""
Random runs of comment writes (post, reply, approve, remove, mark as spam,
restore, delete), made through the services, keep every thread's tree valid
and the thread a visitor sees consistent with the moderation rules:

- every approved comment is shown, in tree order, at its depth;
- a comment that is not approved (pending, spam or removed) is shown only as
  a placeholder, and only while an approved comment sits somewhere below
  it; its text is never shown; a removed one says who removed it, a
  pending one that it waits, and spam says nothing;
- the post's comment count is the number of approved comments shown.
"""

import itertools
import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from comments import moderation_actions, services
from comments.models import Comment
from comments.thread_html import PLACEHOLDER_TEXTS, WAITING_TEXT
from tests import builders
from tests.builders import comment_count

pytestmark = pytest.mark.django_db

MAX_DEPTH = 3
AUTHORS = ["ada@example.org", "bob@example.org", "cy@example.org"]
body_numbers = itertools.count(1)

operations = st.one_of(
    st.tuples(st.just("post"), st.integers(0, 1), st.sampled_from(AUTHORS)),
    st.tuples(st.just("reply"), st.integers(0, 50), st.sampled_from(AUTHORS)),
    st.tuples(
        st.sampled_from(["approve", "remove", "spam", "restore", "delete"]),
        st.integers(0, 50),
        st.none(),
    ),
)


def apply(operation, posts):
    kind, number, email = operation
    if kind == "post":
        services.comment_create(
            post=posts[number],
            body=f"Comment text {next(body_numbers)}.",
            author_name=email.split("@")[0],
            author_email=email,
        )
        return
    comments = list(Comment.objects.order_by("pk").select_related("post", "parent"))
    if not comments:
        return
    comment = comments[number % len(comments)]
    if kind == "reply":
        # The site takes replies to approved comments only (the form refuses
        # others), so replies go to the approved comment nearest the choice.
        approved = [c for c in comments if c.status == Comment.Status.APPROVED]
        if not approved:
            return
        comment = approved[number % len(approved)]
        services.comment_create(
            post=comment.post,
            parent=comment,
            body=f"Reply text {next(body_numbers)}.",
            author_name=email.split("@")[0],
            author_email=email,
        )
    elif kind == "approve":
        moderation_actions.comment_approve(comment=comment)
    elif kind == "remove":
        moderation_actions.comment_remove(comment=comment)
    elif kind == "spam":
        moderation_actions.comment_mark_spam(comment=comment)
    elif kind == "restore":
        moderation_actions.comment_restore(comment=comment)
    else:
        services.comment_delete(comment=comment)


def assert_trees_valid(posts):
    rows = {comment.pk: comment for comment in Comment.objects.all()}
    roots = [comment for comment in rows.values() if comment.parent_id is None]
    assert len({root.tree_id for root in roots}) == len(roots), "tree_id shared"
    for comment in rows.values():
        assert comment.level <= MAX_DEPTH - 1
        if comment.parent_id is None:
            assert (comment.level, comment.lft) == (0, 1)
            continue
        parent = rows[comment.parent_id]
        assert comment.post_id == parent.post_id
        assert comment.tree_id == parent.tree_id
        assert comment.level == parent.level + 1
        assert parent.lft < comment.lft < comment.rght < parent.rght
    for root in roots:
        tree = [row for row in rows.values() if row.tree_id == root.tree_id]
        numbers = sorted(n for row in tree for n in (row.lft, row.rght))
        assert numbers == list(range(1, 2 * len(tree) + 1))
        for row in tree:
            below = [r for r in tree if row.lft < r.lft < row.rght]
            assert row.rght - row.lft == 2 * len(below) + 1
            assert all(r.rght < row.rght for r in below)


def expected_thread(post):
    """(pk, is_placeholder) in tree order, from the rules in the docstring."""
    comments = list(Comment.objects.for_post(post).order_by("tree_id", "lft"))
    shown = []
    for comment in comments:
        has_approved_below = any(
            other.is_approved
            and other.tree_id == comment.tree_id
            and comment.lft < other.lft < comment.rght
            for other in comments
        )
        if comment.is_approved:
            shown.append((comment.pk, False))
        elif has_approved_below:
            shown.append((comment.pk, True))
    return comments, shown


def assert_thread_shown_by_the_rules(post):
    comments, expected = expected_thread(post)
    page = Client().get(post.get_absolute_url()).text
    items = re.findall(
        r'<li id="comment-(\d+)" class="comment depth-(\d+)([^"]*)"', page
    )
    shown = [
        (int(pk), "comment-removed" in extra or "comment-hidden" in extra)
        for pk, _, extra in items
    ]
    assert shown == expected
    levels = {comment.pk: comment.level for comment in comments}
    assert all(int(depth) == levels[int(pk)] + 1 for pk, depth, _ in items)
    placeholders = [*PLACEHOLDER_TEXTS.values(), WAITING_TEXT]
    spam = {c.pk for c in comments if c.status == Comment.Status.SPAM}
    assert sum(page.count(text) for text in placeholders) == sum(
        is_placeholder and pk not in spam for pk, is_placeholder in shown
    )
    for comment in comments:
        assert (f"<p>{comment.body}</p>" in page) == comment.is_approved
    approved = sum(not is_placeholder for _, is_placeholder in shown)
    assert comment_count(post) == approved
    heading = f"{approved} Comment{'s' if approved != 1 else ''}" if approved else ""
    assert f'id="comments-title">{heading or "Comments"}</h2>' in page


@hypothesis_settings(
    max_examples=45,
    deadline=None,
    # Each example runs in a transaction of its own that is rolled back.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(operations, min_size=1, max_size=14))
def test_random_comment_writes_keep_trees_and_threads_right(steps, settings):
    settings.COMMENTS_MAX_DEPTH = MAX_DEPTH
    settings.COMMENTS_NOTIFY_MODERATORS = False
    with transaction.atomic():
        cache.clear()
        author = builders.make_user()
        posts = [builders.make_post(author=author) for _ in range(2)]
        # One author is known already, so some comments are approved at once.
        builders.make_comment(
            post=posts[1], author_email=AUTHORS[0], status=Comment.Status.APPROVED
        )
        for operation in steps:
            apply(operation, posts)
            assert_trees_valid(posts)
            for post in posts:
                assert_thread_shown_by_the_rules(post)
        transaction.set_rollback(True)
    cache.clear()
