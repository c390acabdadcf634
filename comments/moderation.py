"""
The moderation rules, configured by the COMMENTS_* settings.

`moderate()` is a pure function: the caller looks up what it needs (whether
the author is known, how long the form took) and
gets back a verdict, so each rule can be read and tested on its own.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from accounts.rate_limits import is_within_limit

from .discussion_rules import rules_for
from .markup import render_body
from .models import Comment, Discussion


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: str = Comment.Reason.NONE
    detail: str = ""


def moderate(
    comment,
    *,
    is_known_author,
    honeypot_filled,
    seconds_to_submit,
    is_email_unverified=False,
    is_trusted=False,
    hold_words=(),
    block_words=(),
    ban=None,
    is_held_by_category=False,
):
    """
    Decide the status of a comment about to be saved.

    Spam rules come first (a banned author's or a bot's comment is spam even
    from a known address), then the rules that hold a comment for a
    moderator: the post's category's, if it holds every comment, then those
    a trusted author's comment skips. The words come from
    ModerationWord.objects.lists(): the environment's and the admin's.
    """
    text = " ".join(
        [comment.body, comment.author_name, comment.author_email, comment.author_url]
    )
    if ban is not None:
        return Verdict(Comment.Status.SPAM, Comment.Reason.BANNED, ban.reason)
    if honeypot_filled:
        return Verdict(Comment.Status.SPAM, Comment.Reason.HONEYPOT)
    if seconds_to_submit < settings.COMMENTS_MIN_SECONDS:
        return Verdict(
            Comment.Status.SPAM,
            Comment.Reason.TOO_FAST,
            f"{max(seconds_to_submit, 0):.1f} seconds",
        )
    if word := first_listed_word(text, block_words):
        return Verdict(Comment.Status.SPAM, Comment.Reason.BLOCK_WORD, word)
    if is_held_by_category:
        return Verdict(Comment.Status.PENDING, Comment.Reason.CATEGORY)
    if is_trusted:
        return Verdict(Comment.Status.APPROVED)
    if word := first_listed_word(text, hold_words):
        return Verdict(Comment.Status.PENDING, Comment.Reason.MODERATION_WORD, word)
    # Counted as the page will show them: whatever the body's rendering links.
    links = render_body(comment.body).count("<a ")
    if links > settings.COMMENTS_MAX_LINKS:
        return Verdict(
            Comment.Status.PENDING, Comment.Reason.TOO_MANY_LINKS, f"{links} links"
        )
    if is_email_unverified:
        return Verdict(Comment.Status.PENDING, Comment.Reason.UNVERIFIED_EMAIL)
    if not is_known_author:
        return Verdict(Comment.Status.PENDING, Comment.Reason.FIRST_COMMENT)
    return Verdict(Comment.Status.APPROVED)


def first_listed_word(text, words):
    """The first of `words` found in `text` as a whole word, ignoring case."""
    for word in words:
        word = word.strip()
        if word and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.I):
            return word
    return ""


def is_open_for_comments(post, *, now=None):
    """
    Whether a post takes new comments: published, open, and not older than
    its rules allow (the site's, or its categories').
    """
    if not post.is_published or not Discussion.of(post).is_open:
        return False
    days = rules_for(post).close_after_days
    if days is None:
        return True
    now = now or timezone.now()
    return post.published_at > now - datetime.timedelta(days=days)


def is_rate_limited(ip_address):
    """
    Count a comment from this address; True once the address has passed
    COMMENTS_RATE_LIMIT_PER_MINUTE within a minute of its first comment.
    """
    limit = settings.COMMENTS_RATE_LIMIT_PER_MINUTE
    return not is_within_limit("comments", ip_address, limit=limit, period=60)
