"""
The benchmark: `python manage.py bench` (or `make bench`); bench/README.md
explains the figures.

It never touches the site's own data. The command starts itself again in a
subprocess whose DATABASE_URL names a scratch database (a SQLite file in a
temporary folder, or `<name>_bench` on the same PostgreSQL server, created and
dropped here), with production settings (DEBUG off, collected static files).
That run migrates, loads the data set in bulk, measures pages in-process with
the test client, then under gunicorn, and writes the results.
"""

import argparse
import contextlib
import datetime
import gc
import importlib.metadata
import itertools
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from blog.models import Category
from comments import benchdata, benchload
from comments.forms import sign_form
from comments.models import Comment

FULL = {"sizes": [100, 1000, 5000], "posts": 10_000, "queue_comments": 100_000}
QUICK = {"sizes": [20, 200], "posts": 200, "queue_comments": 2_000, "load_seconds": 2}
# One comment in a hundred waits for a moderator: 1,000 of 100,000.
PENDING_SHARE = 100
WARMUP = 3
LOAD_CLIENTS = 4
# Medians (ms) the project aims for on a 2-core machine; see bench/README.md.
TARGETS_MS = {
    "post-1000-cold": 40,
    "post-1000-warm": 5,
    "post-5000-cold": 200,
    "post-5000-warm": 10,
    "home": 8,
    "category": 8,
    "queue": 150,
    "reply": 30,
}
TARGET_POST_QUERIES = 8
TARGET_LOAD_RPS = {"post-1000": 150}
# For the benchmark only: the reply form is posted at once, again and again,
# from one address, so the "too fast" and rate-limit rules would refuse it;
# threads may go 8 levels deep, as in the data set.
BENCH_SETTINGS = {
    "COMMENTS_MAX_DEPTH": 10,
    "COMMENTS_MIN_SECONDS": 0,
    "COMMENTS_RATE_LIMIT_PER_MINUTE": 1_000_000,
}


def size_list(value):
    try:
        sizes = [int(size) for size in value.split(",") if size.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"takes numbers like 100,1000, not {value!r}"
        ) from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("needs at least one size of 1 or more")
    return sizes


class Command(BaseCommand):
    help = (
        "Measure page times, SQL queries and throughput on a generated data set "
        "in a scratch database; prints a table and writes JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes",
            type=size_list,
            help="Comment counts of the measured post pages (default 100,1000,5000).",
        )
        parser.add_argument("--posts", type=int, help="Published posts (10000).")
        parser.add_argument(
            "--queue-comments",
            type=int,
            help="Comments in the database, 1%% of them pending (100000).",
        )
        parser.add_argument(
            "--thread",
            help="A thread in thread.py's JSON format, measured instead of --sizes.",
        )
        parser.add_argument(
            "--quick", action="store_true", help="Small sizes, for the test suite."
        )
        parser.add_argument(
            "--requests", type=int, default=30, help="Measured requests per page."
        )
        parser.add_argument(
            "--load-seconds", type=float, help="Length of each load test (20)."
        )
        parser.add_argument(
            "--no-load", action="store_true", help="Skip the gunicorn load test."
        )
        parser.add_argument(
            "--output", help="The JSON file (default bench/results-<database>.json)."
        )
        # Set by the command on the run it starts in the scratch database.
        parser.add_argument(
            "--in-scratch-database", action="store_true", help=argparse.SUPPRESS
        )

    def handle(self, **options):
        options = {**options, **self.defaults(options)}
        if options["in_scratch_database"]:
            Benchmark(options, self.stdout).run()
        else:
            self.run_in_scratch_database(options)

    def defaults(self, options):
        preset = QUICK if options["quick"] else FULL
        values = {
            name: options[name] if options[name] is not None else preset.get(name)
            for name in ("sizes", "posts", "queue_comments")
        }
        values["load_seconds"] = options["load_seconds"] or preset.get(
            "load_seconds", 20
        )
        if options["requests"] < 1:
            raise CommandError("--requests must be 1 or more.")
        if options["thread"]:
            path = Path(options["thread"]).resolve()
            try:
                rows = benchdata.read_thread(path)
            except (OSError, ValueError) as error:
                raise CommandError(f"--thread: {error}") from None
            values["thread"] = str(path)
            values["sizes"] = [len(rows)]
        if values["posts"] < len(values["sizes"]) + 1:
            raise CommandError("--posts must exceed the number of measured threads.")
        output = options["output"] or (
            Path(settings.BASE_DIR) / "bench" / f"results-{connection.vendor}.json"
        )
        values["output"] = str(Path(output).resolve())
        return values

    def run_in_scratch_database(self, options):
        folder = Path(tempfile.mkdtemp(prefix="blog-bench-"))
        try:
            with scratch_database(folder) as database_url:
                self.run_child(options, folder, database_url)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def run_child(self, options, folder, database_url):
        arguments = [
            sys.executable,
            "-m",
            "django",
            "bench",
            "--in-scratch-database",
            "--sizes",
            ",".join(map(str, options["sizes"])),
            "--posts",
            str(options["posts"]),
            "--queue-comments",
            str(options["queue_comments"]),
            "--requests",
            str(options["requests"]),
            "--load-seconds",
            str(options["load_seconds"]),
            "--output",
            options["output"],
        ]
        if options["thread"]:
            arguments += ["--thread", options["thread"]]
        if options["no_load"]:
            arguments.append("--no-load")
        env = {
            **os.environ,
            **production_environment(folder),
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": os.environ.get(
                "DJANGO_SETTINGS_MODULE", "config.settings"
            ),
        }
        process = subprocess.Popen(
            arguments,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for line in process.stdout:
            self.stdout.write(line, ending="")
            self.stdout.flush()
        if process.wait() != 0:
            raise CommandError(
                f"The benchmark failed (exit code {process.returncode})."
            )


def production_environment(folder):
    """Settings as in production, with everything the run writes in `folder`."""
    return {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_VAR_DIR": str(folder),
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_LOG_LEVEL": "WARNING",
        "COMMENTS_MAX_DEPTH": str(BENCH_SETTINGS["COMMENTS_MAX_DEPTH"]),
    }


@contextlib.contextmanager
def scratch_database(folder):
    """The URL of an empty database of the configured kind, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{folder / 'bench.sqlite3'}"
        return
    if connection.vendor != "postgresql":
        raise CommandError(
            f"The benchmark runs on SQLite or PostgreSQL, not {connection.vendor}."
        )
    url = os.environ.get("DATABASE_URL", "")
    name = connection.settings_dict["NAME"] + "_bench"
    quoted = connection.ops.quote_name(name)
    with connection.cursor() as cursor:
        # The _bench name belongs to the benchmark: a run cut short leaves it.
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quoted}")
    try:
        yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


class Benchmark:
    """One run in the scratch database: load, measure, report."""

    def __init__(self, options, stdout):
        self.options = options
        self.stdout = stdout
        self.requests = options["requests"]
        self.measurements = []
        self.load = []

    def run(self):
        self.say("Migrating the scratch database and collecting static files…")
        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        started = time.perf_counter()
        with override_settings(**BENCH_SETTINGS):
            self.load_data()
            self.say(f"Loaded the data set in {time.perf_counter() - started:.1f} s.")
            # This process keeps the threads it loaded, for its checks; a web
            # server's process would not. Frozen, they are not walked by every
            # garbage collection during the measured requests.
            gc.collect()
            gc.freeze()
            self.measure_pages()
        self.print_table()
        if not self.options["no_load"]:
            self.measure_load()
            self.print_load_table()
        self.write_results()

    def say(self, text):
        self.stdout.write(text)
        self.stdout.flush()

    def load_data(self):
        options = self.options
        sizes = options["sizes"]
        self.say(
            f"Loading {options['posts']:,} posts and "
            f"{options['queue_comments']:,} comments…"
        )
        posts = benchdata.site_bulk_create(posts=options["posts"])
        self.thread_posts = {}
        for post, size in zip(posts, sizes, strict=False):
            if options["thread"]:
                rows = benchdata.read_thread(options["thread"])
            else:
                rows = benchdata.generate_thread(size, seed=42)
            comments = benchdata.thread_bulk_create(post=post, rows=rows)
            self.thread_posts[size] = (post, comments)
        remaining = options["queue_comments"] - sum(sizes)
        if remaining > 0:
            benchdata.comments_bulk_create(
                posts=posts[len(sizes) :],
                count=remaining,
                pending=options["queue_comments"] // PENDING_SHARE,
            )
        self.category = Category.objects.get(slug="category-1")
        self.moderator = get_user_model().objects.create_superuser(
            "bench-admin", "bench-admin@example.org", None
        )
        self.data_set = {
            "posts": options["posts"],
            "comments": Comment.objects.count(),
            "pending": Comment.objects.pending().count(),
            "thread_sizes": sizes,
            "thread_file": options["thread"],
            "max_depth": BENCH_SETTINGS["COMMENTS_MAX_DEPTH"],
        }
        if connection.vendor == "postgresql":
            # A live database has been vacuumed and analysed by autovacuum; a
            # freshly loaded one not, so its planner statistics are empty and
            # no index-only scan can skip the table.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")

    def measure_pages(self):
        for size, (post, comments) in self.thread_posts.items():
            url = post.get_absolute_url()
            label = f"post page, {size:,} comments"
            self.measure(f"post-{size}-cold", f"{label}, cold", url, cold=True)
            self.measure(f"post-{size}-warm", f"{label}, warm", url)
            self.check_thread_shown(size, url, comments)
        self.measure("home", "home page", reverse("blog:post-list"))
        self.measure(
            "category",
            f"category archive ({self.category.posts.count():,} posts)",
            self.category.get_absolute_url(),
        )
        queue_client = Client(raise_request_exception=True)
        queue_client.force_login(self.moderator)
        changelist = reverse("admin:comments_comment_changelist")
        self.measure(
            "queue",
            f"moderation queue ({self.data_set['comments']:,} comments, "
            f"{self.data_set['pending']:,} pending)",
            changelist,
            client=queue_client,
        )
        self.measure(
            "queue-pending",
            "moderation queue, pending only",
            changelist + "?status__exact=pending",
            client=queue_client,
        )
        self.measure_reply()
        self.measure("feed", "RSS feed", reverse("blog:post-feed"))

    def measure(
        self, key, name, url, *, cold=False, client=None, request=None, status=200
    ):
        client = client or Client(raise_request_exception=True)
        request = request or (lambda: client.get(url))
        for _ in range(WARMUP):
            check_response(request(), key, status)
        times, queries = [], []
        for _ in range(self.requests):
            if cold:
                cache.clear()
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                started = time.perf_counter()
                response = request()
                times.append(time.perf_counter() - started)
            check_response(response, key, status)
            queries.append(counter.count)
        self.measurements.append(
            {
                "key": key,
                "name": name,
                "url": url,
                "requests": len(times),
                "median_ms": benchload.milliseconds(statistics.median(times)),
                "p90_ms": benchload.milliseconds(p90(times)),
                "queries": round(statistics.median(queries)),
                "queries_max": max(queries),
                "target_ms": TARGETS_MS.get(key),
                "target_queries": TARGET_POST_QUERIES
                if key.startswith("post-")
                else None,
            }
        )
        self.say(f"  {name}: {self.measurements[-1]['median_ms']} ms")

    def measure_reply(self):
        """POST the comment form, as a returning guest, replying across the thread."""
        size = max(self.thread_posts)
        post, comments = self.thread_posts[size]
        # An approved comment's address, so replies skip the first-comment hold
        # and take the full path: save, recount, notification check.
        author = comments[0]
        url = reverse("comments:comment-create", kwargs={"slug": post.slug})
        client = Client(raise_request_exception=True)
        parents = itertools.cycle(comments[7::97])
        before = Comment.objects.for_post(post).approved().count()

        def reply():
            return client.post(
                url,
                {
                    "author_name": author.author_name,
                    "author_email": author.author_email,
                    "author_url": "",
                    "body": "Thanks, that answers the point about the budget.",
                    "parent": next(parents).pk,
                    "timestamp": sign_form(post),
                    "subject": "",
                },
            )

        self.measure(
            "reply",
            f"reply into the {size:,}-comment thread",
            url,
            request=reply,
            status=302,
        )
        added = Comment.objects.for_post(post).approved().count() - before
        if added != WARMUP + self.requests:
            raise CommandError(
                f"{WARMUP + self.requests} replies were posted but {added} were "
                "published: the moderation rules held them."
            )

    def check_thread_shown(self, size, url, comments):
        html = Client().get(url).content.decode()
        missing = [c.pk for c in comments if f'id="comment-{c.pk}"' not in html]
        if missing:
            raise CommandError(
                f"The post page with {size} comments does not show "
                f"{len(missing)} of them (e.g. #{missing[0]})."
            )

    def measure_load(self):
        workers = os.cpu_count() or 1
        seconds = self.options["load_seconds"]
        post = self.thread_posts[
            1000 if 1000 in self.thread_posts else max(self.thread_posts)
        ][0]
        pages = [
            ("home", "home page", reverse("blog:post-list")),
            (
                f"post-{post.comment_count}",
                f"post page, {post.comment_count:,} comments",
                post.get_absolute_url(),
            ),
        ]
        self.say(
            f"Load test: gunicorn with {workers} workers, {LOAD_CLIENTS} clients, "
            f"{seconds:g} s per page…"
        )
        with benchload.gunicorn_server(workers=workers, env=dict(os.environ)) as port:
            for key, name, path in pages:
                # Warm every worker up before the measured run.
                benchload.run_load(port, path, clients=LOAD_CLIENTS, seconds=1)
                result = benchload.run_load(
                    port, path, clients=LOAD_CLIENTS, seconds=seconds
                )
                self.load.append(
                    {
                        "key": key,
                        "name": name,
                        "url": path,
                        "clients": LOAD_CLIENTS,
                        "workers": workers,
                        **result,
                        "target_rps": TARGET_LOAD_RPS.get(key),
                    }
                )

    def environment(self):
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("SELECT sqlite_version()")
                version = f"SQLite {cursor.fetchone()[0]}"
            else:
                cursor.execute("SHOW server_version")
                version = f"PostgreSQL {cursor.fetchone()[0]}"
        return {
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "commit": git_commit(),
            "cpu": cpu_model(),
            "cores": os.cpu_count(),
            "os": platform.platform(),
            "python": platform.python_version(),
            "django": importlib.metadata.version("django"),
            "django_mptt": importlib.metadata.version("django-mptt"),
            "gunicorn": importlib.metadata.version("gunicorn"),
            "database": version,
        }

    def header(self):
        env = self.env = getattr(self, "env", None) or self.environment()
        return (
            f"{env['cpu']}, {env['cores']} cores; Python {env['python']}, "
            f"Django {env['django']}; {env['database']}"
        )

    def print_table(self):
        self.say("")
        self.say(self.header())
        self.say(
            f"{'measurement':<58} {'median ms':>9} {'p90 ms':>8} "
            f"{'queries':>7} {'target':>8}"
        )
        for row in self.measurements:
            queries = str(row["queries"])
            if row["queries_max"] != row["queries"]:
                queries += f"-{row['queries_max']}"
            self.say(
                f"{row['name']:<58} {row['median_ms']:>9.1f} {row['p90_ms']:>8.1f} "
                f"{queries:>7} {verdict(row['median_ms'], row['target_ms']):>8}"
            )
        self.say(f"({self.requests} measured requests each, after {WARMUP} warm-up)")

    def print_load_table(self):
        self.say("")
        self.say(self.header())
        self.say(
            f"{'under gunicorn':<40} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
            f"{'errors':>6} {'target':>8}"
        )
        for row in self.load:
            target = row["target_rps"]
            mark = (
                ""
                if target is None
                else f"≥{target} " + ("ok" if row["rps"] >= target else "MISS")
            )
            self.say(
                f"{row['name']:<40} {row['rps']:>7.1f} {row['p50_ms'] or 0:>7.1f} "
                f"{row['p99_ms'] or 0:>7.1f} {row['errors']:>6} {mark:>8}"
            )
        row = self.load[0]
        self.say(
            f"({row['clients']} clients, {row['workers']} workers, "
            f"{self.options['load_seconds']:g} s each)"
        )

    def write_results(self):
        self.header()
        results = {
            "environment": self.env,
            "data_set": self.data_set,
            "warmup_requests": WARMUP,
            "measurements": self.measurements,
            "load": self.load,
        }
        path = Path(self.options["output"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        self.say(f"\nWrote {path}")


class QueryCounter:
    """
    Counts the SQL queries run inside `connection.execute_wrapper(counter)`.
    Cheaper than CaptureQueriesContext, which formats every query (on SQLite
    with an extra query per statement) and would be timed with the page.
    """

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def check_response(response, key, status):
    if response.status_code != status:
        raise CommandError(f"{key}: the page answered {response.status_code}.")


def p90(values):
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def verdict(value, target):
    if target is None:
        return ""
    return f"≤{target} " + ("ok" if value <= target else "MISS")


def cpu_model():
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def git_commit():
    try:
        result = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None
