"""
Comment posting under concurrency, against real servers on loopback.

gunicorn (4 workers, production settings) serves a scratch database that a
subprocess migrates and seeds; 16 client threads fetch post pages and post
top-level comments and replies at every depth into the same few threads,
while in the second scenario two moderators approve and remove comments in
the admin. Afterwards the database is read back in a subprocess and every
answer is checked against it: no 5xx, every accepted comment there exactly
once, every rejected one absent, every tree numbered as a rebuild would
number it, no tree id shared, comment counts right.

SQLite runs in the default pass and PostgreSQL in the PostgreSQL pass
(`python -m tests.services postgresql -- pytest -m concurrency`), on a scratch
database beside the suite's. Each run writes its figures to
test-artifacts/concurrency-<database>-<scenario>.json.
"""

import collections
import http.client
import json
import os
import random
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from comments.benchload import HOST, gunicorn_server

pytestmark = pytest.mark.concurrency

WORKERS = 4
CLIENTS = 16
COMMENTS_TO_POST = 220
MODERATORS = 2
# Bounds: the posting stops at this age even if not all comments are out.
SECONDS_LIMIT = 90
REQUEST_TIMEOUT = 30
POSTS = ["busy-thread", "quiet-thread", "third-thread"]
KNOWN_EMAILS = [f"regular{n}@example.org" for n in range(4)]
MODERATOR = {"username": "moderator", "password": "a-moderator-password-1"}
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
# The status recorded for a request that timed out or lost its connection.
NO_ANSWER = 0


# The two functions below run inside the server's database, in a subprocess
# (run_in_site), not in the test process.


def seed():
    """Three posts, each with approved threads down to the deepest level."""
    from tests import builders

    builders.make_moderator(email="moderator@example.org", **MODERATOR)
    for slug in POSTS:
        post = builders.make_post(slug=slug, title=slug.replace("-", " "))
        for thread in range(2):
            parent = None
            for level in range(settings.COMMENTS_MAX_DEPTH):
                email = KNOWN_EMAILS[(thread + level) % len(KNOWN_EMAILS)]
                parent = builders.make_comment(
                    post=post, parent=parent, author_email=email
                )
                if level:
                    builders.make_comment(post=post, parent=parent.parent)


def read_back():
    """Print the comments, the posts' counts, and what a rebuild would make."""
    from django.db import transaction

    from blog.models import Post
    from comments.models import Comment

    columns = ["pk", "post_id", "parent_id", "tree_id", "lft", "rght", "level"]
    rows = list(Comment.objects.order_by("pk").values(*columns, "status", "body"))
    with transaction.atomic():
        Comment.objects.rebuild()
        rebuilt = {
            row["pk"]: [row["lft"], row["rght"], row["level"]]
            for row in Comment.objects.values("pk", "lft", "rght", "level")
        }
        transaction.set_rollback(True)
    posts = list(Post.objects.values("pk", "slug", "comment_count"))
    print(json.dumps({"comments": rows, "rebuilt": rebuilt, "posts": posts}))


def run_in_site(env, code, *, timeout=120):
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def manage(env, *arguments):
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Collected once: production settings serve hashed static file names."""
    folder = tmp_path_factory.mktemp("concurrency-static")
    env = production_environment(folder, "sqlite:///" + str(folder / "unused.db"))
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    return folder / "static"


def production_environment(folder, database_url, static_root=None):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "concurrency-test-" + secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_VAR_DIR": str(folder),
        "DJANGO_STATIC_ROOT": str(static_root or folder / "static"),
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_LOG_LEVEL": "WARNING",
        # Concurrency, not the spam rules, is under test here: no "too fast"
        # verdicts and no rate limit, so every comment reaches the tree.
        "COMMENTS_MIN_SECONDS": "0",
        "COMMENTS_RATE_LIMIT_PER_MINUTE": "1000000",
    }


@pytest.fixture
def database_url(request, tmp_path):
    """A scratch database of the kind the suite runs on, dropped afterwards."""
    kind = request.param
    if connection.vendor != kind:
        pass_name = "default" if kind == "sqlite" else "PostgreSQL"
        pytest.skip(f"Runs in the {pass_name} pass of `make test`.")
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'concurrency.sqlite3'}"
        return
    server = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    admin_url = server._replace(path="/postgres").geturl()
    name = f"{connection.settings_dict['NAME']}_concurrency"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def site(database_url, static_root, tmp_path):
    """gunicorn serving a migrated, seeded database; yields (port, env, log)."""
    env = production_environment(tmp_path, database_url, static_root)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    run_in_site(env, "from tests.comments.test_concurrency import seed; seed()")
    log = tmp_path / "gunicorn.log"
    with gunicorn_server(workers=WORKERS, env=env, log_path=log) as port:
        yield port, env, log


class Browser:
    """One visitor: cookies carried from answer to answer, one request each."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, fields=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        client = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        try:
            client.request(method, path, body=body, headers=headers)
            response = client.getresponse()
            text = response.read().decode(errors="replace")
        except (OSError, http.client.HTTPException):
            return NO_ANSWER, "", ""
        finally:
            client.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers.get("Location", ""), text


def hidden(name, page):
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    return match and match.group(1)


def post_comments(port, *, stop_at, results):
    """CLIENTS threads posting COMMENTS_TO_POST comments between them."""
    tickets = iter(range(COMMENTS_TO_POST))
    ticket_lock = threading.Lock()

    def client(number):
        randomness = random.Random(number)
        browser = Browser(port)
        while time.monotonic() < stop_at:
            with ticket_lock:
                ticket = next(tickets, None)
            if ticket is None:
                return
            slug = randomness.choice(POSTS)
            status, _, page = browser.request(
                "GET", reverse("blog:post-detail", kwargs={"slug": slug})
            )
            if status != 200:
                results.append({"kind": "page", "status": status})
                continue
            targets = re.findall(r'data-parent="(\d+)"', page)
            roll = randomness.random()
            kind = "known" if roll < 0.72 else "new" if roll < 0.92 else "empty"
            token = f"token-{number}-{ticket}-{secrets.token_hex(4)}"
            email = (
                randomness.choice(KNOWN_EMAILS)
                if kind == "known"
                else f"{token}@example.org"
            )
            parent = randomness.choice(targets) if randomness.random() < 0.7 else ""
            status, location, _ = browser.request(
                "POST",
                reverse("comments:comment-create", kwargs={"slug": slug}),
                {
                    "csrfmiddlewaretoken": hidden("csrfmiddlewaretoken", page),
                    "timestamp": hidden("timestamp", page),
                    "parent": parent,
                    "author_name": f"Client {number}",
                    "author_email": email,
                    "body": "" if kind == "empty" else f"A comment, {token}.",
                    "subject": "",
                },
            )
            results.append(
                {
                    "kind": kind,
                    "token": token,
                    "status": status,
                    "location": location,
                    "is_reply": bool(parent),
                }
            )

    run_threads(client, CLIENTS, stop_at)


def moderate(port, *, until, results):
    """MODERATORS threads approving and removing comments until `until` is set."""

    def moderator(number):
        randomness = random.Random(100 + number)
        browser = Browser(port)
        login = reverse("admin:login")
        _, _, page = browser.request("GET", login)
        status, _, _ = browser.request(
            "POST",
            login,
            {
                **MODERATOR,
                "csrfmiddlewaretoken": hidden("csrfmiddlewaretoken", page),
                "next": reverse("admin:index"),
            },
        )
        results.append({"kind": "login", "status": status})
        changelist = reverse("admin:comments_comment_changelist")
        while not until.is_set():
            action, status_filter, most = randomness.choice(
                [("approve", "pending", 4), ("remove", "approved", 2)]
            )
            query = f"{changelist}?status__exact={status_filter}"
            status, _, page = browser.request("GET", query)
            chosen = re.findall(r'name="_selected_action" value="(\d+)"', page)
            if status != 200 or not chosen:
                results.append({"kind": "queue", "status": status})
                until.wait(0.2)
                continue
            status, _, _ = browser.request(
                "POST",
                query,
                {
                    "csrfmiddlewaretoken": hidden("csrfmiddlewaretoken", page),
                    "action": action,
                    "index": "0",
                    "select_across": "0",
                    "_selected_action": randomness.sample(
                        chosen, min(most, len(chosen))
                    ),
                },
            )
            results.append({"kind": action, "status": status})

    return [
        threading.Thread(target=moderator, args=(n,), daemon=True)
        for n in range(MODERATORS)
    ]


def run_threads(target, count, stop_at):
    threads = [
        threading.Thread(target=target, args=(n,), daemon=True) for n in range(count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        # A request gives up after REQUEST_TIMEOUT, so each thread ends by then.
        thread.join(timeout=max(stop_at - time.monotonic(), 0) + REQUEST_TIMEOUT + 5)


def nested_set(comments):
    """
    Each comment's (tree_id, lft, rght, level) as mptt would have written it:
    every comment is inserted as its parent's last child, so siblings stand
    in primary-key order, and each tree takes its root's tree_id.
    """
    children = collections.defaultdict(list)
    for comment in comments:
        children[comment["parent_id"]].append(comment)
    expected = {}

    def number(comment, tree_id, left, level):
        right = left + 1
        for child in children[comment["pk"]]:
            right = number(child, tree_id, right, level + 1) + 1
        expected[comment["pk"]] = (tree_id, left, right, level)
        return right

    for root in children[None]:
        number(root, root["tree_id"], 1, 0)
    return expected


def check(site_env, results):
    """The figures of a run, from the answers and the database read back."""
    code = "from tests.comments.test_concurrency import read_back; read_back()"
    data = json.loads(run_in_site(site_env, code))
    comments = data["comments"]
    by_token = collections.defaultdict(list)
    for comment in comments:
        if match := re.search(r"token-[\w-]+", comment["body"]):
            by_token[match.group()].append(comment["pk"])

    posted = [r for r in results if "token" in r]
    accepted = [r for r in posted if r["status"] == 302]
    lost = [r for r in accepted if not by_token.get(r["token"])]
    twice = [r for r in posted if len(by_token.get(r["token"], [])) > 1]
    misplaced = [
        r
        for r in accepted
        if len(by_token.get(r["token"], [])) == 1
        and not r["location"].endswith(f"#comment-{by_token[r['token']][0]}")
    ]
    stored_though_rejected = [
        r for r in posted if r["status"] != 302 and by_token.get(r["token"])
    ]

    expected = nested_set(comments)
    invalid_trees = {
        comment["tree_id"]
        for comment in comments
        if expected.get(comment["pk"])
        != (comment["tree_id"], comment["lft"], comment["rght"], comment["level"])
        or data["rebuilt"][str(comment["pk"])]
        != [comment["lft"], comment["rght"], comment["level"]]
    }
    roots_per_tree = collections.Counter(
        c["tree_id"] for c in comments if c["parent_id"] is None
    )
    posts_per_tree = collections.defaultdict(set)
    for comment in comments:
        posts_per_tree[comment["tree_id"]].add(comment["post_id"])
    shared_tree_ids = {
        tree_id
        for tree_id in posts_per_tree
        if roots_per_tree[tree_id] != 1 or len(posts_per_tree[tree_id]) != 1
    }
    approved = collections.Counter(
        c["post_id"] for c in comments if c["status"] == "approved"
    )
    wrong_counts = [
        post["slug"]
        for post in data["posts"]
        if post["comment_count"] != approved[post["pk"]]
    ]
    statuses = collections.Counter(r["status"] for r in results)
    return {
        "fired": len(posted),
        "accepted": len(accepted),
        "accepted_replies": sum(r["is_reply"] for r in accepted),
        "rejected": {
            str(code): sum(r["status"] == code for r in posted)
            for code in sorted({r["status"] for r in posted} - {302})
        },
        "server_errors": sum(n for code, n in statuses.items() if code >= 500),
        "lost": len(lost),
        "stored_twice": len(twice),
        "stored_though_rejected": len(stored_though_rejected),
        "wrong_redirects": len(misplaced),
        "invalid_trees": len(invalid_trees),
        "shared_tree_ids": len(shared_tree_ids),
        "wrong_comment_counts": wrong_counts,
        "comments_in_database": len(comments),
        "statuses_in_database": dict(
            collections.Counter(c["status"] for c in comments)
        ),
        "trees": len(posts_per_tree),
        "other_requests": {
            f"{kind} {code}": n
            for (kind, code), n in collections.Counter(
                (r["kind"], r["status"]) for r in results if "token" not in r
            ).items()
        },
    }


def report(database, scenario, figures, log):
    figures = {"database": database, "scenario": scenario, **figures}
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"concurrency-{database}-{scenario}.json"
    path.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\nconcurrency {database} {scenario}: {json.dumps(figures)}")
    errors = re.findall(r"^\S*(?:Error|Exception)\b.*$", log.read_text(), re.M)
    return figures, errors[-5:]


def assert_sound(figures, errors):
    summary = json.dumps(figures, indent=1)
    assert figures["fired"] >= 200, summary
    assert figures["server_errors"] == 0, f"{summary}\n{errors}"
    assert set(figures["rejected"]) <= {"400", "429"}, summary
    assert figures["accepted"] > figures["fired"] // 2, summary
    assert figures["accepted_replies"] > 0, summary
    for name in [
        "lost",
        "stored_twice",
        "stored_though_rejected",
        "wrong_redirects",
        "invalid_trees",
        "shared_tree_ids",
    ]:
        assert figures[name] == 0, summary
    assert figures["wrong_comment_counts"] == [], summary


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_concurrent_comments_keep_every_thread_whole(site):
    port, env, log = site
    results = []
    started = time.monotonic()

    post_comments(port, stop_at=started + SECONDS_LIMIT, results=results)

    figures, errors = report(
        connection.vendor,
        "commenters",
        {**check(env, results), "seconds": round(time.monotonic() - started, 1)},
        log,
    )
    assert_sound(figures, errors)


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_concurrent_comments_and_moderation_keep_every_thread_whole(site):
    port, env, log = site
    results = []
    started = time.monotonic()
    done = threading.Event()
    moderators = moderate(port, until=done, results=results)
    for thread in moderators:
        thread.start()

    post_comments(port, stop_at=started + SECONDS_LIMIT, results=results)
    done.set()
    for thread in moderators:
        thread.join(timeout=REQUEST_TIMEOUT + 5)

    figures, errors = report(
        connection.vendor,
        "moderators",
        {**check(env, results), "seconds": round(time.monotonic() - started, 1)},
        log,
    )
    assert_sound(figures, errors)
    actions = figures["other_requests"]
    assert actions.get("login 302") == MODERATORS, actions
    assert actions.get("approve 302") and actions.get("remove 302"), actions
    assert figures["statuses_in_database"].get("removed"), figures
