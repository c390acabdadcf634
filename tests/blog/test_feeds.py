import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from tests.builders import make_post, make_publication

pytestmark = pytest.mark.django_db


def test_feed_lists_published_posts_with_their_full_text(client):
    make_post(title="Public post", body="The *whole* text.")
    make_post(title="Draft post", status=Post.Status.DRAFT)
    make_post(
        title="Scheduled post", published_at=timezone.now() + datetime.timedelta(days=1)
    )

    response = client.get(reverse("blog:post-feed"))

    assert response["Content-Type"].startswith("application/rss+xml")
    xml = response.content.decode()
    assert "<title>Public post</title>" in xml
    assert "&lt;em&gt;whole&lt;/em&gt;" in xml
    assert "Draft post" not in xml
    assert "Scheduled post" not in xml


def test_feed_items_carry_their_provenance(client):
    make_post(
        first_appeared_in=make_publication(name="Local Government Chronicle"),
        first_appeared_on=datetime.date(2016, 1, 21),
    )

    xml = client.get(reverse("blog:post-feed-atom")).content.decode()

    assert "first appeared in the Local Government Chronicle on 21 January 2016" in xml


def test_pages_point_feed_readers_at_the_feed(client, settings):
    settings.BLOG_SITE_URL = "https://blog.example.org"

    html = client.get("/", HTTP_HOST="localhost:4444").text

    assert 'type="application/rss+xml" title="' in html
    assert 'href="https://blog.example.org/feed/"' in html


@pytest.mark.parametrize("name", ["blog:post-feed", "blog:post-feed-atom"])
def test_every_address_in_a_feed_is_on_the_configured_site(client, settings, name):
    settings.BLOG_SITE_URL = "https://blog.example.org"
    post = make_post()

    xml = client.get(reverse(name), HTTP_HOST="localhost:4444").text

    assert f"https://blog.example.org{post.get_absolute_url()}" in xml
    assert f"https://blog.example.org{reverse(name)}" in xml
    assert "localhost" not in xml
