"""
The benchmark's load test: gunicorn serving the benchmark's database on a free
loopback port, and a small load generator (a few threads, keep-alive where the
server allows it) that stops by itself after a fixed time.
"""

import contextlib
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings

from .report import milliseconds

HOST = "127.0.0.1"
READY_TIMEOUT = 30
STOP_TIMEOUT = 10


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn_server(*, workers, env, log_path=None):
    """
    Run gunicorn with config/gunicorn.conf.py and the environment `env`
    (the benchmark's database and production settings), and yield its port.
    It is stopped by its PID when the block ends, errors included. Its
    output goes to `log_path` if given (the concurrency tests read it),
    else to a temporary file shown only if it fails to start.
    """
    port = free_port()
    env = {
        **env,
        "GUNICORN_BIND": f"{HOST}:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_ACCESS_LOG": os.devnull,
    }
    config = Path(settings.BASE_DIR) / "config" / "gunicorn.conf.py"
    opened = open(log_path, "w+b") if log_path else tempfile.TemporaryFile()
    with opened as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(config)],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_serving(process, port, log)
            yield port
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def wait_until_serving(process, port, log):
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(
                f"gunicorn exited with code {process.returncode}:\n"
                + log.read().decode(errors="replace")
            )
        with contextlib.suppress(OSError):
            socket.create_connection((HOST, port), timeout=1).close()
            return
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not listen within {READY_TIMEOUT} seconds.")


def run_load(port, path, *, clients, seconds):
    """
    `clients` threads requesting `path` one request after another for
    `seconds`; returns requests per second, latency percentiles and errors
    (any answer but 200 counts as an error).
    """
    latencies = [[] for _ in range(clients)]
    errors = [0] * clients
    deadline = time.perf_counter() + seconds

    def client(number):
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                is_ok = response.status == 200
                # gunicorn's sync workers close every connection.
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException):
                is_ok = False
                connection.close()
            if is_ok:
                latencies[number].append(time.perf_counter() - started)
            else:
                errors[number] += 1
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        # A request times out after 10 s, so each thread ends soon after.
        thread.join(timeout=seconds + 15)
    elapsed = time.perf_counter() - started
    done = sorted(latency for own in latencies for latency in own)
    return {
        "requests": len(done),
        "errors": sum(errors),
        "seconds": round(elapsed, 2),
        "rps": round(len(done) / elapsed, 1),
        "p50_ms": milliseconds(statistics.median(done)) if done else None,
        "p99_ms": milliseconds(percentile(done, 99)) if done else None,
    }


def percentile(values, p):
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]
