"""
One benchmark run, in the scratch database bench.run made: load the data set,
measure each page in-process with the test client, then under gunicorn, and
report (bench.report).
"""

import gc
import itertools
import os
import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from blog.models import Category
from blog.navigation import footer_html, menu_html
from comments import thread_pages
from comments.forms import sign_form
from comments.models import Comment, ConfirmedAddress, Discussion
from comments.recent import recent_comments_html

from . import data, load, report
from .floor import floor_thread_html
from .run import BENCH_MAX_DEPTH, BenchError

# One comment in a hundred waits for a moderator: 1,000 of 100,000.
PENDING_SHARE = 100
WARMUP = 3
LOAD_CLIENTS = 4
# The reply form is posted at once, again and again, from one address, so the
# "too fast" and rate-limit rules would refuse it.
BENCH_SETTINGS = {
    "COMMENTS_MAX_DEPTH": BENCH_MAX_DEPTH,
    # Each thread on one page, as measured before comment pages; the largest
    # is measured paged as well (measure_paged).
    "COMMENTS_PER_PAGE": 0,
    "COMMENTS_MIN_SECONDS": 0,
    "COMMENTS_RATE_LIMIT_PER_MINUTE": 1_000_000,
}


class Benchmark:
    """One run in the scratch database: load, measure, report."""

    def __init__(self, options, stdout):
        self.options = options
        self.stdout = stdout
        self.requests = options["requests"]
        self.measurements = []
        self.load = []
        # The site's comment pages (BENCH_SETTINGS turns them off for the
        # other measurements), or the default if they are off.
        self.per_page = settings.COMMENTS_PER_PAGE or 50

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
            self.measure_floors()
            self.measure_pages()
        report.judge(self.measurements, self.floors)
        self.say(report.page_table(self.measurements, self.requests, WARMUP))
        if not self.options["no_load"]:
            self.measure_load()
            self.say(report.load_table(self.load, self.options["load_seconds"]))
        path = report.write(
            self.options["output"],
            data_set=self.data_set,
            warmup=WARMUP,
            floors=self.floors,
            measurements=self.measurements,
            load=self.load,
        )
        self.say(f"\nWrote {path}")

    def say(self, text):
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def load_data(self):
        options = self.options
        sizes = options["sizes"]
        self.say(
            f"Loading {options['posts']:,} posts and "
            f"{options['queue_comments']:,} comments…"
        )
        posts = data.site_bulk_create(posts=options["posts"])
        self.thread_posts = {}
        for post, size in zip(posts, sizes, strict=False):
            if options["thread"]:
                rows = data.read_thread(options["thread"])
            else:
                rows = data.generate_thread(size, seed=42)
            comments = data.thread_bulk_create(post=post, rows=rows)
            self.thread_posts[size] = (post, comments)
        remaining = options["queue_comments"] - sum(sizes)
        if remaining > 0:
            data.comments_bulk_create(
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
            "max_depth": BENCH_MAX_DEPTH,
        }
        if connection.vendor == "postgresql":
            # A live database has been vacuumed and analysed by autovacuum; a
            # freshly loaded one not, so its planner statistics are empty and
            # no index-only scan can skip the table.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")

    def measure_floors(self):
        """Each thread read and written with no framework: see bench.floor."""
        self.floors = {}
        for size, (post, _) in self.thread_posts.items():
            for _ in range(WARMUP):
                floor_thread_html(post.pk)
            times = []
            for _ in range(self.requests):
                started = time.perf_counter()
                floor_thread_html(post.pk)
                times.append(time.perf_counter() - started)
            self.floors[size] = report.timings(times)
            self.say(f"  floor, {size:,} comments: {self.floors[size]['median_ms']} ms")

    def measure_pages(self):
        for size, (post, comments) in self.thread_posts.items():
            url = post.get_absolute_url()
            label = f"post page, {size:,} comments"
            self.measure(f"post-{size}-cold", f"{label}, cold", url, cold=True)
            self.measure(f"post-{size}-warm", f"{label}, warm", url)
            self.check_thread_shown(size, url, comments)
        self.measure_paged()
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
        self.measure(
            "feed-category",
            "category's Atom feed",
            reverse("blog:category-feed-atom", args=[self.category.slug]),
        )
        reference_post = self.thread_posts[max(self.thread_posts)][0]
        self.measure(
            "feed-comments",
            f"comments feed of the {max(self.thread_posts):,}-comment post",
            reverse("comments:post-comments-feed", args=[reference_post.slug]),
        )
        self.measure("sitemap", "sitemap", reverse("sitemap"))

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
                # Cold is the post's own HTML not cached; the menu and footer,
                # the same on every page, are made once for them all.
                menu_html(), footer_html(), recent_comments_html()
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
                **report.timings(times),
                "queries": round(statistics.median(queries)),
                "queries_max": max(queries),
            }
        )
        self.say(f"  {name}: {self.measurements[-1]['median_ms']} ms")

    def measure_reply(self):
        """POST the comment form, as a returning guest, replying across the thread."""
        size = max(self.thread_posts)
        post, comments = self.thread_posts[size]
        # An approved comment's address, confirmed, so replies skip the
        # first-comment hold and take the full path: save, recount,
        # notification check.
        author = comments[0]
        ConfirmedAddress.objects.get_or_create(email=author.author_email.lower())
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
            raise BenchError(
                f"{WARMUP + self.requests} replies were posted but {added} were "
                "published: the moderation rules held them."
            )

    def measure_paged(self):
        """
        The largest thread in comment pages as the site sets them, the first
        and the last: judged against the 1,000-comment page's targets.
        """
        size = max(self.thread_posts)
        post, _ = self.thread_posts[size]
        with override_settings(COMMENTS_PER_PAGE=self.per_page):
            discussion = Discussion.objects.get(post=post)
            pages = thread_pages.page_count(discussion)
            if pages == 1:
                return
            for number, label in [(1, "first"), (pages, "last")]:
                url = thread_pages.page_url(post, number, fragment="")[:-1]
                name = f"post page, {size:,} comments, {label} of {pages} pages"
                key = f"post-{size}-paged-{label}"
                self.measure(f"{key}-cold", f"{name}, cold", url, cold=True)
                self.measure(f"{key}-warm", f"{name}, warm", url)

    def check_thread_shown(self, size, url, comments):
        html = Client().get(url).content.decode()
        missing = [c.pk for c in comments if f'id="comment-{c.pk}"' not in html]
        if missing:
            raise BenchError(
                f"The post page with {size} comments does not show "
                f"{len(missing)} of them (e.g. #{missing[0]})."
            )

    def measure_load(self):
        workers = os.cpu_count() or 1
        seconds = self.options["load_seconds"]
        size = 1000 if 1000 in self.thread_posts else max(self.thread_posts)
        post = self.thread_posts[size][0]
        pages = [
            ("home", "home page", reverse("blog:post-list")),
            (
                f"post-{size}",
                f"post page, {size:,} comments",
                post.get_absolute_url(),
            ),
        ]
        self.say(
            f"Load test: gunicorn with {workers} workers, {LOAD_CLIENTS} clients, "
            f"{seconds:g} s per page…"
        )
        with load.gunicorn_server(workers=workers, env=dict(os.environ)) as port:
            for key, name, path in pages:
                # Warm every worker up before the measured run.
                load.run_load(port, path, clients=LOAD_CLIENTS, seconds=1)
                result = load.run_load(
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
                        "target_rps": report.TARGET_LOAD_RPS.get(key),
                    }
                )


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
        raise BenchError(f"{key}: the page answered {response.status_code}.")
