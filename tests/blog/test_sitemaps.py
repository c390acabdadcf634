import datetime
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from blog import sitemaps
from blog.models import Post
from tests.builders import make_category, make_page, make_post, make_user
from tests.seed.conftest import seed  # noqa: F401 (the seed content, for one test)

pytestmark = pytest.mark.django_db

SITE = "https://blog.example.org"
XML = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.BLOG_SITE_URL = SITE


def entries(response, tag="url"):
    """{address: lastmod} of a sitemap file (tag="url") or index ("sitemap")."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ElementTree.fromstring(response.content)
    return {
        entry.findtext("sm:loc", namespaces=XML): entry.findtext(
            "sm:lastmod", namespaces=XML
        )
        for entry in root.findall(f"sm:{tag}", XML)
    }


def w3c_datetime(moment):
    return moment.isoformat(timespec="seconds")


def test_sitemap_lists_published_posts_last_modified_when_updated(client):
    post = make_post()
    make_post(slug="draft", status=Post.Status.DRAFT)
    make_post(slug="scheduled", published_at=timezone.now() + datetime.timedelta(1))

    urls = entries(client.get("/sitemap.xml"))

    assert urls[SITE + post.get_absolute_url()] == w3c_datetime(post.updated_at)
    assert SITE + reverse("blog:post-detail", args=["draft"]) not in urls
    assert SITE + reverse("blog:post-detail", args=["scheduled"]) not in urls


def test_sitemap_lists_categories_with_published_posts(client):
    category = make_category()
    make_post(categories=[category])
    empty = make_category()
    with_a_draft = make_category()
    make_post(categories=[with_a_draft], status=Post.Status.DRAFT)

    urls = entries(client.get(reverse("sitemap")))

    assert SITE + category.get_absolute_url() in urls
    assert SITE + empty.get_absolute_url() not in urls
    assert SITE + with_a_draft.get_absolute_url() not in urls


def test_an_archive_is_last_modified_with_its_newest_post(client):
    category = make_category()
    make_post(categories=[category])
    newest = make_post(categories=[category])
    Post.objects.filter(pk=newest.pk).update(
        updated_at=timezone.now() + datetime.timedelta(days=3)
    )
    newest.refresh_from_db()

    urls = entries(client.get(reverse("sitemap")))

    assert urls[SITE + category.get_absolute_url()] == w3c_datetime(newest.updated_at)


def test_sitemap_lists_tags_with_published_posts(client):
    make_post(tags=["ofsted"])
    make_post(tags=["drafted"], status=Post.Status.DRAFT)

    urls = entries(client.get(reverse("sitemap")))

    assert SITE + reverse("blog:tag-archive", args=["ofsted"]) in urls
    assert SITE + reverse("blog:tag-archive", args=["drafted"]) not in urls


def test_sitemap_lists_active_authors_with_published_posts(client):
    author = make_user(username="writer")
    make_post(author=author)
    gone = make_user(username="gone", is_active=False)
    make_post(author=gone)
    drafter = make_user(username="drafter")
    make_post(author=drafter, status=Post.Status.DRAFT)

    urls = entries(client.get(reverse("sitemap")))

    assert SITE + reverse("blog:author-archive", args=["writer"]) in urls
    assert SITE + reverse("blog:author-archive", args=["gone"]) not in urls
    assert SITE + reverse("blog:author-archive", args=["drafter"]) not in urls


def test_sitemap_lists_published_pages_at_their_address(client):
    about = make_page(title="About", slug="about")
    make_page(title="Team", slug="team", parent=about)
    draft = make_page(title="Draft", slug="draft-page", status=Post.Status.DRAFT)

    urls = entries(client.get(reverse("sitemap")))

    assert SITE + "/about/team/" in urls
    assert SITE + about.get_absolute_url() in urls
    assert SITE + draft.get_absolute_url() not in urls
    assert SITE + reverse("blog:post-detail", args=["about"]) not in urls


@pytest.mark.usefixtures("seed")
def test_every_address_in_the_seed_sitemap_is_a_page_readers_see(client):
    urls = entries(client.get(reverse("sitemap")))

    assert len(urls) > 10
    for url in urls:
        assert client.get(url.removeprefix(SITE)).status_code == 200, url


def test_addresses_are_quoted_as_the_site_links_them(client):
    author = make_user(username="zoë.o'hara@home")
    make_post(author=author, tags=["café & bar"])

    urls = entries(client.get(reverse("sitemap")))

    assert SITE + reverse("blog:author-archive", args=[author.username]) in urls
    assert SITE + reverse("blog:tag-archive", args=["café-bar"]) in urls


def test_every_address_is_on_the_configured_site_whatever_the_host(client):
    make_post(categories=[make_category()], tags=["ofsted"])
    make_page(title="About", slug="about")

    urls = entries(client.get(reverse("sitemap"), HTTP_HOST="localhost:4444"))

    assert len(urls) == 5
    assert all(url.startswith(SITE + "/") for url in urls)


def test_sitemap_becomes_an_index_of_pages_past_the_limit(client, monkeypatch):
    monkeypatch.setattr(sitemaps.BlogSitemap, "limit", 2)
    posts = [make_post(author=make_user(is_active=False)) for _ in range(3)]

    index = entries(client.get(reverse("sitemap"), HTTP_HOST="localhost"), "sitemap")

    first = SITE + reverse("sitemap-section", kwargs={"section": "posts"})
    assert list(index) == [first, f"{first}?p=2"]
    listed = {}
    for address in index:
        listed |= entries(client.get(address.removeprefix(SITE)))
    assert set(listed) == {SITE + post.get_absolute_url() for post in posts}


def test_index_leaves_out_empty_sections(client, monkeypatch):
    monkeypatch.setattr(sitemaps.BlogSitemap, "limit", 2)
    make_post(categories=[make_category()])
    make_post()

    index = entries(client.get(reverse("sitemap")), "sitemap")

    sections = ["posts", "categories", "authors"]
    assert sorted(index) == sorted(
        SITE + reverse("sitemap-section", kwargs={"section": name}) for name in sections
    )


def test_sitemap_stays_one_file_while_everything_fits(client, monkeypatch):
    monkeypatch.setattr(sitemaps.BlogSitemap, "limit", 3)
    author = make_user()
    make_post(author=author)
    make_post(author=author)

    urls = entries(client.get(reverse("sitemap")))

    assert len(urls) == 3


def test_a_section_page_past_the_last_is_not_found(client):
    make_post()
    section = reverse("sitemap-section", kwargs={"section": "posts"})

    assert client.get(section, {"p": 2}).status_code == 404
    assert client.get(section, {"p": "x"}).status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_sitemap_answers_an_unchanged_conditional_request_with_304(client):
    make_post()
    first = client.get(reverse("sitemap"))

    again = client.get(
        reverse("sitemap"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )

    assert again.status_code == 304
    assert again.content == b""


def test_sitemap_is_sent_again_once_a_post_is_edited(client):
    post = make_post()
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    Post.objects.filter(pk=post.pk).update(updated_at=an_hour_ago)
    first = client.get(reverse("sitemap"))
    assert first["Last-Modified"] == http_date(an_hour_ago.timestamp())

    post.save()
    again = client.get(
        reverse("sitemap"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )

    assert again.status_code == 200


def test_sitemap_is_sent_again_once_a_scheduled_post_goes_live(client):
    hours_ago = timezone.now() - datetime.timedelta(hours=3)
    make_post(published_at=hours_ago)
    scheduled = make_post(published_at=timezone.now() + datetime.timedelta(hours=1))
    Post.objects.update(updated_at=hours_ago)
    first = client.get(reverse("sitemap"))

    # Its hour comes: nothing about it is saved, but it is public now.
    Post.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    again = client.get(
        reverse("sitemap"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )

    assert SITE + scheduled.get_absolute_url() in entries(again)


def test_sitemap_takes_the_same_queries_for_ten_thousand_posts(
    client, django_assert_num_queries
):
    author = make_user()
    category = make_category()
    make_post(author=author, categories=[category], tags=["ofsted"])
    make_page(title="About", slug="about", author=author)
    now = timezone.now()
    Post.objects.bulk_create(
        Post(
            title=f"Post {n}",
            slug=f"bulk-{n}",
            author=author,
            body="",
            status=Post.Status.PUBLISHED,
            published_at=now - datetime.timedelta(minutes=n),
        )
        for n in range(10_000)
    )

    # The posts' state, and per section a count and a select (5 × 2).
    with django_assert_num_queries(11):
        urls = entries(client.get(reverse("sitemap")))
    # Another crawler: the posts' state, then the file made for it.
    with django_assert_num_queries(1):
        again = entries(client.get(reverse("sitemap")))

    assert len(urls) == 10_001 + 1 + 1 + 1 + 1
    assert again == urls


def delete_post(post):
    post.delete()


def rename_category(post):
    category = post.categories.get()
    category.slug = "renamed"
    category.save()


@pytest.mark.parametrize("change", [delete_post, rename_category])
def test_a_change_without_a_new_date_is_in_the_next_sitemap(client, change):
    post = make_post(categories=[make_category(slug="before")])
    make_post()
    first = client.get(reverse("sitemap")).content

    change(post)

    again = client.get(reverse("sitemap"))
    assert again.content != first
    assert (SITE + post.get_absolute_url() in entries(again)) == (
        change is rename_category
    )
