"""Gunicorn settings; every value can be overridden from the environment."""

import multiprocessing
import os

from django.core.exceptions import ImproperlyConfigured

# gunicorn puts the folder it runs in, the project's, on the import path.
from config.environment import env_int

try:
    workers = env_int("GUNICORN_WORKERS", multiprocessing.cpu_count())
    threads = env_int("GUNICORN_THREADS", 1)
    timeout = env_int("GUNICORN_TIMEOUT", 30)
    # Restarting workers now and then bounds the memory a long-lived worker holds.
    max_requests = env_int("GUNICORN_MAX_REQUESTS", 2000)
except ImproperlyConfigured as error:
    # Gunicorn would otherwise stop with a traceback that buries the message.
    raise SystemExit(str(error)) from None

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
wsgi_app = "config.wsgi:application"
