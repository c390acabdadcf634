"""
Mail goes out through the site's own task backend, the database: a comment
POST only enqueues it, and `manage.py db_worker` sends it. Run here in this
process (`--batch`: what is due, then stop) and as a real worker process
beside gunicorn, which is what `make run` and production run.

A busy thread sends each reader one mail, then one digest of what came
within COMMENTS_MAIL_INTERVAL; a held comment sends readers nothing.
"""

import datetime
import email
import email.policy
import http.cookiejar
import io
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bench.load import HOST, gunicorn_server
from comments.models import Ban, Comment, ThreadMail
from tests.builders import make_comment, make_known_guest, make_user
from tests.config.test_settings import manage, operator_environment

# Committed for real: the worker closes a connection it finds inside a
# transaction, as a test's own would be.
pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def worker(settings, django_capture_on_commit_callbacks):
    """
    The database backend, and `db_worker --batch` run until nothing due is
    left: a task's own mail is a task, enqueued when the first commits.
    """
    settings.TASKS = DATABASE_TASKS

    def work():
        while DBTaskResult.objects.ready().exists():
            with django_capture_on_commit_callbacks(execute=True):
                call_command(
                    "db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO()
                )

    return work


@pytest.fixture
def follower(post):
    account = make_user(email="follower@example.org", is_email_verified=True)
    client = Client()
    client.force_login(account)
    client.post(reverse("comments:post-follow", args=[post.slug]))
    return account


def mail_to(outbox, address):
    return [message for message in outbox if message.to == [address]]


def send_known(send_comment, post, body):
    return send_comment(Client(), post, author_email="known@example.org", body=body)


def test_a_comment_post_only_enqueues_its_mail(
    post, follower, send_comment, worker, mailoutbox
):
    make_known_guest(post, email="known@example.org")

    response = send_known(send_comment, post, "Enqueued, not sent.")

    assert response.status_code == 302
    assert mailoutbox == []
    assert DBTaskResult.objects.ready().count() == 1
    worker()
    assert [m.subject for m in mail_to(mailoutbox, follower.email)] == [
        f"New comment on “{post.title}”"
    ]


def test_a_held_comment_sends_readers_nothing(
    post, follower, moderator, send_comment, worker, mailoutbox
):
    send_comment(Client(), post, author_email="new@example.org", body="Held.")
    worker()

    assert Comment.objects.get(body="Held.").status == Comment.Status.PENDING
    assert mail_to(mailoutbox, follower.email) == []
    assert [m.to for m in mailoutbox] == [[moderator.email]]


def test_a_busy_thread_sends_one_mail_then_one_digest(
    post, follower, send_comment, worker, mailoutbox, settings
):
    settings.COMMENTS_MAIL_INTERVAL = datetime.timedelta(minutes=10)
    make_known_guest(post, email="known@example.org")
    for n in range(5):
        send_known(send_comment, post, f"Busy comment {n}.")
    worker()

    first = mail_to(mailoutbox, follower.email)
    assert len(first) == 1 and "Busy comment 0." in first[0].body
    # The other four wait for the end of the interval, in one deferred task.
    deferred = DBTaskResult.objects.filter(status="READY")
    assert deferred.count() == 1
    due = ThreadMail.objects.get(email=follower.email).digest_due_at
    assert deferred.get().run_after == due
    assert due - timezone.now() > datetime.timedelta(minutes=9)

    # Ten minutes later.
    deferred.update(run_after=timezone.now())
    worker()

    mail = mail_to(mailoutbox, follower.email)
    assert len(mail) == 2
    digest = mail[1]
    assert digest.subject == f"4 new comments on “{post.title}”"
    for n in range(1, 5):
        assert f"Busy comment {n}." in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_comment_removed_before_its_digest_is_left_out(
    post, follower, send_comment, worker, mailoutbox, moderator_client
):
    make_known_guest(post, email="known@example.org")
    for body in ["Kept.", "Then kept.", "Then removed."]:
        send_known(send_comment, post, body)
    worker()
    removed = Comment.objects.get(body="Then removed.")
    moderator_client.post(
        reverse("admin:comments_comment_moderate", args=[removed.pk]),
        {"moderation": "remove"},
    )

    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    worker()

    digest = mail_to(mailoutbox, follower.email)[1]
    assert "Then kept." in digest.body and "Then removed." not in digest.body
    assert digest.subject == f"New comment on “{post.title}”"


def test_a_ban_ends_on_its_date_by_the_worker(
    post, moderator_client, worker, django_capture_on_commit_callbacks
):
    account = make_user()
    hidden = make_comment(post=post, user=account, body="Hidden a week.")
    ends = timezone.localtime() + datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(
            reverse("admin:comments_ban_add"),
            {
                "user": account.pk,
                "reason": "A week off",
                "hides_past": "on",
                "ends_at_0": ends.strftime("%Y-%m-%d"),
                "ends_at_1": ends.strftime("%H:%M:%S"),
            },
        )
    task = DBTaskResult.objects.get(task_path="comments.tasks.bans_end")
    assert task.run_after == Ban.objects.get().ends_at
    worker()  # not due yet
    hidden.refresh_from_db()
    assert hidden.status == Comment.Status.REMOVED

    # A week later.
    Ban.objects.update(ends_at=timezone.now())
    DBTaskResult.objects.filter(pk=task.pk).update(run_after=timezone.now())
    worker()

    hidden.refresh_from_db()
    assert hidden.status == Comment.Status.APPROVED


# A real worker process beside gunicorn, on a site of its own.

SETUP = """
from blog.models import Post
from comments.models import ConfirmedAddress, TrustedAuthor
ConfirmedAddress.objects.create(email="known@example.org")
TrustedAuthor.objects.create(email="known@example.org")
print(Post.objects.published().filter(kind="post").first().get_absolute_url())
"""


class Browser:
    """A reader's cookies and the site's forms, over HTTP on loopback."""

    def __init__(self, port):
        self.base = f"http://{HOST}:{port}"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path):
        with self.opener.open(self.base + path, timeout=10) as response:
            return response.read().decode()

    def post(self, path, page, data):
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=10) as response:
            return response.read().decode()

    def comment(self, post_path, body, email):
        page = self.get(post_path)
        timestamp = re.search(r'name="timestamp" value="([^"]+)"', page)[1]
        slug = post_path.strip("/").split("/")[-1]
        fields = {"author_name": "A reader", "author_email": email, "body": body}
        return self.post(
            f"/posts/{slug}/comments/", page, {**fields, "timestamp": timestamp}
        )


def read_mail(folder):
    """Every message the file backend wrote, oldest first, parsed."""
    messages = []
    for path in sorted(Path(folder).glob("*.log"), key=lambda p: p.stat().st_mtime):
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if raw.strip():
                messages.append(
                    email.message_from_bytes(raw, policy=email.policy.default)
                )
    return messages


def wait_for_mail(folder, count, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if len(messages := read_mail(folder)) >= count:
            return messages
        time.sleep(0.2)
    return read_mail(folder)


@pytest.fixture
def live_site(tmp_path):
    """Migrated and seeded, with a trusted guest; its env and a post's address."""
    env = {
        "DJANGO_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_DEBUG": "true",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "DJANGO_EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "COMMENTS_MIN_SECONDS": "0",
        "COMMENTS_RATE_LIMIT_PER_MINUTE": "100",
        "COMMENTS_MAIL_MINUTES": "0.05",  # 3 seconds
        "BLOG_SITE_URL": "http://blog.example.org",
    }
    for command in (["migrate", "--noinput"], ["loadseed"]):
        result = manage(*command, env=env)
        assert result.returncode == 0, result.stderr
    setup = manage("shell", "--no-imports", "-c", SETUP, env=env)
    assert setup.returncode == 0, setup.stderr
    return env, setup.stdout.strip()


@pytest.fixture
def worker_process(live_site):
    env, _ = live_site
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-startup-delay",
            "--interval",
            "0.2",
        ],
        cwd=settings.BASE_DIR,
        env=operator_environment(env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_a_real_worker_process_sends_the_mail_and_the_digest(
    live_site, worker_process, tmp_path
):
    env, post_path = live_site
    mail_folder = tmp_path / "mail"
    with gunicorn_server(workers=1, env=operator_environment(env)) as port:
        follower = Browser(port)
        page = follower.get(post_path)
        slug = post_path.strip("/").split("/")[-1]
        follower.post(f"/posts/{slug}/follow/", page, {"email": "bea@example.org"})
        [confirmation] = wait_for_mail(mail_folder, 1)
        link = re.search(r"(/comments/follow/\S+/)", confirmation.get_content())[1]
        follower.post(link, follower.get(link), {})

        guest = Browser(port)
        guest.comment(post_path, "A first comment, held.", "new@example.org")
        guest.comment(post_path, "Published at once.", "known@example.org")
        messages = wait_for_mail(mail_folder, 2)
        for n in range(3):
            guest.comment(post_path, f"Busy {n}.", "known@example.org")
        messages = wait_for_mail(mail_folder, 3)
        time.sleep(1)  # nothing more is on its way
        messages = read_mail(mail_folder)

    assert worker_process.poll() is None, "the worker stopped"
    to_bea = [m for m in messages if m["To"] == "bea@example.org"]
    assert len(to_bea) == 3  # the confirmation, one comment, one digest
    assert to_bea[1]["Subject"].startswith("New comment on “")
    assert "Published at once." in to_bea[1].get_content()
    assert to_bea[2]["Subject"].startswith("3 new comments on “")
    digest = to_bea[2].get_content()
    assert all(f"Busy {n}." in digest for n in range(3))
    assert to_bea[2]["List-Unsubscribe"].startswith("<http://blog.example.org/")
    assert all("A first comment, held." not in m.get_content() for m in to_bea)
