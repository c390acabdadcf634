"""Gunicorn settings; every value can be overridden from the environment."""

import multiprocessing
import os

from django.core.exceptions import ImproperlyConfigured

# gunicorn puts the folder it runs in, the project's, on the import path.
from config.environment import env_bool, env_int

try:
    workers = env_int("GUNICORN_WORKERS", multiprocessing.cpu_count())
    threads = env_int("GUNICORN_THREADS", 1)
    timeout = env_int("GUNICORN_TIMEOUT", 30)
    # Restarting workers now and then bounds the memory a long-lived worker holds.
    max_requests = env_int("GUNICORN_MAX_REQUESTS", 2000)
    is_behind_tls_proxy = env_bool("DJANGO_SECURE_PROXY_SSL_HEADER")
except ImproperlyConfigured as error:
    # Gunicorn would otherwise stop with a traceback that buries the message.
    raise SystemExit(str(error)) from None

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
wsgi_app = "config.wsgi:application"

# Out of the box gunicorn believes X-Forwarded-Proto, -Ssl and -Protocol from
# 127.0.0.1 and tells Django such a request came over HTTPS, so a client that
# reaches it through anything on this machine passes as secure and is not
# redirected to HTTPS. Only the operator knows whether a TLS proxy is in
# front. With DJANGO_SECURE_PROXY_SSL_HEADER on, trust the one header Django
# trusts (SECURE_PROXY_SSL_HEADER) from gunicorn's proxy addresses
# (FORWARDED_ALLOW_IPS, else loopback); off, no forwarded header from anywhere.
if is_behind_tls_proxy:
    secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
else:
    secure_scheme_headers = {}
    forwarded_allow_ips = ""
