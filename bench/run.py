"""
The benchmark's command line: `python -m bench` (or `make bench`);
bench/README.md explains the figures.

It never touches the site's own data. It starts itself again in a subprocess
whose DATABASE_URL names a scratch database (a SQLite file in a temporary
folder, or `<name>_bench` on the same PostgreSQL server, created and dropped
here), with production settings (DEBUG off, collected static files). That run
(bench.pages) migrates, loads the data set in bulk, measures the pages
in-process with the test client and then under gunicorn, and writes the
results.
"""

import argparse
import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import connection

from . import data

FULL = {"sizes": [100, 1000, 5000], "posts": 10_000, "queue_comments": 100_000}
QUICK = {"sizes": [20, 200], "posts": 200, "queue_comments": 2_000, "load_seconds": 2}
# For the benchmark only: threads may go 8 levels deep, as in the data set.
BENCH_MAX_DEPTH = 10


class BenchError(Exception):
    """A run that cannot start or did not finish; its message says why."""


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


def parser():
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure page times, SQL queries and throughput on a generated "
        "data set in a scratch database; prints a table and writes JSON.",
    )
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
    # Set on the run started in the scratch database.
    parser.add_argument(
        "--in-scratch-database", action="store_true", help=argparse.SUPPRESS
    )
    return parser


def main(argv=None, stdout=None):
    """Run the benchmark as `python -m bench` would with `argv`."""
    stdout = stdout or sys.stdout
    options = vars(parser().parse_args(argv))
    options = {**options, **defaults(options)}
    if options["in_scratch_database"]:
        from .pages import Benchmark  # needs the scratch database's settings

        Benchmark(options, stdout).run()
        return
    folder = Path(tempfile.mkdtemp(prefix="blog-bench-"))
    try:
        with scratch_database(folder) as database_url:
            run_child(options, folder, database_url, stdout)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def defaults(options):
    preset = QUICK if options["quick"] else FULL
    values = {
        name: options[name] if options[name] is not None else preset.get(name)
        for name in ("sizes", "posts", "queue_comments")
    }
    values["load_seconds"] = options["load_seconds"] or preset.get("load_seconds", 20)
    if options["requests"] < 1:
        raise BenchError("--requests must be 1 or more.")
    if options["thread"]:
        path = Path(options["thread"]).resolve()
        try:
            rows = data.read_thread(path)
        except (OSError, ValueError) as error:
            raise BenchError(f"--thread: {error}") from None
        values["thread"] = str(path)
        values["sizes"] = [len(rows)]
    if values["posts"] < len(values["sizes"]) + 1:
        raise BenchError("--posts must exceed the number of measured threads.")
    output = options["output"] or (
        Path(settings.BASE_DIR) / "bench" / f"results-{connection.vendor}.json"
    )
    values["output"] = str(Path(output).resolve())
    return values


def run_child(options, folder, database_url, stdout):
    arguments = [
        sys.executable,
        "-m",
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
        arguments, cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, text=True
    )
    for line in process.stdout:
        stdout.write(line)
        stdout.flush()
    if process.wait() != 0:
        raise BenchError(f"The benchmark failed (exit code {process.returncode}).")


def production_environment(folder):
    """Settings as in production, with everything the run writes in `folder`."""
    return {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
        "BLOG_SITE_URL": "http://127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_VAR_DIR": str(folder),
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_LOG_LEVEL": "WARNING",
        "COMMENTS_MAX_DEPTH": str(BENCH_MAX_DEPTH),
    }


@contextlib.contextmanager
def scratch_database(folder, suffix="_bench"):
    """
    The URL of an empty database of the configured kind, dropped afterwards:
    a SQLite file in `folder`, or `<name><suffix>` on the PostgreSQL server.
    """
    if connection.vendor == "sqlite":
        yield f"sqlite:///{folder / (suffix.lstrip('_') + '.sqlite3')}"
        return
    if connection.vendor != "postgresql":
        raise BenchError(
            f"The benchmark runs on SQLite or PostgreSQL, not {connection.vendor}."
        )
    url = os.environ.get("DATABASE_URL", "")
    name = connection.settings_dict["NAME"] + suffix
    quoted = connection.ops.quote_name(name)
    with connection.cursor() as cursor:
        # The name belongs to the benchmark: a run cut short leaves it.
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quoted}")
    try:
        yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
