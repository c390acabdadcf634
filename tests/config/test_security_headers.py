import pytest
from django.urls import reverse

from tests.builders import make_post

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


def test_the_admin_works_under_the_policy(admin_client):
    response = admin_client.get(reverse("admin:blog_post_add"))

    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert "<script>" not in response.content.decode()
