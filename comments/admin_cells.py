"""
The moderation desk's cells, as HTML made in Python (comments/admin.py
shows them; static/comments/admin/queue.css styles them): the queue's rows,
and a comment page's last action and follow-ups.

Fifty rows of five cells, measured by `make bench` on SQLite with 100,000
comments: rendered by four templates a row, the queue page took 200 ms;
made with format_html(), 160 ms; and 84 ms once the authors' records were
counted from an index alone (CommentQuerySet.with_author_record). The plain
ten-column changelist before this queue took 59 ms in the same runs.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.timezone import localtime

from accounts.names import is_mixed_script, scripts

# Longer comments show their first words, with the rest behind a summary.
FULL_TEXT_WORDS = 60
SUMMARY_WORDS = 40


def comment_cell(comment):
    """The comment's text, and where it was written and to whom."""
    words = len(comment.body.split())
    if words > FULL_TEXT_WORDS:
        body = format_html(
            '<details class="queue-body"><summary>{} '
            '<span class="queue-more">Read all {} words</span></summary>{}</details>',
            Truncator(comment.body).words(SUMMARY_WORDS, truncate=" …"),
            words,
            linebreaks(comment.body, autoescape=True),
        )
    else:
        body = format_html(
            '<div class="queue-body">{}</div>',
            linebreaks(comment.body, autoescape=True),
        )
    replied_to = comment.replied_to
    reply = ""
    if replied_to is not None:
        reply = format_html(
            " · in reply to {}: “{}”",
            replied_to.display_name,
            Truncator(" ".join(replied_to.body.split())).words(12, truncate="…"),
        )
    queue = reverse("admin:comments_comment_changelist")
    return format_html(
        '<div id="comment-{pk}" class="queue-comment">{body}'
        '<p class="queue-context">On <a href="{queue}?post={post_pk}">{title}</a>'
        '{reply} · <a href="{thread}#comment-{pk}">Thread</a>'
        ' · <a href="{details}">Details</a></p></div>',
        pk=comment.pk,
        body=body,
        queue=queue,
        post_pk=comment.post_id,
        title=comment.post.title,
        reply=reply,
        thread=reverse("admin:comments_comment_thread", args=[comment.post_id]),
        details=reverse("admin:comments_comment_change", args=[comment.pk]),
    )


def author_cell(comment):
    """Who wrote it, from where, and how their comments have fared."""
    name = comment.display_name
    badges = format_html_join(
        "",
        ' <span class="queue-badge{}">{}</span>',
        [
            (cls, label)
            for cls, label, shown in [
                ("", "account", comment.user_id),
                (" queue-trusted", "trusted", comment.is_author_trusted),
            ]
            if shown
        ],
    )
    look_alike = ""
    if is_mixed_script(name):
        # Letters of several scripts in one name: often a look-alike of
        # someone else's (accounts.names).
        look_alike = format_html(
            '<strong class="look-alike">⚠ mixed scripts: {}</strong>',
            ", ".join(sorted(scripts(name))).title(),
        )
    details = format_html_join(
        "",
        '<span class="{}">{}</span>',
        [
            (cls, value)
            for cls, value in [
                ("queue-email", comment.notification_email),
                ("queue-ip", comment.ip_address),
            ]
            if value
        ],
    )
    return format_html(
        '<div class="queue-author"><strong>{}</strong>{}{}{}'
        '<span class="queue-record">{} approved · {} spam</span></div>',
        name,
        badges,
        look_alike,
        details,
        comment.author_approved_count,
        comment.author_spam_count,
    )


def status_cell(comment):
    """The status, and the rule (or moderator) that gave it."""
    reason = ""
    if comment.reason_text:
        reason = format_html(
            '<span class="queue-reason">{}</span>', comment.reason_text
        )
    reason_class = (
        f" queue-reason-{comment.moderation_reason}"
        if comment.moderation_reason
        else ""
    )
    return format_html(
        '<div class="queue-status queue-status-{}{}"><strong>{}</strong>{}</div>',
        comment.status,
        reason_class,
        comment.get_status_display(),
        reason,
    )


def received_cell(comment):
    at = localtime(comment.created_at)
    return format_html(
        '<time datetime="{}">{}<br>{}</time>',
        at.isoformat(timespec="seconds"),
        date_format(at, "j M Y"),
        date_format(at, "H:i"),
    )


def moderation_buttons(comment, *, next_url=None):
    """
    The comment's one-click buttons for its status. With `next_url` they sit
    in the queue's changelist form and each posts it to the comment's own
    address (formaction), then comes back to `next_url`; without, they go in
    a form of their own (the thread view's).
    """
    attrs = ""
    if next_url is not None:
        attrs = format_html(
            ' formaction="{}?{}" formmethod="post" formnovalidate',
            reverse("admin:comments_comment_moderate", args=[comment.pk]),
            urlencode({"next": next_url}),
        )
    status, Status = comment.status, comment.Status
    may_trust = not comment.is_author_trusted and not (
        comment.user_id and comment.user.is_staff
    )
    buttons = [
        ("approve", "a", "Approve", status != Status.APPROVED),
        ("spam", "s", "Spam", status != Status.SPAM),
        ("remove", "r", "Remove", status != Status.REMOVED),
        (
            "trust",
            "t",
            "Trust author" if status == Status.APPROVED else "Approve & trust",
            may_trust,
        ),
        ("restore", "", "To the queue", status in {Status.SPAM, Status.REMOVED}),
    ]
    return format_html(
        '<div class="moderation-buttons">{}</div>',
        format_html_join(
            "",
            '<button type="submit" class="button moderation-{}" name="moderation" '
            'value="{}" data-key="{}"{}>{}</button>',
            [
                (action, action, key, attrs, label)
                for action, key, label, shown in buttons
                if shown
            ],
        ),
    )


def last_action_cell(comment):
    """
    The comment's last moderation action, with a button that undoes it if a
    moderator took it. The button posts the change form's CSRF token to the
    undo view, naming the action, so that an undo from a page gone stale
    (another moderator acted since) is refused rather than taking back theirs.
    """
    event = comment.moderation_events.select_related("moderator", "undone_by").first()
    if event is None:
        return "—"
    when = date_format(localtime(event.created_at), "j M Y, H:i")
    text = format_html("{} by {}, {}", event.get_action_display(), event.actor, when)
    if not event.is_undoable:
        return text
    return format_html(
        '{} <button type="submit" class="button moderation-undo" formnovalidate '
        'formmethod="post" formaction="{}" name="event" value="{}">Undo</button>',
        text,
        reverse("admin:comments_comment_undo", args=[comment.pk]),
        event.pk,
    )


def follow_up_cell(comment):
    """
    One-click follow-ups from a comment, for its page: hold every comment
    that links to one of the web domains it links to, or that has a word
    the moderator types, from now on. Like the Undo button, the buttons post
    the change form to a view of their own.
    """
    url = reverse("admin:comments_comment_follow_up", args=[comment.pk])
    button = (
        '<button type="submit" class="button" formnovalidate formmethod="post" '
        'formaction="{}" name="{}" value="{}">{}</button>'
    )
    domains = format_html_join(
        " ",
        button,
        [
            (url, "hold_domain", domain, f"Hold {domain}")
            for domain in link_domains(comment)
        ],
    )
    return format_html(
        '<div class="follow-ups">{}<span class="follow-up-word">'
        '<input type="text" name="follow_up_word" maxlength="100" '
        'aria-label="A word or domain" placeholder="a word or domain"> {} {}'
        "</span></div>",
        domains,
        format_html(button, url, "follow_up_action", "hold", "Always hold"),
        format_html(button, url, "follow_up_action", "spam", "Always spam"),
    )


def ban_links_cell(comment):
    """
    Links to the ban form with the comment's author filled in: their
    account, or a guest's address, and the address they wrote from.
    """
    add = reverse("admin:comments_ban_add")
    targets = []
    if comment.user_id:
        targets.append(("user", comment.user_id, "Ban this account"))
    elif comment.author_email:
        targets.append(("email", comment.author_email, "Ban this address"))
    if comment.ip_address:
        targets.append(("ip_network", comment.ip_address, f"Ban {comment.ip_address}"))
    if not targets:
        return "—"
    return format_html_join(
        " ",
        '<a class="button" href="{}?{}">{}</a>',
        [(add, urlencode({field: value}), label) for field, value, label in targets],
    )


def link_domains(comment):
    """The web domains a comment links to (its text and website), not the site's."""
    own = urlsplit(settings.BLOG_SITE_URL).hostname
    urls = [*re.findall(r'href="([^"]+)"', comment.body_html), comment.author_url]
    domains = []
    for url in urls:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        if host and host != own and host not in domains:
            domains.append(host)
    return domains
