"""
The comments of an imported WordPress post (blog.wordpress), with their
threads, into the post's discussion.

Speed: new threads are numbered here, in date order, and inserted together,
a level at a time (an INSERT per level and 500 comments), where saving
comment by comment has django-mptt read and shift the tree for each:
10,000 comments in 1,000 threads took 2.4–3.0 s this way on SQLite, against
14.6–16.4 s one save at a time (the generated export of bench/importing.py).
A new reply to a comment an earlier import brought goes through
django-mptt's save(), as the site's own replies do: a newer export of a site
adds few.
"""

import ipaddress
import re
from html import unescape

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Max
from django.utils.html import strip_tags

from blog.wordpress.importing import checked_url

from ..models import Comment, Discussion
from ..services import reply_parent, tree_id_lock

STATUSES = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.REMOVED,
    "post-trashed": Comment.Status.REMOVED,
}
PINGS = {"pingback": Comment.Kind.PINGBACK, "trackback": Comment.Kind.TRACKBACK}
BATCH_SIZE = 500
LINK = re.compile(
    r"""<a\s[^>]*?href=(["'])(?P<url>.*?)\1[^>]*>(?P<text>.*?)</a\s*>""",
    re.IGNORECASE | re.DOTALL,
)


class CommentImport:
    def __init__(self, *, report, accounts_by_id, with_pings=False):
        self.report = report
        # WordPress user id → account, for comments by the site's authors.
        self.accounts_by_id = accounts_by_id
        self.with_pings = with_pings
        self.next_tree_id = None
        self.new_threads = []  # comments of new threads, to be inserted together
        self.new_discussions = []  # for posts that had none, to be inserted too
        self.changed = set()  # the pks of posts whose discussions changed

    def add(self, post, item):
        """Bring in the item's comments on `post`, and whether it takes more."""
        is_changed, is_new = self.open_or_close(post, item)
        records = [record for record in item.comments if self.is_wanted(record, item)]
        existing = {}
        if not is_new:  # a post with no discussion yet has no imported comments
            comments = Comment.objects.filter(post=post, wordpress_id__isnull=False)
            existing = {comment.wordpress_id: comment for comment in comments}
        for record in records:
            comment = existing.get(record.wordpress_id)
            if comment is not None:
                is_changed |= self.update(comment, record, item)
        new = [record for record in records if record.wordpress_id not in existing]
        if new:
            self.insert(post, item, new, existing)
            is_changed = True
        if is_changed:
            self.changed.add(post.pk)
        if len(self.new_threads) >= BATCH_SIZE:
            self.save()

    def finish(self):
        self.save()

    def save(self):
        """Insert the new threads waiting, then recount their posts' comments."""
        Discussion.objects.bulk_create(self.new_discussions, batch_size=BATCH_SIZE)
        self.new_discussions = []
        self.insert_threads(self.new_threads)
        self.new_threads = []
        Discussion.objects.filter(post__in=self.changed).mark_changed()
        self.changed = set()

    def open_or_close(self, post, item):
        """
        Lock the post's discussion, as every write to its comments does
        (services.discussion_lock), and open or close it as WordPress had
        it; a post without one gets one when the new threads are inserted.
        Returns whether it changed, and whether it is new.
        """
        is_open = item.comment_status == "open"
        discussion = Discussion.objects.select_for_update().filter(post=post).first()
        if discussion is None:
            self.new_discussions.append(Discussion(post=post, is_open=is_open))
            return True, True
        if discussion.is_open == is_open:
            return False, False
        discussion.is_open = is_open
        discussion.save(update_fields=["is_open"])
        return True, False

    def is_wanted(self, record, item):
        if record.wordpress_id is None:
            self.report.note(
                "comments", f"A comment on {item.label} has no id; skipped."
            )
            return False
        if record.type in PINGS and not self.with_pings:
            self.report.count(f"{record.type}s", "skipped")
            return False
        return True

    def fields_of(self, record, item):
        status = STATUSES.get(record.approved)
        if status is None:
            self.report.note(
                "comments",
                f"Comment {record.wordpress_id} on {item.label}: status "
                f"“{record.approved}” is unknown; held for moderation.",
            )
            status = Comment.Status.PENDING
        account = self.accounts_by_id.get(record.user_id)
        return {
            "user": account,
            "author_name": "" if account else unescape(record.author).strip()[:100],
            "author_email": "" if account else checked_email(record.email),
            "author_url": "" if account else checked_url(record.url, max_length=300),
            "body": comment_text(record.content),
            "kind": PINGS.get(record.type, Comment.Kind.COMMENT),
            "status": status,
            # WordPress's trash is a moderator's.
            "removal": Comment.Removal.MODERATOR
            if status == Comment.Status.REMOVED
            else "",
            "created_at": record.date or item.date,
            "ip_address": checked_ip_address(record.ip_address),
        }

    def update(self, comment, record, item):
        """Bring an imported comment up to date; returns whether it changed."""
        fields = self.fields_of(record, item)
        if fields["created_at"] is None:
            fields["created_at"] = comment.created_at
        changed = [
            name for name, value in fields.items() if getattr(comment, name) != value
        ]
        if not changed:
            self.report.count("comments", "unchanged")
            return False
        for name in changed:
            setattr(comment, name, fields[name])
        comment.save(update_fields=changed)
        self.report.count("comments", "updated")
        return True

    def insert(self, post, item, records, existing):
        """
        Add comments new to the post: new threads numbered and inserted in
        bulk, replies to comments already here one at a time through
        django-mptt. Each reply goes where the site's own would
        (reply_parent), and keeps whom it answers.
        """
        nodes = {}
        for record in records:
            fields = self.fields_of(record, item)
            fields["created_at"] = fields["created_at"] or post.published_at
            nodes[record.wordpress_id] = Comment(
                post=post, wordpress_id=record.wordpress_id, level=0, **fields
            )
        replies = {}  # WordPress id → the new comments that answer it
        roots = []
        for record in sorted(records, key=lambda record: record.wordpress_id):
            node, parent_id = nodes[record.wordpress_id], record.parent_id
            is_known = parent_id in nodes or parent_id in existing
            if parent_id is not None and not is_known:
                self.report.note(
                    "comments",
                    f"Comment {record.wordpress_id} on {item.label} answers "
                    f"comment {parent_id}, which is not in the file; shown at "
                    "the top of the thread.",
                )
                parent_id = None
            if parent_id is None:
                roots.append(node)
            else:
                replies.setdefault(parent_id, []).append(node)
        place_replies([*roots, *existing.values()], replies)
        while replies:
            # Replies that answer each other in a circle, which no walk from a
            # thread reaches: the first starts a thread, the rest follow it.
            parent_id, group = next(iter(replies.items()))
            looped = group.pop(0)
            if not group:
                del replies[parent_id]
            self.report.note(
                "comments",
                f"Comment {looped.wordpress_id} on {item.label} is in a loop of "
                "replies; shown at the top of the thread.",
            )
            place_replies([looped], replies)
        under_existing = []
        for node in nodes.values():
            if in_new_thread(node):
                self.new_threads.append(node)
            else:
                under_existing.append(node)
        self.insert_replies(under_existing)
        for _ in records:
            self.report.count("comments", "created")

    def insert_replies(self, nodes):
        """
        Save replies to comments already here one by one, parents first, as
        the site's own are: django-mptt makes room for each in its thread.
        """
        answering = [(node, node.in_reply_to) for node in nodes if node.in_reply_to]
        for node, _ in answering:
            node.in_reply_to = None  # it may be saved after the reply
        for node in sorted(nodes, key=lambda node: (node.level, *date_order(node))):
            node.save()
        for node, replied_to in answering:
            node.in_reply_to = replied_to
            node.save(update_fields=["in_reply_to"])

    def insert_threads(self, members):
        """Number new threads, replies in date order, and insert them in bulk."""
        if not members:
            return
        if self.next_tree_id is None:
            tree_id_lock()
            highest = Comment.objects.aggregate(Max("tree_id"))["tree_id__max"]
            self.next_tree_id = (highest or 0) + 1
        replies = {}
        for node in members:
            if node.parent is not None:
                replies.setdefault(id(node.parent), []).append(node)
        for siblings in replies.values():
            siblings.sort(key=date_order)
        roots = [node for node in members if node.parent is None]
        for root in sorted(roots, key=date_order):
            root.tree_id = self.next_tree_id
            self.next_tree_id += 1
            number(root, replies, cursor=1)
        levels = {}
        for node in members:
            node.render_markup()
            levels.setdefault(node.level, []).append(node)
        # Parents before their replies, so that each reply can name its parent.
        # A reply the depth limit moved answers a comment on its own level,
        # which it names once both are in.
        answering = [(node, node.in_reply_to) for node in members if node.in_reply_to]
        for node, _ in answering:
            node.in_reply_to = None
        for level in sorted(levels):
            Comment.objects.bulk_create(levels[level], batch_size=BATCH_SIZE)
        for node, replied_to in answering:
            node.in_reply_to = replied_to
        Comment.objects.bulk_update(
            [node for node, _ in answering], ["in_reply_to"], batch_size=BATCH_SIZE
        )


def place_replies(comments, replies):
    """
    Give the new replies to `comments` (and to those replies, down the
    thread) their parents, removing them from `replies`.
    """
    stack = list(comments)
    while stack:
        comment = stack.pop()
        for reply in replies.pop(comment.wordpress_id, []):
            parent = reply_parent(comment)
            reply.parent = parent
            reply.in_reply_to = comment if parent is not comment else None
            reply.level = parent.level + 1
            stack.append(reply)


def in_new_thread(node):
    """Whether no comment above `node` is in the database yet."""
    while node.parent is not None:
        if node.parent.pk is not None:
            return False
        node = node.parent
    return True


def number(node, children, *, cursor):
    """Left and right numbers for a thread's comments: django-mptt's layout."""
    node.lft = cursor
    for child in children.get(id(node), []):
        child.tree_id = node.tree_id
        child.level = node.level + 1
        cursor = number(child, children, cursor=cursor + 1)
    node.rght = cursor + 1
    return node.rght


def date_order(comment):
    return (comment.created_at, comment.wordpress_id)


def comment_text(html):
    """
    A WordPress comment's HTML as the plain text comments are written in
    here: paragraphs and line breaks kept, a link's address written after
    its text (threads make addresses links again), other markup dropped.
    """

    def link(match):
        text = strip_tags(match["text"]).strip()
        url = match["url"].strip()
        return url if not text or text == url else f"{text} ({url})"

    text = re.sub(r"<br\s*/?>", "\n", html, flags=re.IGNORECASE)
    text = re.sub(r"</p\s*>", "\n\n", text, flags=re.IGNORECASE)
    text = unescape(strip_tags(LINK.sub(link, text)))
    return re.sub(r"\n{3,}", "\n\n", text.replace("\r\n", "\n")).strip()


def checked_email(email):
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email


def checked_ip_address(address):
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None
