"""
The cache as gunicorn workers and hosts meet it: separate processes, each
started with manage.py, sharing a real Redis server through REDIS_URL.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.services import require_service, running_redis

BASE_DIR = Path(__file__).resolve().parents[2]

# Run once in a process of its own: migrate an empty SQLite file and add a post.
SETUP_SITE = """
from django.core.management import call_command
from tests.builders import make_post
call_command("migrate", verbosity=0)
make_post(slug="shared-post")
"""

# Run in each process: comment on the post through the site, as a visitor
# would, and print the status of each answer.
POST_COMMENTS = """
import re
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse
setup_test_environment()
client = Client()
for n in range(COUNT):
    # A form sends one comment: each comment is written in a newly loaded one.
    page = client.get(reverse("blog:post-detail", kwargs={"slug": "shared-post"}))
    timestamp = re.search(r'name="timestamp" value="([^"]+)"', page.text)[1]
    answer = client.post(
        reverse("comments:comment-create", kwargs={"slug": "shared-post"}),
        {"author_name": "Sam", "author_email": "sam@example.org",
         "body": f"Comment {n}.", "timestamp": timestamp},
    )
    print(answer.status_code)
"""


@pytest.fixture
def redis_url():
    with require_service(running_redis) as url:
        yield url


def manage_shell(code, *, env):
    # Only what the test names: not the DATABASE_URL or REDIS_URL of this run.
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=BASE_DIR,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_redis_url_shares_the_cache_between_processes(redis_url, tmp_path):
    env = {"DJANGO_VAR_DIR": str(tmp_path), "REDIS_URL": redis_url}

    manage_shell("from django.core.cache import cache; cache.set('k', 'v1')", env=env)
    seen = manage_shell(
        "from django.core.cache import cache; print(cache.get('k'))", env=env
    )

    assert seen == ["v1"]


def test_without_redis_url_each_process_has_its_own_cache(tmp_path):
    env = {"DJANGO_VAR_DIR": str(tmp_path)}

    manage_shell("from django.core.cache import cache; cache.set('k', 'v1')", env=env)
    seen = manage_shell(
        "from django.core.cache import cache; print(cache.get('k'))", env=env
    )

    assert seen == ["None"]


def test_comment_rate_limit_holds_across_processes_sharing_redis(redis_url, tmp_path):
    env = {
        "DJANGO_VAR_DIR": str(tmp_path),
        "REDIS_URL": redis_url,
        "COMMENTS_RATE_LIMIT_PER_MINUTE": "2",
    }
    manage_shell(SETUP_SITE, env=env)

    first_worker = manage_shell(POST_COMMENTS.replace("COUNT", "2"), env=env)
    second_worker = manage_shell(POST_COMMENTS.replace("COUNT", "1"), env=env)

    assert first_worker == ["302", "302"]
    assert second_worker == ["429"]
