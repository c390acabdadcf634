"""
The import benchmark: `python -m bench.importing` (or `make bench-import`);
bench/README.md explains the figures.

It writes a generated WordPress export (bench.wxr) into a temporary folder,
makes a scratch database beside it as bench.run does (a SQLite file there,
or `<name>_bench_import` on the same PostgreSQL server, created and dropped
here), migrates it, and runs `manage.py import_wordpress` on the file twice,
each in its own subprocess with production settings: the first import, then
the same file again, which must change nothing. Each import is timed around
its subprocess, start-up included; its peak memory is that subprocess's
largest resident set, which the kernel reports for that child alone when it
is reaped (os.wait4), so nothing else this run starts is counted.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django

if __name__ == "__main__":
    # Run as a script: the modules below need the models, so Django first.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from bench import data, report, wxr  # noqa: E402
from bench.run import (  # noqa: E402
    BenchError,
    production_environment,
    scratch_database,
)
from blog.models import Page, Post  # noqa: E402
from comments.models import Comment  # noqa: E402

DEFAULT_POSTS = 1000
DEFAULT_COMMENTS = 10_000
# The targets: 30 s on SQLite (PostgreSQL's time is only reported),
# 200 MB of memory on either.
TARGET_SECONDS = {"sqlite": 30}
TARGET_PEAK_MB = 200
SUMMARY_LINE = re.compile(r"^\s+(?P<kind>[^:]+): (?P<figures>\d+ \w+(, \d+ \w+)*)$")


def parser():
    parser = argparse.ArgumentParser(
        prog="python -m bench.importing",
        description="Time `manage.py import_wordpress` on a generated export in a "
        "scratch database, twice (the second changes nothing); prints a table "
        "and writes JSON.",
    )
    parser.add_argument(
        "--posts", type=int, default=DEFAULT_POSTS, help="Posts in the file (1000)."
    )
    parser.add_argument(
        "--comments",
        type=int,
        help="Comments, spread over the posts in threads (10000).",
    )
    parser.add_argument(
        "--thread",
        help="A thread in thread.py's JSON format, which every post carries "
        "instead (then the comments are posts × its length).",
    )
    parser.add_argument(
        "--keep-file",
        action="store_true",
        help="Keep the generated export and print where it is.",
    )
    parser.add_argument(
        "--output", help="The JSON file (default bench/results-import-<database>.json)."
    )
    # Set on the run that counts what the scratch database holds.
    parser.add_argument("--count-database", action="store_true", help=argparse.SUPPRESS)
    return parser


def main(argv=None, stdout=None):
    """Run the benchmark as `python -m bench.importing` would with `argv`."""
    stdout = stdout or sys.stdout
    options = parser().parse_args(argv)
    if options.count_database:
        stdout.write(json.dumps(database_contents()) + "\n")
        return
    thread = checked_options(options)
    output = Path(
        options.output
        or Path(settings.BASE_DIR)
        / "bench"
        / f"results-import-{connection.vendor}.json"
    ).resolve()
    folder = Path(tempfile.mkdtemp(prefix="blog-bench-import-"))
    export = folder / "wordpress-export.xml"
    try:
        results = run(options, thread, folder, export, stdout)
        if options.keep_file:
            kept = Path(tempfile.gettempdir()) / f"{folder.name}.xml"
            shutil.move(export, kept)
            results["export"]["path"] = str(kept)
            say(stdout, f"Kept the export: {kept}")
        path = write(output, results)
        say(stdout, f"Wrote {path}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def checked_options(options):
    """Refuse options that cannot run; the --thread rows, or None."""
    if options.posts < 1:
        raise BenchError("--posts must be 1 or more.")
    if options.comments is not None and options.comments < 0:
        raise BenchError("--comments must be 0 or more.")
    if not options.thread:
        return None
    if options.comments is not None:
        raise BenchError(
            "--comments and --thread exclude each other: with --thread, every "
            "post carries the whole thread."
        )
    try:
        return data.read_thread(Path(options.thread).resolve())
    except (OSError, ValueError) as error:
        raise BenchError(f"--thread: {error}") from None


def run(options, thread, folder, export, stdout):
    say(stdout, "Writing the export…")
    started = time.perf_counter()
    contents = wxr.write_export(
        export,
        posts=options.posts,
        comments=DEFAULT_COMMENTS if options.comments is None else options.comments,
        thread=thread,
    )
    written = {
        **vars(contents),
        "bytes": export.stat().st_size,
        "thread": str(Path(options.thread).resolve()) if thread else None,
        "seconds_to_write": round(time.perf_counter() - started, 2),
        "path": None,
    }
    production = production_environment(folder)
    # Threads are cut at the site's own depth, as a real import's are, not
    # at the depth the page benchmark shows.
    del production["COMMENTS_MAX_DEPTH"]
    # A name of its own, so that the two benchmarks can run side by side.
    with scratch_database(folder, suffix="_bench_import") as database_url:
        env = {
            **os.environ,
            **production,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": os.environ.get(
                "DJANGO_SETTINGS_MODULE", "config.settings"
            ),
        }
        say(stdout, "Migrating the scratch database…")
        checked_run([sys.executable, "manage.py", "migrate", "--noinput"], env)
        imports = []
        for name in ("first", "second"):
            say(stdout, f"Importing ({name} time)…")
            imports.append(measured_import(name, export, env, folder))
        counted = json.loads(
            checked_run(
                [sys.executable, "-m", "bench.importing", "--count-database"], env
            )
        )
    results = {
        "environment": counted["environment"],
        "export": written,
        "database": counted["database"],
        "imports": imports,
        "targets": {
            "seconds": TARGET_SECONDS.get(connection.vendor),
            "peak_mb": TARGET_PEAK_MB,
        },
    }
    say(stdout, table(results))
    return results


def measured_import(name, export, env, folder):
    """One run of import_wordpress: its seconds, peak memory and summary."""
    output_path, errors_path = folder / "import.out", folder / "import.err"
    with open(output_path, "w") as output, open(errors_path, "w") as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "manage.py", "import_wordpress", str(export)],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=errors,
        )
        # Reaped here rather than by Popen.wait(), to have the resource usage
        # of this child alone.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise BenchError(
            f"The {name} import failed (exit code {process.returncode}):\n"
            + errors_path.read_text()[-3000:]
        )
    summary = import_summary(output_path.read_text())
    return {
        "name": name,
        "seconds": round(seconds, 2),
        "peak_mb": round(megabytes(usage.ru_maxrss), 1),
        "summary": summary,
        "changed": sorted(
            kind
            for kind, counts in summary.items()
            if counts.get("created") or counts.get("updated")
        ),
    }


def import_summary(output):
    """The command's "Imported:" lines as {kind: {outcome: count}}."""
    summary = {}
    lines = output.splitlines()
    if "Imported:" not in lines:
        raise BenchError(f"The import printed no summary:\n{output[-3000:]}")
    for line in lines[lines.index("Imported:") + 1 :]:
        match = SUMMARY_LINE.match(line)
        if match:
            figures = (figure.split(" ") for figure in match["figures"].split(", "))
            summary[match["kind"]] = {outcome: int(n) for n, outcome in figures}
    return summary


def megabytes(max_rss):
    """ru_maxrss in MB: Linux gives kibibytes, macOS bytes."""
    return max_rss / 1024 / (1024 if sys.platform == "darwin" else 1)


def checked_run(arguments, env):
    """Run a step the measurements need; its output, or BenchError."""
    result = subprocess.run(
        arguments, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BenchError(
            f"{' '.join(arguments[1:])} failed (exit code {result.returncode}):\n"
            + result.stderr[-3000:]
        )
    return result.stdout


def database_contents():
    """What the scratch database holds, and the environment it ran in."""
    posts = Post.objects.filter(kind=Post.Kind.POST)
    return {
        "environment": report.environment(),
        "database": {
            "posts": posts.count(),
            "drafts": posts.filter(status=Post.Status.DRAFT).count(),
            "pages": Page.objects.count(),
            "comments": Comment.objects.count(),
            "pending_comments": Comment.objects.filter(
                status=Comment.Status.PENDING
            ).count(),
        },
    }


def table(results):
    env, export, database = (
        results["environment"],
        results["export"],
        results["database"],
    )
    target_seconds = results["targets"]["seconds"]
    lines = [
        "",
        f"{env['cpu']}, {env['cores']} cores; Python {env['python']}, "
        f"Django {env['django']}; {env['database']}",
        f"Export: {export['bytes'] / 1_000_000:.1f} MB, {export['posts']:,} posts "
        f"({export['drafts']} drafts), {export['pages']} pages, "
        f"{export['images']} images, {export['comments']:,} comments",
        f"{'import':<36} {'seconds':>8} {'peak MB':>8}  target",
    ]
    for row in results["imports"]:
        verdicts = []
        if target_seconds is not None:
            verdicts.append(
                judged(f"≤{target_seconds} s", row["seconds"], target_seconds)
            )
        verdicts.append(judged(f"≤{TARGET_PEAK_MB} MB", row["peak_mb"], TARGET_PEAK_MB))
        name = f"{row['name']} import"
        if row["name"] == "second":
            name += " (must change nothing)"
            changed = ", ".join(row["changed"])
            verdicts.append(f"changed {changed} MISS" if changed else "unchanged ok")
        lines.append(
            f"{name:<36} {row['seconds']:>8.2f} {row['peak_mb']:>8.1f}  "
            + ", ".join(verdicts)
        )
    is_whole = all(
        database[kind] == export[kind]
        for kind in ("posts", "drafts", "pages", "comments", "pending_comments")
    )
    lines.append(
        f"Database after: {database['posts']:,} posts ({database['drafts']} drafts), "
        f"{database['pages']} pages, {database['comments']:,} comments "
        f"({database['pending_comments']} pending): "
        + ("as in the file, ok" if is_whole else "not as in the file, MISS")
    )
    if target_seconds is None:
        lines.append(
            f"(The {TARGET_SECONDS['sqlite']} s target is SQLite's: "
            f"{connection.vendor}'s time is reported only.)"
        )
    return "\n".join(lines) + "\n"


def judged(target, value, limit):
    return f"{target} " + ("ok" if value <= limit else "MISS")


def write(path, results):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return path


def say(stdout, text):
    stdout.write(text + "\n")
    stdout.flush()


def command_line():
    try:
        main(sys.argv[1:])
    except BenchError as error:
        sys.exit(f"bench.importing: {error}")


if __name__ == "__main__":
    command_line()
