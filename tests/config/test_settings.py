"""The settings as an operator meets them: through manage.py and the environment."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-production-key-" + "x9Kq2" * 12,
    "DJANGO_ALLOWED_HOSTS": "blog.example.org",
    "BLOG_SITE_URL": "https://blog.example.org",
}


def operator_environment(env):
    # Only what the test names: not the DATABASE_URL or REDIS_URL of this run.
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    return {**environment, **env}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=operator_environment(env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_pass_the_deployment_check(tmp_path):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env={**PRODUCTION, "DJANGO_VAR_DIR": str(tmp_path)},
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**PRODUCTION, "DJANGO_VAR_DIR": str(tmp_path)}
    del env["DJANGO_SECRET_KEY"]

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("key", "found"),
    [
        ("x9Kq2" * 9 + "abcd", "49 characters, 9 of them different"),
        ("abcd" * 20, "80 characters, 4 of them different"),
    ],
)
def test_production_refuses_a_weak_secret_key(tmp_path, key, found):
    env = {**PRODUCTION, "DJANGO_VAR_DIR": str(tmp_path), "DJANGO_SECRET_KEY": key}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert f"DJANGO_SECRET_KEY has {found}; it needs at least 50" in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr
    assert key not in result.stderr


def test_production_refuses_to_start_without_the_site_url(tmp_path):
    env = {**PRODUCTION, "DJANGO_VAR_DIR": str(tmp_path), "BLOG_SITE_URL": ""}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "BLOG_SITE_URL must be set" in result.stderr


@pytest.mark.parametrize("url", ["blog.example.org", "https://blog.example.org/blog"])
def test_a_site_url_that_is_not_a_scheme_and_host_is_refused(tmp_path, url):
    env = {**PRODUCTION, "DJANGO_VAR_DIR": str(tmp_path), "BLOG_SITE_URL": url}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "give the scheme and host only" in result.stderr


def test_production_serves_the_site_urls_host_unless_told_otherwise(tmp_path):
    env = {**PRODUCTION, "DJANGO_VAR_DIR": str(tmp_path)}
    del env["DJANGO_ALLOWED_HOSTS"]

    code = "from django.conf import settings; print(settings.ALLOWED_HOSTS)"

    result = manage("shell", "--no-imports", "-c", code, env=env)

    assert result.stdout.strip() == "['blog.example.org']"


def test_development_keeps_one_secret_key_across_restarts(tmp_path):
    env = {"DJANGO_VAR_DIR": str(tmp_path)}
    code = "from django.conf import settings; print(settings.SECRET_KEY)"

    first = manage("shell", "-c", code, env=env)
    second = manage("shell", "-c", code, env=env)

    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert len(first.stdout.strip()) >= 50


def test_database_url_switches_to_postgresql(tmp_path):
    code = "from django.conf import settings; print(settings.DATABASES['default'])"
    env = {
        "DJANGO_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://blog:secret@db.internal:5432/blog",
    }

    result = manage("shell", "--no-imports", "-c", code, env=env)

    assert "'ENGINE': 'django.db.backends.postgresql'" in result.stdout
    assert "'HOST': 'db.internal'" in result.stdout


@pytest.mark.django_db
def test_sqlite_waits_for_the_write_lock_instead_of_failing():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite pragmas apply to the embedded database only.")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        busy_timeout = cursor.fetchone()[0]

    assert busy_timeout == 20_000
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_embedded_database_runs_in_wal_mode(tmp_path):
    code = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )

    result = manage("shell", "-c", code, env={"DJANGO_VAR_DIR": str(tmp_path)})

    assert result.stdout.strip().endswith("wal"), result.stderr


def test_production_creates_the_embedded_database_in_a_new_folder(tmp_path):
    var = tmp_path / "not-yet-made"

    result = manage(
        "migrate", "--noinput", env={**PRODUCTION, "DJANGO_VAR_DIR": str(var)}
    )

    assert result.returncode == 0, result.stderr
    assert (var / "db.sqlite3").exists()


@pytest.mark.django_db
def test_createadmin_in_production_mode_says_so_and_creates_no_account(settings):
    settings.DEBUG = False
    out = StringIO()

    call_command("createadmin", stdout=out)

    assert out.getvalue() == (
        "Production mode (DJANGO_DEBUG off): no administrator created; "
        "use 'manage.py createsuperuser'.\n"
    )
    assert not get_user_model().objects.exists()


def test_gunicorn_names_a_variable_that_is_not_a_number():
    result = subprocess.run(
        [
            Path(sys.executable).parent / "gunicorn",
            "--config",
            "config/gunicorn.conf.py",
            "--check-config",
        ],
        cwd=BASE_DIR,
        env={**os.environ, "GUNICORN_TIMEOUT": "30s"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    message = "GUNICORN_TIMEOUT must be a whole number, not '30s'."
    assert result.stderr.strip() == message
