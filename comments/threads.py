"""
A post's thread: loaded in one query, visibility decided in one pass, made
into HTML by comments.thread_html, and cached.

thread_bytes(post) is the same for every visitor: nothing personal (the
CSRF token, the viewer's held comments, their name) goes into it, so it is
cached under both the post's version and its discussion's, which every
write raises (DiscussionQuerySet.mark_changed). Versions in the database
rather than in the cache: with the in-memory cache each gunicorn worker has
its own, and a reader must never see a thread older than the database's.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache

from . import thread_pages
from .authorship import NO_VIEWER_COMMENTS, viewer_comments
from .models import Comment, Discussion
from .thread_html import thread_html

THREAD_CACHE_SECONDS = 60 * 60 * 24


@dataclass(slots=True)
class ThreadItem:
    comment: Comment
    is_placeholder: bool = False
    is_held: bool = False
    # Links for the comment's author, in a thread made for them.
    can_edit: bool = False
    can_delete: bool = False


# What a thread reads of each comment, and of its account. Rows are read as
# tuples, not model instances: building 1,000 Comment instances costs more
# than rendering them.
COMMENT_COLUMNS = (
    "pk",
    "level",
    "tree_id",
    "lft",
    "rght",
    "status",
    "removal",
    "user_id",
    "author_name",
    "author_url",
    "kind",
    "body_html",
    "created_at",
    "edited_at",
    "in_reply_to_id",
)
ACCOUNT_COLUMNS = (
    "username",
    "display_name",
    "first_name",
    "last_name",
    "is_active",
    "avatar_small",
)


class ThreadRow:
    """One comment of a thread, with what the renderer reads of a Comment."""

    __slots__ = (*COMMENT_COLUMNS, "user", "is_approved", "display_name")


def thread_rows(post, tree_ids=None):
    """
    Every comment of the post (or of the threads `tree_ids`) as ThreadRows,
    thread after thread in the order shown, each thread in tree order.
    """
    comments = Comment.objects.thread(post)
    if tree_ids is not None:
        comments = comments.filter(tree_id__in=tree_ids)
    if settings.COMMENTS_NEWEST_FIRST:
        comments = comments.order_by("-tree_id", "lft")
    values = comments.values_list(
        *COMMENT_COLUMNS, *(f"user__{name}" for name in ACCOUNT_COLUMNS)
    )
    accounts = {}  # one User per account, however many comments it wrote
    rows = []
    approved = Comment.Status.APPROVED
    width = len(COMMENT_COLUMNS)
    for value in values:
        row = ThreadRow()
        for name, column in zip(COMMENT_COLUMNS, value, strict=False):
            setattr(row, name, column)
        row.user = None
        if row.user_id:
            row.user = accounts.get(row.user_id)
            if row.user is None:
                row.user = accounts[row.user_id] = get_user_model()(
                    pk=row.user_id,
                    **dict(zip(ACCOUNT_COLUMNS, value[width:], strict=True)),
                )
        row.is_approved = row.status == approved
        row.display_name = Comment.display_name.fget(row)
        rows.append(row)
    return rows


def visible_items(comments, viewer=NO_VIEWER_COMMENTS):
    """
    The comments the public sees, in tree order, from all of a post's comments
    in tree order: the approved ones, plus, as placeholders, any hidden
    comment that still has an approved reply below it, so that replies keep
    their place and their context.

    `viewer` holds the visitor's own comments: those waiting for a moderator
    are shown to them as well, keeping their place the same way, and their
    comments get the links to edit or delete them.
    """
    comments = list(comments)
    held = viewer.held
    shown = [False] * len(comments)
    ancestors = []  # indexes of the comments enclosing the current one
    for index, comment in enumerate(comments):
        while ancestors and (
            comments[ancestors[-1]].tree_id != comment.tree_id
            or comments[ancestors[-1]].rght < comment.lft
        ):
            ancestors.pop()
        if comment.is_approved or comment.pk in held:
            shown[index] = True
            # An ancestor already shown has had its own ancestors marked.
            for ancestor in reversed(ancestors):
                if shown[ancestor]:
                    break
                shown[ancestor] = True
        ancestors.append(index)
    return [
        ThreadItem(
            comment,
            is_placeholder=not comment.is_approved and comment.pk not in held,
            is_held=comment.pk in held,
            can_edit=comment.pk in viewer.editable,
            can_delete=comment.pk in viewer.deletable,
        )
        for comment, is_shown in zip(comments, shown, strict=True)
        if is_shown
    ]


def thread_bytes(post, page=1):
    """
    A page of the post's public thread as one HTML list, UTF-8 encoded
    (empty when nothing shows), from the cache when these versions were
    rendered before.
    """
    key = thread_cache_key(post, page)
    html = cache.get(key)
    if html is None:
        html = thread_html(post, visible_items(page_rows(post, page))).encode()
        cache.set(key, html, THREAD_CACHE_SECONDS)
    return html


def thread_cache_key(post, page=1):
    """Where a page of the thread is cached, as paged and ordered now."""
    order = "newest" if settings.COMMENTS_NEWEST_FIRST else "oldest"
    fragment = f"thread:{order}:{settings.COMMENTS_PER_PAGE}:{page}"
    return Discussion.of(post).cache_key(fragment)


def page_rows(post, page, viewer=NO_VIEWER_COMMENTS):
    """
    The rows of a page's threads: all of them when the discussion fits on one
    page; with the viewer's threads that have no approved comment yet, on
    the page they would be on.
    """
    discussion = Discussion.of(post)
    if not thread_pages.is_paged(discussion):
        return thread_rows(post)
    tree_ids = thread_pages.page_tree_ids(post, page)
    if viewer.held:
        for comment in Comment.objects.filter(pk__in=viewer.held).only("tree_id"):
            comment.post = post
            if (
                comment.tree_id not in tree_ids
                and thread_pages.page_of(comment) == page
            ):
                tree_ids.append(comment.tree_id)
    return thread_rows(post, tree_ids)


def viewer_thread_bytes(request, post, page=1):
    """
    The thread as this visitor sees it, UTF-8 encoded: the shared one from
    thread_bytes(), or, when they wrote comments on the post (signed in, or
    from this browser), one made for them, with their waiting comments in
    their places and links to edit or delete their own (one query more, for
    their comments, and one for the thread itself).
    """
    viewer = viewer_comments(request, post)
    if not viewer:
        return thread_bytes(post, page)
    rows = page_rows(post, page, viewer)
    return thread_html(post, visible_items(rows, viewer)).encode()
