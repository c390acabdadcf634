"""
Which comments a visitor wrote, and may therefore still change: an
account's are its own wherever it signs in; a guest's are those written
from this browser, whose session (signed, kept on the server) remembers
them.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import Comment
from .moderation import is_open_for_comments

SESSION_KEY = "comments_written"
SESSION_LIMIT = 50


def remember_written_comment(request, comment):
    written = request.session.get(SESSION_KEY, [])
    request.session[SESSION_KEY] = [*written, comment.pk][-SESSION_LIMIT:]


def written_in_session(request):
    session = getattr(request, "session", None)
    return session.get(SESSION_KEY, []) if session is not None else []


def is_own_comment(request, comment):
    if request.user.is_authenticated and comment.user_id == request.user.pk:
        return True
    return comment.user_id is None and comment.pk in written_in_session(request)


def own_comments(request):
    """The visitor's comments (none without an account or a session that wrote any)."""
    written = written_in_session(request)
    mine = Q(user__isnull=True, pk__in=written) if written else Q(pk__in=[])
    if request.user.is_authenticated:
        mine |= Q(user=request.user)
    return Comment.objects.filter(mine).exclude(status=Comment.Status.REMOVED)


def has_own_comments(request):
    return request.user.is_authenticated or bool(written_in_session(request))


@dataclass(frozen=True)
class ViewerComments:
    """The visitor's comments on one post, by what the thread shows them."""

    held: frozenset = frozenset()  # waiting for a moderator (or caught as spam)
    editable: frozenset = frozenset()
    deletable: frozenset = frozenset()  # every one of theirs still shown

    def __bool__(self):
        # The held and the editable are among the deletable.
        return bool(self.deletable)


NO_VIEWER_COMMENTS = ViewerComments()


def viewer_comments(request, post):
    """
    The visitor's comments on the post: one query, and none for a visitor
    who has written nothing here from this browser and is not signed in.
    """
    if not has_own_comments(request):
        return NO_VIEWER_COMMENTS
    rows = (
        own_comments(request)
        .for_post(post)
        .with_reply_flag()
        .values_list("pk", "status", "created_at", "has_replies")
    )
    held, editable, deletable = set(), set(), set()
    now, is_open = timezone.now(), is_open_for_comments(post)
    for pk, status, created_at, has_replies in rows:
        deletable.add(pk)
        if status != Comment.Status.APPROVED:
            held.add(pk)
        if is_open and not edit_refusal(status, created_at, has_replies, now=now):
            editable.add(pk)
    return ViewerComments(frozenset(held), frozenset(editable), frozenset(deletable))


def comment_edit_refusal(comment):
    """Why its author can no longer edit this comment, or "" if they can."""
    if not is_open_for_comments(comment.post):
        return "Comments are closed on this post, so this one can no longer change."
    return edit_refusal(comment.status, comment.created_at, comment.has_replies())


def edit_refusal(status, created_at, has_replies, *, now=None):
    """
    Why its author can no longer edit a comment, or "" if they can: an
    author may edit within COMMENTS_EDIT_WINDOW, until someone replies, and
    not once a rule or moderator took it for spam.
    """
    window = settings.COMMENTS_EDIT_WINDOW
    if status not in {Comment.Status.APPROVED, Comment.Status.PENDING}:
        return "This comment can no longer be edited."
    if created_at < (now or timezone.now()) - window:
        minutes = int(window.total_seconds() // 60)
        return f"A comment can be edited for {minutes} minutes after it is sent."
    if has_replies:
        return "Someone has replied to this comment, so it can no longer be edited."
    return ""
