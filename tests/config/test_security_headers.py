import json
import re

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.builders import make_comment, make_post
from tests.config.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db


def test_pages_forbid_inline_and_foreign_scripts_and_styles(client):
    post = make_post()

    policy = client.get(post.get_absolute_url())["Content-Security-Policy"]
    directives = dict(
        directive.strip().split(" ", 1) for directive in policy.split(";")
    )

    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy


def test_pages_carry_the_basic_security_headers(client):
    response = client.get("/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def policy_directives(response):
    policy = response["Content-Security-Policy"]
    return dict(directive.strip().split(" ", 1) for directive in policy.split(";"))


def inline_scripts(html):
    return re.findall(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", html, re.IGNORECASE)


@pytest.fixture
def moderation_site(db):
    """A post with a comment waiting, so that the admin's own pages show it."""
    post = make_post()
    make_comment(post=post, status=Comment.Status.PENDING)
    return post


@pytest.mark.parametrize(
    ("page", "phrase"),
    [
        ("admin:index", "1 comment waiting for moderation"),
        ("admin:comments_comment_changelist", "All comments"),
        ("admin:comments_comment_thread", "Comments on"),
        ("admin:blog_post_add", "Add post"),
    ],
)
def test_the_custom_admin_pages_keep_to_the_policy(
    admin_client, moderation_site, page, phrase
):
    args = [moderation_site.pk] if page == "admin:comments_comment_thread" else []

    response = admin_client.get(reverse(page, args=args))

    assert response.status_code == 200
    assert phrase in response.text
    assert policy_directives(response)["script-src"] == "'self'"
    assert inline_scripts(response.text) == []


# The production settings, as the operator runs them (tests/config/test_settings.py):
# a secure and a plain request to the site, with the headers and cookies that
# came back printed as JSON.
PRODUCTION_REQUESTS = """
import json
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from accounts.models import User

call_command("migrate", verbosity=0)
User.objects.create_user("jane", "jane@example.org", "a long passphrase 4821")
client = Client(SERVER_NAME="blog.example.org")
login = client.post(
    "/accounts/login/",
    {"username": "jane", "password": "a long passphrase 4821"},
    secure=True,
)
plain = Client(SERVER_NAME="blog.example.org").get("/accounts/login/")
print(json.dumps({
    "login_status": login.status_code,
    "hsts": login.get("Strict-Transport-Security"),
    "session_cookie_secure": login.cookies[settings.SESSION_COOKIE_NAME]["secure"],
    "csrf_cookie_secure": login.cookies[settings.CSRF_COOKIE_NAME]["secure"],
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "plain_hsts": plain.get("Strict-Transport-Security"),
}))
"""


def production_requests(var, **env):
    result = manage(
        "shell", "-c", PRODUCTION_REQUESTS,
        env={**PRODUCTION, "DJANGO_VAR_DIR": str(var), **env},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers["login_status"] == 302, answers
    return answers


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    return production_requests(tmp_path_factory.mktemp("production"))


def test_production_sends_strict_transport_security_over_https(production):
    # Only for this host: subdomains and the preload list are opt-in.
    assert production["hsts"] == "max-age=31536000"


def test_production_extends_strict_transport_security_when_told(tmp_path):
    answers = production_requests(
        tmp_path,
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        DJANGO_SECURE_HSTS_PRELOAD="true",
    )

    assert answers["hsts"] == "max-age=31536000; includeSubDomains; preload"


def test_production_sends_no_strict_transport_security_over_plain_http(production):
    # Browsers ignore it there; the plain request is redirected instead.
    assert production["plain_hsts"] is None
    assert production["plain_status"] == 301
    assert production["plain_location"] == "https://blog.example.org/accounts/login/"


def test_production_session_cookie_is_secure(production):
    assert production["session_cookie_secure"] is True


def test_production_csrf_cookie_is_secure(production):
    assert production["csrf_cookie_secure"] is True
