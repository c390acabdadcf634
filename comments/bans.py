"""
Banning commenters, and ending bans. While a ban is in force the moderation
rules send its commenter's new comments to spam (moderation.moderate); a ban
that hides their past comments takes down every published or waiting one,
each logged, and puts back, when the ban ends, those nobody has acted on
since. A ban with an end date ends by itself: the rules stop applying it at
once, and bans_end_expired() brings back what it hid: run by a task due at
that date (with a backend that can defer tasks, as the database one), by
`manage.py end_expired_bans`, and when moderators open the list of bans.
"""

from django.db import transaction
from django.tasks import default_task_backend
from django.utils import timezone

from .models import Ban, Comment, ModerationEvent
from .services import discussion_changed, discussion_lock
from .tasks import bans_end

Action = ModerationEvent.Action

# What a ban that hides past comments takes down; spam and removed comments
# are down already.
HIDDEN_STATUSES = {Comment.Status.APPROVED, Comment.Status.PENDING}
EXPIRY_REASON = "The ban's end date passed"


def ban_create(*, ban, moderator):
    """
    Put `ban` (unsaved, checked) in force, log it, and hide the comments it
    covers if it says so. Returns how many comments it hid.
    """
    with transaction.atomic():
        ban.banned_by = moderator
        ban.save()
        ban_end_schedule(ban)
        ModerationEvent.objects.create(
            action=Action.BAN,
            ban=ban,
            moderator=moderator,
            after={"ban": ban.pk, "target": ban.target},
        )
        if not ban.hides_past:
            return 0
        return comments_hide(ban, moderator=moderator)


def ban_end_schedule(ban):
    """Have the worker end the ban on its date, if it has one."""
    if ban.ends_at is None or not default_task_backend.supports_defer:
        return
    ends_at = ban.ends_at
    transaction.on_commit(
        lambda: bans_end.using(run_after=ends_at).enqueue(), robust=True
    )


def comments_hide(ban, *, moderator):
    """Take down the comments `ban` covers, one post at a time, each logged."""
    comments = (
        ban.comments()
        .filter(status__in=HIDDEN_STATUSES)
        .select_related("post")
        # Posts are locked in one order by every writer of many at once.
        .order_by("post_id", "pk")
    )
    hidden, posts = 0, {}
    for comment in comments:
        if comment.post_id not in posts:
            discussion_lock(comment.post)
            posts[comment.post_id] = comment.post
        before = comment.moderation_state()
        comment.status, comment.removal = Comment.Status.REMOVED, Comment.Removal.BAN
        comment.save(update_fields=["status", "removal"])
        ModerationEvent.objects.record(
            comment, Action.BAN, moderator=moderator, before=before, ban=ban
        )
        hidden += 1
    for post in posts.values():
        discussion_changed(post)
    return hidden


def ban_end(*, ban, moderator=None):
    """
    End `ban` now: lifted by `moderator`, which undoes the ban's own log
    entry, or, with none, because its end date passed. The comments it hid
    come back as they were, unless another action on one came since.
    Returns how many came back; none if the ban had ended already.
    """
    with transaction.atomic():
        ban = Ban.objects.select_for_update().get(pk=ban.pk)
        if ban.ended_at is not None:
            return 0
        ban.ended_at = timezone.now() if moderator else ban.ends_at or timezone.now()
        ban.ended_by = moderator
        ban.save(update_fields=["ended_at", "ended_by"])
        banned = ban.moderation_events.filter(
            action=Action.BAN, comment__isnull=True
        ).first()
        reason = "" if moderator else EXPIRY_REASON
        ModerationEvent.objects.create(
            action=Action.UNBAN,
            ban=ban,
            moderator=moderator,
            reason=reason,
            before=banned.after if banned else {},
            after={"ban": ban.pk, "target": ban.target, "ended": True},
            undoes=banned if moderator and banned and banned.is_undoable else None,
        )
        return comments_bring_back(ban, moderator=moderator, reason=reason)


def comments_bring_back(ban, *, moderator, reason):
    hidings = (
        ban.moderation_events.filter(action=Action.BAN, comment__isnull=False)
        .select_related("comment__post", "undone_by")
        .order_by("comment__post_id", "pk")
    )
    brought_back, posts = 0, {}
    for hiding in hidings:
        comment = hiding.comment
        if comment.post_id not in posts:
            discussion_lock(comment.post)
            posts[comment.post_id] = comment.post
        latest = comment.moderation_events.only("pk").first()
        comment.refresh_from_db(fields=Comment.MODERATED_FIELDS)
        if latest.pk != hiding.pk or comment.moderation_state() != hiding.after:
            continue  # undone, or acted on since: the later action stands
        before = hiding.before
        comment.status, comment.removal = before["status"], before["removal"]
        comment.save(update_fields=["status", "removal"])
        ModerationEvent.objects.record(
            comment,
            Action.UNBAN,
            moderator=moderator,
            before=hiding.after,
            ban=ban,
            reason=reason,
            undoes=hiding,
        )
        brought_back += 1
    for post in posts.values():
        discussion_changed(post)
    return brought_back


def bans_end_expired(now=None):
    """End every ban whose end date has passed; returns how many ended."""
    expired = list(Ban.objects.expired(now))
    for ban in expired:
        ban_end(ban=ban)
    return len(expired)
