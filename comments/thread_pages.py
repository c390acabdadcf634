"""
Comment pages: a long discussion shown COMMENTS_PER_PAGE threads (a
top-level comment with its replies) at a time, the oldest threads first or,
with COMMENTS_NEWEST_FIRST, the newest; replies in a thread stay in order.

A post whose threads fit on one page (Discussion.thread_count, kept with its
counts) reads nothing more for it. A longer one is paged on the ids of its
threads on show, read once per version of its discussion and cached: which
threads a page holds, and which page a comment is on, are then found
without a query. A thread is on show while any comment in it is approved,
so a held comment's page is where its thread would be.
"""

import bisect
import math

from django.conf import settings
from django.core.cache import cache
from django.http import Http404

from .models import Comment, Discussion

PAGE_PARAMETER = "comment-page"
THREAD_IDS_SECONDS = 60 * 60 * 24


def is_paged(discussion):
    per_page = settings.COMMENTS_PER_PAGE
    return bool(per_page) and discussion.thread_count > per_page


def page_count(discussion):
    if not is_paged(discussion):
        return 1
    return math.ceil(discussion.thread_count / settings.COMMENTS_PER_PAGE)


def requested_page(request, discussion):
    """The page a request asks for (1 by default); 404 for one that is not."""
    value = request.GET.get(PAGE_PARAMETER)
    if value is None:
        return 1
    if (
        not value.isdigit()
        or len(value) > 9
        or not (1 <= int(value) <= page_count(discussion))
    ):
        raise Http404("No such page of comments.")
    return int(value)


def thread_ids(post):
    """The post's threads on show, by tree id, oldest first; cached."""
    key = Discussion.of(post).cache_key("thread-ids")
    ids = cache.get(key)
    if ids is None:
        approved = Comment.objects.approved().filter(post=post).order_by("tree_id")
        ids = list(approved.values_list("tree_id", flat=True).distinct())
        cache.set(key, ids, THREAD_IDS_SECONDS)
    return ids


def page_tree_ids(post, number):
    """The tree ids of the threads on page `number`, in the order shown."""
    ids = thread_ids(post)
    if settings.COMMENTS_NEWEST_FIRST:
        ids = ids[::-1]
    per_page = settings.COMMENTS_PER_PAGE
    return ids[(number - 1) * per_page : number * per_page]


def page_of(comment):
    """The page a comment is on: its thread's."""
    discussion = Discussion.of(comment.post)
    if not is_paged(discussion):
        return 1
    ids = thread_ids(comment.post)
    if settings.COMMENTS_NEWEST_FIRST:
        before = len(ids) - bisect.bisect_right(ids, comment.tree_id)
    else:
        before = bisect.bisect_left(ids, comment.tree_id)
    return before // settings.COMMENTS_PER_PAGE + 1


def page_url(post, number, fragment="comments"):
    query = f"?{PAGE_PARAMETER}={number}" if number > 1 else ""
    return f"{post.get_absolute_url()}{query}#{fragment}"


def comment_url(comment):
    """A comment's permalink: its page of the post, at the comment."""
    return page_url(comment.post, page_of(comment), f"comment-{comment.pk}")


def page_links(post, discussion, current):
    """The comment pages' navigation, or None for a discussion of one page."""
    count = page_count(discussion)
    if count == 1:
        return None
    # Older threads are on later pages when the newest come first.
    step = -1 if settings.COMMENTS_NEWEST_FIRST else 1
    older, newer = current - step, current + step
    return {
        "current": current,
        "pages": [
            (number, page_url(post, number) if number else None)
            for number in page_numbers(current, count)
        ],
        "older": page_url(post, older) if 1 <= older <= count else None,
        "newer": page_url(post, newer) if 1 <= newer <= count else None,
    }


def page_numbers(current, count, around=2):
    """The first, the last, and those near the current; 0 marks a gap."""
    near = range(max(1, current - around), min(count, current + around) + 1)
    numbers = sorted({1, count, *near})
    shown = []
    for number in numbers:
        if shown and number > shown[-1] + 1:
            shown.append(0)
        shown.append(number)
    return shown
