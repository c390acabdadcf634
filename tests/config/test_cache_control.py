"""
What pages tell browsers and shared caches (config/cache_control.py): a page
that belongs to one visitor is never kept where another could be served it.
tests/test_cache_privacy.py checks the site's own cache the same way.
"""

import re

import pytest
from django.urls import reverse

from tests import builders

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def cache_control(response):
    header = response.headers.get("Cache-Control", "")
    return {directive.strip() for directive in header.split(",") if directive}


@pytest.fixture
def post(db):
    return builders.make_post(slug="shared-post")


@pytest.fixture
def member_client(client):
    client.force_login(builders.make_user(username="quentin"))
    return client


def test_the_anonymous_post_list_stays_cacheable(client, post):
    response = client.get(reverse("blog:post-list"))

    assert "csrfmiddlewaretoken" not in response.text
    assert not response.cookies
    assert "private" not in cache_control(response)
    assert "no-store" not in cache_control(response)


def test_a_page_with_a_form_token_is_private(client, post):
    response = client.get(post.get_absolute_url())

    assert "csrfmiddlewaretoken" in response.text
    assert "private" in cache_control(response)


def test_the_login_page_is_private(client):
    response = client.get(reverse("accounts:login"))

    assert "private" in cache_control(response)


@pytest.mark.parametrize(
    "url",
    [
        reverse("blog:post-list"),
        reverse("blog:post-detail", kwargs={"slug": "shared-post"}),
        reverse("accounts:profile-detail", kwargs={"username": "quentin"}),
        reverse("accounts:profile-edit"),
    ],
)
def test_a_signed_in_visitors_pages_are_never_stored(member_client, post, url):
    response = member_client.get(url)

    assert response.status_code == 200
    assert "quentin" in response.text
    assert {"private", "no-store"} <= cache_control(response)


def test_a_page_showing_a_message_is_never_stored(client, mailoutbox, post):
    client.post(
        reverse("accounts:account-create"),
        {
            "email": "jane@example.org",
            "username": "jane",
            "display_name": "Jane Smith",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    client.logout()
    link = re.search(r"https?://\S+", mailoutbox[0].body).group()

    # The link's page has a button whose POST confirms, then shows the home page.
    response = client.post(link, follow=True)

    assert "Thank you: jane@example.org is confirmed." in response.text
    assert {"private", "no-store"} <= cache_control(response)


def test_a_signed_in_visitor_gets_the_same_avatar_caching_as_anyone(member_client):
    url = reverse("accounts:avatar-placeholder", kwargs={"username": "quentin"})

    response = member_client.get(url)

    # The placeholder is the same for everyone, so its view's day stands.
    assert cache_control(response) == {"max-age=86400"}
