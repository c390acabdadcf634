"""
Comment posting under concurrency, against real servers on loopback.

gunicorn (4 workers, production settings) serves a scratch database that a
subprocess migrates and seeds; 16 client threads fetch post pages and post
top-level comments and replies at every depth into the same few threads,
while in the second scenario two moderators approve and remove comments in
the admin. Afterwards the database is read back in a subprocess and every
answer is checked against it: no 5xx, every other request answered 200 or
302, every accepted comment there exactly once and under the parent asked
for, replies accepted at every depth, every rejected one absent and
rejected for a reason the test expects (its own deliberately bad comments,
or replies to a comment a moderator had removed), every tree numbered as a
rebuild would number it, no tree id shared, comment counts right.

SQLite runs in the default pass and PostgreSQL in the PostgreSQL pass
(`python -m tests.services postgresql -- pytest -m concurrency`), on a scratch
database beside the suite's. Each run writes its figures to
test-artifacts/concurrency-<database>-<scenario>.json.
"""

import collections
import html
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

from bench.load import HOST, gunicorn_server

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
# Why the site turns comments down, as its pages say it. The test's own bad
# comments (kind "empty") get the first; with moderators at work, a reply
# may get one of the others if its parent was removed after the page showed it.
EMPTY_BODY = "body: This field is required."
PARENT_GONE = {
    "The comment you replied to is no longer shown.",
    "The comment you replied to is not published, so it cannot take replies.",
}
# The problems a 400 page lists: 400.html's, or the comment form's errors.
PROBLEM_LIST_RE = re.compile(
    r'<ul class="(?:problems|errorlist[^"]*)"(?: id="id_(\w+)_error")?>(.*?)</ul>',
    re.S,
)


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
    from django.db.models import F

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
    posts = list(
        Post.objects.values("pk", "slug", count=F("discussion__comment_count"))
    )
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
        "BLOG_SITE_URL": f"http://{HOST}",
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


def rejection_reason(status, page):
    """Why a comment was not taken, as the answer says it."""
    if status == 429:
        return "rate limited (429)"
    if status != 400:
        return "no answer" if status == NO_ANSWER else f"HTTP {status}"
    problems = [
        f"{field}: {text}" if field else text
        for field, items in PROBLEM_LIST_RE.findall(page)
        for item in re.findall(r"<li>(.*?)</li>", items, re.S)
        if (text := html.unescape(re.sub(r"<[^>]+>", "", item)).strip())
    ]
    return "; ".join(problems) or "400 with no problem listed"


def reply_targets(page):
    """The comments a post page offers to reply to, each with its level."""
    levels = {
        int(pk): int(depth) - 1
        for pk, depth in re.findall(
            r'id="comment-(\d+)" class="comment depth-(\d+)"', page
        )
    }
    return {int(pk): levels[int(pk)] for pk in re.findall(r'data-parent="(\d+)"', page)}


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
            results.append({"kind": "page", "status": status})
            if status != 200:
                continue
            targets = reply_targets(page)
            parent = None
            if targets and randomness.random() < 0.7:
                # Each level in turn, so that replies are posted at every depth.
                level = ticket % settings.COMMENTS_MAX_DEPTH
                at_level = [pk for pk in targets if targets[pk] == level]
                parent = randomness.choice(at_level or list(targets))
            roll = randomness.random()
            kind = "known" if roll < 0.72 else "new" if roll < 0.92 else "empty"
            token = f"token-{number}-{ticket}-{secrets.token_hex(4)}"
            email = (
                randomness.choice(KNOWN_EMAILS)
                if kind == "known"
                else f"{token}@example.org"
            )
            status, location, answer = browser.request(
                "POST",
                reverse("comments:comment-create", kwargs={"slug": slug}),
                {
                    "csrfmiddlewaretoken": hidden("csrfmiddlewaretoken", page),
                    "timestamp": hidden("timestamp", page),
                    "parent": parent or "",
                    "author_name": f"Client {number}",
                    "author_email": email,
                    "body": "" if kind == "empty" else f"A comment, {token}.",
                    "subject": "",
                },
            )
            reason = None if status == 302 else rejection_reason(status, answer)
            results.append(
                {
                    "kind": kind,
                    "token": token,
                    "status": status,
                    "location": location,
                    "reason": reason,
                    "answered_at": time.monotonic(),
                    "parent": parent,
                    "parent_level": targets.get(parent),
                }
            )

    run_threads(client, CLIENTS, stop_at)


def moderate(port, *, until, results):
    """MODERATORS threads approving and removing comments until `until` is set."""

    def moderator(number):
        randomness = random.Random(100 + number)
        browser = Browser(port)
        login = reverse("admin:login")
        status, _, page = browser.request("GET", login)
        results.append({"kind": "login page", "status": status})
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
            results.append({"kind": "queue", "status": status})
            chosen = re.findall(r'name="_selected_action" value="(\d+)"', page)
            if status != 200 or not chosen:
                until.wait(0.2)
                continue
            selected = randomness.sample(chosen, min(most, len(chosen)))
            sent_at = time.monotonic()
            status, _, _ = browser.request(
                "POST",
                query,
                {
                    "csrfmiddlewaretoken": hidden("csrfmiddlewaretoken", page),
                    "action": action,
                    "index": "0",
                    "select_across": "0",
                    "_selected_action": selected,
                },
            )
            results.append(
                {
                    "kind": action,
                    "status": status,
                    "pks": [int(pk) for pk in selected],
                    "sent_at": sent_at,
                }
            )

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
    by_pk = {comment["pk"]: comment for comment in comments}
    by_token = collections.defaultdict(list)
    for comment in comments:
        if match := re.search(r"token-[\w-]+", comment["body"]):
            by_token[match.group()].append(comment["pk"])

    posted = [r for r in results if "token" in r]
    accepted = [r for r in posted if r["status"] == 302]
    rejected = [r for r in posted if r["status"] != 302]
    deliberately_bad = [r for r in posted if r["kind"] == "empty"]
    lost = [r for r in accepted if not by_token.get(r["token"])]
    twice = [r for r in posted if len(by_token.get(r["token"], [])) > 1]
    misplaced = [
        r
        for r in accepted
        if len(by_token.get(r["token"], [])) == 1
        and not r["location"].endswith(f"#comment-{by_token[r['token']][0]}")
    ]
    stored_though_rejected = [r for r in rejected if by_token.get(r["token"])]

    # When each comment was first sent to be removed, by an action that worked.
    removed_at = {}
    for r in results:
        if r["kind"] == "remove" and r["status"] == 302:
            for pk in r["pks"]:
                removed_at[pk] = min(removed_at.get(pk, r["sent_at"]), r["sent_at"])
    removed_in_database = {c["pk"] for c in comments if c["status"] == "removed"}

    deepest = settings.COMMENTS_MAX_DEPTH - 1

    # The service attaches a reply to a deepest-level comment one level up.
    def parent_wanted(r):
        if r["parent"] is None:
            return None
        parent = by_pk.get(r["parent"], {})
        return parent.get("parent_id") if r["parent_level"] == deepest else r["parent"]

    def is_explained(r):
        if r["kind"] == "empty" and r["reason"] == EMPTY_BODY:
            return True
        if r["reason"] not in PARENT_GONE or r["parent"] is None:
            return False
        # The comment replied to, or the one the reply would have gone under,
        # removed by a moderator before the answer came back.
        return any(
            removed_at.get(pk, float("inf")) < r["answered_at"]
            for pk in {r["parent"], parent_wanted(r)}
        )

    unexplained = [r for r in rejected if not is_explained(r)]
    wrong_parents = [
        r
        for r in accepted
        if len(by_token.get(r["token"], [])) == 1
        and by_pk[by_token[r["token"]][0]]["parent_id"] != parent_wanted(r)
    ]
    wrong_parent_levels = [
        r
        for r in posted
        if r["parent"] is not None
        and by_pk.get(r["parent"], {}).get("level") != r["parent_level"]
    ]
    replies_per_level = collections.Counter(
        r["parent_level"] for r in accepted if r["parent"] is not None
    )

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
        if (post["count"] or 0) != approved[post["pk"]]
    ]
    statuses = collections.Counter(r["status"] for r in results)
    others = [r for r in results if "token" not in r]
    return {
        "fired": len(posted),
        "accepted": len(accepted),
        "accepted_replies": sum(r["parent"] is not None for r in accepted),
        "rejected": dict(
            collections.Counter(r["reason"] for r in rejected).most_common()
        ),
        "deliberately_bad": len(deliberately_bad),
        "deliberately_bad_accepted": sum(r["status"] == 302 for r in deliberately_bad),
        "rejected_unexplained": [
            {key: r[key] for key in ("kind", "status", "reason", "parent")}
            for r in unexplained
        ],
        "server_errors": sum(n for code, n in statuses.items() if code >= 500),
        "lost": len(lost),
        "stored_twice": len(twice),
        "stored_though_rejected": len(stored_though_rejected),
        "wrong_redirects": len(misplaced),
        "wrong_parents": len(wrong_parents),
        "wrong_parent_levels": len(wrong_parent_levels),
        "replies_per_parent_level": {
            str(level): replies_per_level[level] for level in range(deepest + 1)
        },
        "invalid_trees": len(invalid_trees),
        "shared_tree_ids": len(shared_tree_ids),
        "wrong_comment_counts": wrong_counts,
        "comments_in_database": len(comments),
        "statuses_in_database": dict(
            collections.Counter(c["status"] for c in comments)
        ),
        "removed_by_moderators": len(removed_at),
        # Removed in the database but not by a tracked action, or the reverse.
        "removals_untracked": len(removed_in_database ^ set(removed_at)),
        "trees": len(posts_per_tree),
        "other_requests": {
            f"{kind} {code}": n
            for (kind, code), n in sorted(
                collections.Counter((r["kind"], r["status"]) for r in others).items()
            )
        },
        "other_requests_failed": sum(r["status"] not in {200, 302} for r in others),
    }


def report(database, scenario, figures, log, capsys):
    figures = {"database": database, "scenario": scenario, **figures}
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"concurrency-{database}-{scenario}.json"
    path.write_text(json.dumps(figures, indent=2) + "\n")
    summary = [
        f"concurrency {database} {scenario} ({figures['seconds']} s):",
        f"  fired {figures['fired']}, accepted {figures['accepted']}, "
        f"rejected {sum(figures['rejected'].values())}",
        *(f"  rejected {n}: {reason}" for reason, n in figures["rejected"].items()),
        f"  5xx {figures['server_errors']}, lost {figures['lost']}, "
        f"invalid trees {figures['invalid_trees']}",
        f"  accepted replies per parent level {figures['replies_per_parent_level']}",
        f"  figures in {path.relative_to(settings.BASE_DIR)}",
    ]
    # Shown even when pytest captures output: these are the run's results.
    with capsys.disabled():
        print("\n" + "\n".join(summary))
    errors = re.findall(r"^\S*(?:Error|Exception)\b.*$", log.read_text(), re.M)
    return figures, errors[-5:]


def assert_sound(figures, errors):
    summary = json.dumps(figures, indent=1)
    assert figures["fired"] >= 200, summary
    assert figures["server_errors"] == 0, f"{summary}\n{errors}"
    assert figures["other_requests_failed"] == 0, summary
    assert figures["rejected_unexplained"] == [], summary
    assert figures["deliberately_bad"] > 0, summary
    assert figures["deliberately_bad_accepted"] == 0, summary
    assert figures["accepted"] > figures["fired"] // 2, summary
    assert all(figures["replies_per_parent_level"].values()), summary
    for name in [
        "lost",
        "stored_twice",
        "stored_though_rejected",
        "wrong_redirects",
        "wrong_parents",
        "wrong_parent_levels",
        "invalid_trees",
        "shared_tree_ids",
        "removals_untracked",
    ]:
        assert figures[name] == 0, summary
    assert figures["wrong_comment_counts"] == [], summary


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_concurrent_comments_keep_every_thread_whole(site, capsys):
    port, env, log = site
    results = []
    started = time.monotonic()

    post_comments(port, stop_at=started + SECONDS_LIMIT, results=results)

    figures, errors = report(
        connection.vendor,
        "commenters",
        {**check(env, results), "seconds": round(time.monotonic() - started, 1)},
        log,
        capsys,
    )
    assert_sound(figures, errors)
    # Nothing removes a comment, so only the test's bad comments are turned down.
    assert figures["rejected"] == {EMPTY_BODY: figures["deliberately_bad"]}, figures


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_concurrent_comments_and_moderation_keep_every_thread_whole(site, capsys):
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
        capsys,
    )
    assert_sound(figures, errors)
    assert set(figures["rejected"]) <= {EMPTY_BODY, *PARENT_GONE}, figures
    actions = figures["other_requests"]
    assert actions.get("login 302") == MODERATORS, actions
    assert actions.get("approve 302") and actions.get("remove 302"), actions
    assert figures["statuses_in_database"].get("removed"), figures
