"""
The comments app's tasks (django.tasks), which the database backend keeps
until `manage.py db_worker` runs them: mail, so that no request waits on a
mail server, and the end of a ban on its date. Each takes ids and text,
which the backend stores as JSON; each imports what it runs when it runs,
as those modules enqueue these.
"""

from django.core.mail import EmailMessage
from django.tasks import task


@task
def mail_send(*, subject, body, to, headers=None):
    EmailMessage(subject=subject, body=body, to=to, headers=headers or {}).send()


@task
def comment_published_mail(comment_id):
    """Tell the readers of a thread of a comment just published in it."""
    from .thread_mail import readers_tell

    readers_tell(comment_id)


@task
def thread_digest_send(thread_mail_id):
    """Send the digest of what waited for one address's mail about a thread."""
    from .thread_mail import digest_send

    digest_send(thread_mail_id)


@task
def bans_end():
    """End the bans whose end date has passed, on time (comments.bans)."""
    from .bans import bans_end_expired

    bans_end_expired()
