"""
Throwaway PostgreSQL and Redis servers, and a Chromium, for the tests.

Each server runs from a temporary folder on a free loopback port, is waited
for (within a bound) and is stopped by its PID when the block ends, errors
included; the system's own services are never used. A missing binary raises
ServiceUnavailable with the reason; `require_service()` turns that into a
pytest skip locally and a failure under CI=true, so that a broken CI install
cannot pass by skipping.

The whole suite runs on PostgreSQL from the command line, because settings
read DATABASE_URL when pytest imports them:

    python -m tests.services postgresql -- pytest
    python -m tests.services postgresql redis -- pytest
"""

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
import redis

READY_TIMEOUT = 30
STOP_TIMEOUT = 30


class ServiceUnavailable(Exception):
    """The server cannot run on this machine; the message says why."""


def running_in_ci():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def find_binary(name, *, search=()):
    """The path of `name` on PATH or in the `search` globs, newest version first."""
    found = shutil.which(name)
    if found:
        return found
    for pattern in search:
        # Newest version first, by number: 16 before 15 before 9.
        candidates = sorted(
            glob.glob(pattern),
            key=lambda path: [int(p) for p in path.split("/") if p.isdigit()],
            reverse=True,
        )
        for folder in candidates:
            path = Path(folder) / name
            if os.access(path, os.X_OK):
                return str(path)
    return None


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_ready(process, is_ready, *, log, what):
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"{what} exited with code {process.returncode}:\n{log.read_text()}"
            )
        if is_ready():
            return
        time.sleep(0.1)
    raise RuntimeError(
        f"{what} was not ready within {READY_TIMEOUT} seconds:\n{log.read_text()}"
    )


def stop(process, stop_signal):
    if process.poll() is None:
        process.send_signal(stop_signal)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def temporary_folder(owner=None):
    folder = Path(tempfile.mkdtemp(prefix="blog-test-service-"))
    try:
        if owner:
            shutil.chown(folder, owner.pw_uid, owner.pw_gid)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def postgresql_owner():
    """The account the server runs as: initdb and postgres refuse to run as root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise ServiceUnavailable(
            "PostgreSQL cannot run as root and there is no `postgres` user; "
            "install Debian's `postgresql` package, which creates it."
        ) from None


@contextlib.contextmanager
def running_postgresql():
    """Start a PostgreSQL cluster and yield the URL of an empty `blog` database."""
    search = ["/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin"]
    initdb = find_binary("initdb", search=search)
    if initdb is None:
        raise ServiceUnavailable(
            "PostgreSQL is not installed (no `initdb` on PATH or in "
            "/usr/lib/postgresql/*/bin); on Debian: apt-get install postgresql."
        )
    postgres = str(Path(initdb).resolve().with_name("postgres"))
    owner = postgresql_owner()
    as_owner = {"user": owner.pw_uid, "group": owner.pw_gid} if owner else {}

    with temporary_folder(owner) as folder:
        data, log = folder / "data", folder / "postgresql.log"
        subprocess.run(
            [initdb, "-D", data, "-U", "postgres", "--auth=trust",
             "--encoding=UTF8", "--no-locale", "--no-sync"],
            cwd=folder, check=True, capture_output=True, timeout=120, **as_owner,
        )  # fmt: skip
        port = free_port()
        with log.open("w") as log_file:
            # Durability is worth nothing in a database thrown away at the end.
            process = subprocess.Popen(
                [postgres, "-D", data, "-p", str(port),
                 "-c", "listen_addresses=127.0.0.1",
                 "-c", f"unix_socket_directories={folder}",
                 "-c", "fsync=off", "-c", "synchronous_commit=off",
                 "-c", "full_page_writes=off"],
                cwd=folder, stdout=log_file, stderr=subprocess.STDOUT, **as_owner,
            )  # fmt: skip
        try:
            server = f"postgresql://postgres@127.0.0.1:{port}"

            def is_ready():
                try:
                    psycopg.connect(f"{server}/postgres", connect_timeout=2).close()
                except psycopg.OperationalError:
                    return False
                return True

            wait_until_ready(process, is_ready, log=log, what="PostgreSQL")
            with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
                connection.execute("CREATE DATABASE blog")
            yield f"{server}/blog"
        finally:
            # SIGINT is PostgreSQL's fast shutdown: it does not wait for clients.
            stop(process, signal.SIGINT)


@contextlib.contextmanager
def running_redis():
    """Start a Redis server that keeps nothing on disk and yield its URL."""
    binary = find_binary("redis-server")
    if binary is None:
        raise ServiceUnavailable(
            "Redis is not installed (no `redis-server` on PATH); "
            "on Debian: apt-get install redis-server."
        )

    with temporary_folder() as folder:
        log = folder / "redis.log"
        port = free_port()
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", folder, "--logfile", log],
            cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            url = f"redis://127.0.0.1:{port}/0"
            client = redis.Redis.from_url(url, socket_connect_timeout=2)

            def is_ready():
                try:
                    return client.ping()
                except redis.ConnectionError:
                    return False

            wait_until_ready(process, is_ready, log=log, what="Redis")
            client.close()
            yield url
        finally:
            stop(process, signal.SIGTERM)


# Root needs --no-sandbox. The rest stop Chromium's own calls home (updates,
# sync, QUIC probes), which a machine without outside network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def running_chromium():
    """
    Start the system's Chromium (CHROMIUM_PATH, or `chromium` on PATH) under
    Playwright, with a fresh profile, and yield the Playwright Browser.
    Playwright's own browser downloads are never used.
    """
    binary = os.environ.get("CHROMIUM_PATH") or find_binary("chromium")
    if not binary or not os.access(binary, os.X_OK):
        raise ServiceUnavailable(
            f"Chromium is not installed (no executable {binary or '`chromium`'}; "
            "set CHROMIUM_PATH or, on Debian: apt-get install chromium)."
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ServiceUnavailable(
            "The playwright package is not installed: pip install '.[test]'."
        ) from None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=binary, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def require_service(running):
    """Enter `running()` in a test or fixture: skip if it cannot, fail under CI."""
    try:
        with running() as url:
            yield url
            return
    except ServiceUnavailable as unavailable:
        reason = str(unavailable)
    if running_in_ci():
        pytest.fail(f"CI=true, so this service must be installed: {reason}")
    pytest.skip(reason)


SERVICES = {
    "postgresql": (running_postgresql, "DATABASE_URL"),
    "redis": (running_redis, "REDIS_URL"),
}


def main(argv):
    """Run a command with the named servers started and their URLs exported."""
    if "--" not in argv or argv.index("--") == 0 or argv[-1] == "--":
        names = ", ".join(SERVICES)
        print(
            f"usage: python -m tests.services {{{names}}}... -- COMMAND",
            file=sys.stderr,
        )
        return 2
    split = argv.index("--")
    names, command = argv[:split], argv[split + 1 :]
    unknown = set(names) - set(SERVICES)
    if unknown:
        print(f"Unknown service: {', '.join(sorted(unknown))}.", file=sys.stderr)
        return 2

    env = dict(os.environ)
    with contextlib.ExitStack() as stack:
        try:
            for name in names:
                running, variable = SERVICES[name]
                env[variable] = stack.enter_context(running())
        except ServiceUnavailable as unavailable:
            if running_in_ci():
                print(f"CI=true and {name} is missing: {unavailable}", file=sys.stderr)
                return 1
            print(f"SKIPPED the test run on {' and '.join(names)}: {unavailable}")
            return 0
        print(f"Running on {' and '.join(names)}: {' '.join(command)}", flush=True)
        return subprocess.run(command, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
