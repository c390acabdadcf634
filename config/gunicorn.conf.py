"""Gunicorn settings; every value can be overridden from the environment."""

import multiprocessing
import os


def env_int(name, default):
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        # Gunicorn would otherwise stop with a traceback that names no variable.
        raise SystemExit(f"{name} must be a whole number, not {value!r}.") from None


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = env_int("GUNICORN_WORKERS", multiprocessing.cpu_count())
threads = env_int("GUNICORN_THREADS", 1)
timeout = env_int("GUNICORN_TIMEOUT", 30)
# Restarting workers now and then bounds the memory a long-lived worker holds.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
wsgi_app = "config.wsgi:application"
