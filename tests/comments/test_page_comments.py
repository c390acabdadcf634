"""Comments on standalone pages, which take them only once an editor opens them."""

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests.builders import (
    make_comment,
    make_editor,
    make_page,
    make_post,
    page_admin_form,
)

pytestmark = pytest.mark.django_db


def open_comments(page):
    """Tick "comments open" on the page's admin form, as an editor does."""
    editor = make_editor()
    staff = Client()
    staff.force_login(editor)
    response = staff.post(
        reverse("admin:blog_page_change", args=[page.pk]),
        page_admin_form(
            editor,
            slug=page.slug,
            _publishing="update",
            **{"discussion-0-is_open": "on"},
        ),
    )
    assert response.status_code == 302


def test_a_new_page_shows_no_comment_form_and_refuses_comments(
    client, send_comment, comment_form_token
):
    page = make_page(slug="contact")
    token_from_elsewhere = comment_form_token(client, make_post())

    html = client.get("/contact/").text
    response = send_comment(client, page, token=token_from_elsewhere)

    assert 'class="comment-form"' not in html
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_a_page_opened_to_comments_takes_them_and_lands_on_the_page(
    client, send_comment
):
    page = make_page(slug="contact")
    open_comments(page)

    response = send_comment(client, page, body="Where do I write to?")

    comment = Comment.objects.get()
    assert comment.post_id == page.pk
    assert response["Location"] == f"/contact/#comment-{comment.pk}"
    assert comment.get_absolute_url() == f"/contact/#comment-{comment.pk}"


def test_an_approved_comment_on_a_page_shows_in_its_thread(client):
    page = make_page(slug="contact")
    open_comments(page)
    make_comment(post=page, body="Thanks for the page.")

    assert "Thanks for the page." in client.get("/contact/").text
