"""The live preview of a post's body in the admin (PostAdmin.body_preview)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from blog.markup import render_markdown
from tests.builders import make_editor, make_moderator

pytestmark = pytest.mark.django_db

PREVIEW = reverse("admin:blog_post_preview")
BODY = (
    "## Why hubs\n\n"
    "Read [the evaluation](https://example.org/report).\n\n"
    "<script>alert('stolen')</script>\n\n"
    '<a href="javascript:alert(1)" onclick="steal()">click</a>'
)


def test_preview_is_the_body_as_the_public_page_renders_it(editor_client):
    response = editor_client.post(PREVIEW, {"body": BODY})

    assert response.status_code == 200
    assert response.text == render_markdown(BODY)
    assert "<h2>Why hubs</h2>" in response.text
    assert (
        '<a href="https://example.org/report" rel="noopener">the evaluation</a>'
        in response.text
    )


def test_preview_leaves_out_anything_a_browser_could_run(editor_client):
    response = editor_client.post(PREVIEW, {"body": BODY})

    assert "<script" not in response.text
    assert "javascript:" not in response.text
    assert "onclick" not in response.text


def test_preview_refuses_get(editor_client):
    response = editor_client.get(PREVIEW, {"body": BODY})

    assert response.status_code == 405


def test_preview_refuses_staff_who_may_not_write_posts(client):
    client.force_login(make_moderator())

    response = client.post(PREVIEW, {"body": BODY})

    assert response.status_code == 403


def test_preview_sends_visitors_to_the_login_page(client):
    response = client.post(PREVIEW, {"body": BODY})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_preview_requires_the_forms_csrf_token():
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_editor())
    form = browser.get(reverse("admin:blog_post_add")).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]

    forged = browser.post(PREVIEW, {"body": BODY})
    genuine = browser.post(PREVIEW, {"body": BODY}, headers={"X-CSRFToken": token})

    assert forged.status_code == 403
    assert genuine.status_code == 200
    assert "<h2>Why hubs</h2>" in genuine.text
