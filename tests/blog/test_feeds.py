import datetime

import feedparser
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from blog.models import Category, Post
from tests.builders import (
    image_upload,
    make_category,
    make_page,
    make_post,
    make_publication,
    make_user,
)
from tests.page_parts import parsed_feed
from tests.seed.conftest import seed  # noqa: F401 (the seed content, for one test)

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
    assert 'type="application/atom+xml" title="' in html
    assert 'href="https://blog.example.org/feed/atom/"' in html


@pytest.mark.parametrize("name", ["blog:post-feed", "blog:post-feed-atom"])
def test_every_address_in_a_feed_is_on_the_configured_site(client, settings, name):
    settings.BLOG_SITE_URL = "https://blog.example.org"
    post = make_post()

    xml = client.get(reverse(name), HTTP_HOST="localhost:4444").text

    assert f"https://blog.example.org{post.get_absolute_url()}" in xml
    assert f"https://blog.example.org{reverse(name)}" in xml
    assert "localhost" not in xml


SITE = "https://blog.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.BLOG_SITE_URL = SITE


def titles(feed):
    return sorted(entry.title for entry in feed.entries)


@pytest.fixture
def filed(db):
    """A public, a draft and a scheduled post filed alike, and one filed elsewhere."""
    author = make_user(username="ada", display_name="Ada Lovelace")
    category = make_category(name="Inspections", slug="inspections")
    publication = make_publication(name="Chronicle", slug="chronicle")
    filing = {
        "author": author,
        "categories": [category],
        "tags": ["ofsted"],
        "first_appeared_in": publication,
    }
    make_post(title="Filed", **filing)
    make_post(title="Filed draft", status=Post.Status.DRAFT, **filing)
    make_post(
        title="Filed scheduled",
        published_at=timezone.now() + datetime.timedelta(days=1),
        **filing,
    )
    make_post(title="Filed elsewhere", categories=[make_category()], tags=["budget"])
    return {
        "category": {"slug": "inspections"},
        "tag": {"slug": "ofsted"},
        "author": {"username": "ada"},
        "publication": {"slug": "chronicle"},
    }


ARCHIVE_FEEDS = ["category", "tag", "author", "publication"]
FORMATS = ["feed", "feed-atom"]


@pytest.mark.parametrize("suffix", FORMATS)
def test_site_feed_lists_only_public_posts(client, filed, suffix):
    make_page(title="About")

    feed = parsed_feed(client, reverse(f"blog:post-{suffix}"))

    assert titles(feed) == ["Filed", "Filed elsewhere"]


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("archive", ARCHIVE_FEEDS)
def test_archive_feed_lists_only_the_public_posts_filed_under_it(
    client, filed, archive, suffix
):
    feed = parsed_feed(
        client, reverse(f"blog:{archive}-{suffix}", kwargs=filed[archive])
    )

    assert titles(feed) == ["Filed"]
    assert feed.feed.link == SITE + reverse(
        f"blog:{archive}-archive", kwargs=filed[archive]
    )


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("blog:category-feed", {"slug": "no-such-category"}),
        ("blog:tag-feed", {"slug": "no-such-tag"}),
        ("blog:author-feed", {"username": "nobody"}),
        ("blog:author-feed-atom", {"username": "deactivated"}),
        ("blog:publication-feed-atom", {"slug": "no-such-publication"}),
    ],
)
def test_feed_of_nothing_or_no_one_public_is_not_found(client, name, kwargs):
    make_post(author=make_user(username="deactivated", is_active=False))

    assert client.get(reverse(name, kwargs=kwargs)).status_code == 404


@pytest.mark.parametrize("name", ["blog:post-feed", "blog:post-feed-atom"])
def test_featured_image_is_enclosed_and_shown_first(client, name):
    post = make_post(
        featured_image=image_upload(), featured_image_alt="A council house at dusk"
    )
    image_url = SITE + post.featured_image.url

    (entry,) = parsed_feed(client, reverse(name)).entries

    (enclosure,) = entry.enclosures
    assert enclosure.href == image_url
    assert enclosure.length == str(post.featured_image.size)
    assert enclosure.type == "image/png"
    assert entry.summary.startswith("<p><img ")
    assert f'src="{image_url}"' in entry.summary
    assert 'alt="A council house at dusk"' in entry.summary


def test_featured_image_missing_from_storage_is_not_enclosed(client):
    post = make_post(featured_image=image_upload())
    post.featured_image.storage.delete(post.featured_image.name)

    (entry,) = parsed_feed(client, reverse("blog:post-feed")).entries

    assert entry.get("enclosures", []) == []


@pytest.mark.parametrize("name", ["blog:post-feed", "blog:post-feed-atom"])
def test_feed_gives_excerpts_when_full_text_is_off(client, settings, name):
    settings.BLOG_FEED_FULL_TEXT = False
    post = make_post(body="The *entire* text.", excerpt="Just the gist.")

    (entry,) = parsed_feed(client, reverse(name)).entries

    assert "Just the gist." in entry.summary
    assert "entire" not in entry.summary
    assert f'href="{SITE}{post.get_absolute_url()}"' in entry.summary


@pytest.mark.parametrize("name", ["blog:post-feed", "blog:post-feed-atom"])
def test_feed_items_carry_their_categories_and_tags(client, name):
    make_post(categories=[make_category(name="Inspections")], tags=["ofsted", "sen"])

    (entry,) = parsed_feed(client, reverse(name)).entries

    assert sorted(tag.term for tag in entry.tags) == ["Inspections", "ofsted", "sen"]


@pytest.mark.parametrize(
    "archive, page_title",
    [
        ("category", "Category Archives: Inspections"),
        ("tag", "Posts Tagged ‘ofsted’"),
        ("author", "Posts by Ada Lovelace"),
        ("publication", "First appeared in the Chronicle"),
    ],
)
def test_archive_page_advertises_its_own_feeds(client, filed, archive, page_title):
    kwargs = filed[archive]

    html = client.get(reverse(f"blog:{archive}-archive", kwargs=kwargs)).text

    rss = SITE + reverse(f"blog:{archive}-feed", kwargs=kwargs)
    atom = SITE + reverse(f"blog:{archive}-feed-atom", kwargs=kwargs)
    assert (
        f'<link rel="alternate" type="application/rss+xml" title="{page_title}" '
        f'href="{rss}">'
    ) in html
    assert (
        f'<link rel="alternate" type="application/atom+xml" '
        f'title="{page_title} (Atom)" href="{atom}">'
    ) in html


@pytest.mark.usefixtures("seed")
def test_seed_articles_page_advertises_its_feed(client):
    articles = Category.objects.get(name="Articles")
    feed_url = SITE + reverse("blog:category-feed", kwargs={"slug": articles.slug})

    html = client.get(articles.get_absolute_url()).text

    assert '<link rel="alternate" type="application/rss+xml" title="' in html
    assert f'title="Category Archives: Articles" href="{feed_url}">' in html
    assert parsed_feed(client, feed_url).entries


def every_feed(filed):
    """(address, queries to answer 304) of every post feed, RSS and Atom."""
    feeds = [(reverse(f"blog:post-{suffix}"), 1) for suffix in FORMATS]
    for archive in ARCHIVE_FEEDS:
        for suffix in FORMATS:
            url = reverse(f"blog:{archive}-{suffix}", kwargs=filed[archive])
            # The archived thing, then its posts' versions.
            feeds.append((url, 2))
    return feeds


def test_feeds_answer_a_reader_who_has_the_latest_with_not_modified(
    client, filed, django_assert_num_queries
):
    for url, queries in every_feed(filed):
        first = client.get(url)

        with django_assert_num_queries(queries):
            by_etag = client.get(url, headers={"if-none-match": first["ETag"]})
        with django_assert_num_queries(queries):
            by_date = client.get(
                url, headers={"if-modified-since": first["Last-Modified"]}
            )

        long_before = http_date(parse_http_date(first["Last-Modified"]) - 3600)
        older = client.get(url, headers={"if-modified-since": long_before})

        assert by_etag.status_code == by_date.status_code == 304, url
        assert by_etag.content == by_date.content == b""
        assert by_etag["ETag"] == first["ETag"]
        assert older.status_code == 200


def status_after(client, url, change):
    """The status of a request for `url` as of before `change()`, after it."""
    before = client.get(url)["ETag"]
    change()
    return client.get(url, headers={"if-none-match": before}).status_code


def publish_a_post():
    make_post(categories=[Category.objects.get(slug="inspections")])


def edit_a_post():
    post = Post.objects.get(title="Filed")
    post.body = "New words."
    post.save()


def rename_the_category():
    category = Category.objects.get(slug="inspections")
    category.name = "Ofsted inspections"
    category.save()


def reach_the_scheduled_date():
    scheduled = Post.objects.filter(title="Filed scheduled")
    scheduled.update(published_at=timezone.now() - datetime.timedelta(minutes=1))


def unpublish_a_post():
    Post.objects.filter(title="Filed").unpublish()


@pytest.mark.parametrize(
    "change",
    [
        publish_a_post,
        edit_a_post,
        rename_the_category,
        reach_the_scheduled_date,
        unpublish_a_post,
    ],
)
@pytest.mark.parametrize("name", ["blog:post-feed", "blog:category-feed-atom"])
def test_a_change_to_what_a_feed_shows_changes_its_etag(client, filed, change, name):
    url = reverse(name, kwargs=filed["category"] if "category" in name else {})

    assert status_after(client, url, change) == 200


def test_an_unrelated_post_leaves_an_archive_feed_unchanged(client, filed):
    url = reverse("blog:tag-feed", kwargs=filed["tag"])

    assert status_after(client, url, make_post) == 304


@pytest.fixture
def ten_thousand_posts(db):
    """10,000 older posts in one category, and 20 newer, tagged and filed."""
    category = make_category(slug="everything")
    author = make_user()
    long_ago = timezone.now() - datetime.timedelta(days=30)
    old = Post.objects.bulk_create(
        Post(
            title=f"Old post {n}",
            slug=f"old-post-{n}",
            author=author,
            body=f"Old post {n}.",
            body_html=f"<p>Old post {n}.</p>",
            summary=f"Old post {n}.",
            status=Post.Status.PUBLISHED,
            published_at=long_ago - datetime.timedelta(minutes=n),
        )
        for n in range(10_000)
    )
    Post.categories.through.objects.bulk_create(
        Post.categories.through(post=post, category=category) for post in old
    )
    for n in range(20):
        make_post(
            author=author,
            categories=[category, make_category()],
            tags=[f"tag-{n}", "shared"],
            featured_image=image_upload() if n % 2 else "",
        )
    return category


@pytest.mark.parametrize("suffix", FORMATS)
def test_feeds_stay_cheap_with_ten_thousand_posts(
    client, ten_thousand_posts, django_assert_num_queries, suffix
):
    site_feed = reverse(f"blog:post-{suffix}")
    category_feed = reverse(
        f"blog:category-{suffix}", kwargs={"slug": ten_thousand_posts.slug}
    )
    client.get(site_feed)  # taggit's content type, cached once per process
    cache.clear()

    # The versions, the posts, their categories, their tags.
    with django_assert_num_queries(4):
        site = client.get(site_feed)
    # The category, then as the site feed.
    with django_assert_num_queries(5):
        category = client.get(category_feed)

    for response in (site, category):
        feed = feedparser.parse(response.content)
        assert not feed.bozo
        assert len(feed.entries) == 20
        assert not any(entry.title.startswith("Old") for entry in feed.entries)
    # A reader polling for news: the versions; the category, then its versions.
    with django_assert_num_queries(1):
        site = client.get(site_feed, headers={"if-none-match": site["ETag"]})
    with django_assert_num_queries(2):
        category = client.get(
            category_feed, headers={"if-none-match": category["ETag"]}
        )
    assert site.status_code == category.status_code == 304
    # A reader with no copy yet: the versions, then the feed from the cache.
    with django_assert_num_queries(1):
        again = Client().get(site_feed)
    assert again.content == client.get(site_feed).content
