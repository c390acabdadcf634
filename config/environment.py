"""
Values read from the environment, for the settings and the gunicorn config.
A value that is set but cannot be read stops the program with a message that
names the variable.
"""

import hashlib
import os
import secrets

import django
from django.core.exceptions import ImproperlyConfigured


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {value!r}."
        ) from None


def development_secret_key(var_dir):
    # Kept in a file so that every gunicorn worker and every restart signs
    # sessions and CSRF tokens with the same key.
    path = var_dir / "development-secret-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


def release_fingerprint(base_dir):
    """
    A digest of the project's code and templates and of Django's version.
    Every cache key starts with it, so that after a deploy no process serves
    HTML that the previous release rendered into a shared cache (Redis
    outlives the processes; an in-memory cache does not).
    """
    digest = hashlib.sha256(django.get_version().encode())
    for folder in ("accounts", "blog", "comments", "config", "templates"):
        for path in sorted((base_dir / folder).rglob("*")):
            if path.suffix in {".py", ".html", ".txt"}:
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def mailer(*, debug):
    """
    The mail backend DJANGO_EMAIL_BACKEND names, with its options from the
    environment: by default the site's own console backend in development,
    which prints bodies as written (Django's prints them quoted-printable,
    which breaks long links), and SMTP in production.
    """
    backend = os.environ.get(
        "DJANGO_EMAIL_BACKEND",
        "config.console_mail.EmailBackend"
        if debug
        else "django.core.mail.backends.smtp.EmailBackend",
    )
    if backend.endswith(".smtp.EmailBackend"):
        options = {
            "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
            "port": env_int("DJANGO_EMAIL_PORT", 25),
            "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
            "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("DJANGO_EMAIL_USE_TLS"),
            "timeout": 10,
        }
        return {"BACKEND": backend, "OPTIONS": options}
    if backend.endswith(".filebased.EmailBackend"):
        # One file per message, in the folder given: for a mail catcher.
        options = {"file_path": os.environ.get("DJANGO_EMAIL_FILE_PATH", "")}
        return {"BACKEND": backend, "OPTIONS": options}
    return {"BACKEND": backend}
