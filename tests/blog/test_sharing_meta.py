import datetime
import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.builders import (
    image_upload,
    make_category,
    make_post,
    make_publication,
    make_user,
)

pytestmark = pytest.mark.django_db

SITE = "https://blog.example.org"
# ISO 8601 to the second, with the offset: no microseconds.
ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.BLOG_SITE_URL = SITE


class Head(HTMLParser):
    """What a page's <head> tells previews: meta tags, links and JSON-LD."""

    def __init__(self):
        super().__init__()
        self.meta, self.links, self.json_ld = {}, {}, []
        self.in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("name" in attrs or "property" in attrs):
            key = attrs.get("property") or attrs["name"]
            self.meta.setdefault(key, []).append(attrs["content"])
        elif tag == "link":
            self.links.setdefault(attrs["rel"], []).append(attrs["href"])
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self.in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        self.in_json_ld = False

    def handle_data(self, data):
        if self.in_json_ld:
            self.json_ld[-1] += data

    def one(self, key):
        (value,) = self.meta[key]
        return value

    @property
    def canonical(self):
        (href,) = self.links["canonical"]
        return href

    @property
    def data(self):
        (text,) = self.json_ld
        return json.loads(text)


def head(response):
    assert response.status_code == 200
    parser = Head()
    parser.feed(response.content.decode().split("</head>")[0])
    return parser


def test_post_page_describes_the_post(client):
    author = make_user(username="ada", display_name="Ada Lovelace")
    category = make_category(name="Ofsted")
    post = make_post(
        title="Inspection results",
        excerpt="What the inspectors found.",
        author=author,
        categories=[category],
        tags=["ofsted", "councils"],
        published_at=timezone.now() - datetime.timedelta(days=1, microseconds=1234),
    )

    page = head(client.get(post.get_absolute_url()))

    url = f"{SITE}{post.get_absolute_url()}"
    assert page.canonical == page.one("og:url") == url
    assert page.one("description") == page.one("og:description")
    assert page.one("description") == "What the inspectors found."
    assert page.one("og:title") == "Inspection results"
    assert page.one("og:type") == "article"
    assert page.one("og:locale") == "en_GB"
    assert page.one("og:site_name") == "Children’s Services Notes"
    assert page.one("article:author") == f"{SITE}/author/ada/"
    assert page.one("article:section") == "Ofsted"
    assert sorted(page.meta["article:tag"]) == ["councils", "ofsted"]
    assert ISO_TIME.fullmatch(page.one("article:published_time"))
    assert ISO_TIME.fullmatch(page.one("article:modified_time"))
    assert page.one("twitter:card") == "summary"
    assert "og:image" not in page.meta


def test_post_with_a_featured_image_shows_it_in_previews(client):
    post = make_post(featured_image=image_upload(), featured_image_alt="A town hall")

    page = head(client.get(post.get_absolute_url()))

    assert page.one("og:image") == f"{SITE}{post.featured_image.url}"
    assert page.one("og:image:width") == "40"
    assert page.one("og:image:height") == "30"
    assert page.one("og:image:alt") == page.one("twitter:image:alt") == "A town hall"
    assert page.one("twitter:card") == "summary_large_image"
    assert page.data["image"]["url"] == page.one("og:image")


def test_image_on_another_host_keeps_its_address(client, settings):
    settings.MEDIA_URL = "https://media.example.net/uploads/"
    post = make_post(featured_image=image_upload())

    page = head(client.get(post.get_absolute_url()))

    assert page.one("og:image").startswith("https://media.example.net/uploads/posts/")


def test_post_that_first_appeared_elsewhere_names_the_original(client):
    publication = make_publication(name="Municipal Journal", website="https://mj.test")
    post = make_post(
        first_appeared_in=publication,
        first_appeared_on=datetime.date(2016, 1, 21),
        first_appeared_url="https://mj.test/articles/42",
    )

    page = head(client.get(post.get_absolute_url()))

    assert page.canonical == "https://mj.test/articles/42"
    assert page.one("og:url") == f"{SITE}{post.get_absolute_url()}"
    original = page.data["isBasedOn"]
    assert original["url"] == "https://mj.test/articles/42"
    assert original["datePublished"] == "2016-01-21"
    assert original["publisher"]["name"] == "Municipal Journal"
    assert page.data["creditText"] == post.provenance


def test_post_json_ld_is_a_blog_posting(client):
    author = make_user(username="ada", display_name="Ada Lovelace")
    post = make_post(title="Budgets", author=author, tags=["money", "councils"])

    page = head(client.get(post.get_absolute_url()))

    data = page.data
    url = f"{SITE}{post.get_absolute_url()}"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "Budgets"
    assert data["description"] == page.one("description")
    assert data["datePublished"] == page.one("article:published_time")
    assert data["dateModified"] == page.one("article:modified_time")
    assert data["author"] == {
        "@type": "Person",
        "name": "Ada Lovelace",
        "url": f"{SITE}/author/ada/",
    }
    assert data["publisher"]["name"] == "Children’s Services Notes"
    assert data["publisher"]["url"] == f"{SITE}/"
    assert data["mainEntityOfPage"]["@id"] == url
    assert sorted(data["keywords"]) == ["councils", "money"]
    assert "isBasedOn" not in data


def test_a_title_cannot_break_out_of_the_json_ld(client):
    title = "</script><script>alert(1)</script><!--"
    post = make_post(title=title)

    response = client.get(post.get_absolute_url())

    assert b"<script>alert(1)" not in response.content
    assert head(response).data["headline"] == title


def test_visitor_written_text_is_escaped(client):
    author = make_user(bio='"><script>alert(1)</script>')

    response = client.get(reverse("blog:author-archive", args=[author.username]))

    assert head(response).one("description") == '"><script>alert(1)</script>'
    assert b"<script>alert(1)" not in response.content


def test_long_description_is_cut_at_a_word(client):
    post = make_post(excerpt="word " * 100)

    description = head(client.get(post.get_absolute_url())).one("description")

    assert len(description) <= 160
    assert description.endswith("word…")


def test_category_page_describes_the_category(client):
    category = make_category(slug="ofsted", description="Inspections of services.")

    page = head(client.get(category.get_absolute_url()))

    assert page.one("description") == "Inspections of services."
    assert page.canonical == page.one("og:url") == f"{SITE}/category/ofsted/"
    assert page.one("og:type") == "website"
    assert page.one("twitter:card") == "summary"
    assert page.json_ld == []


def test_category_without_a_description_names_the_archive(client):
    category = make_category(name="Ofsted")

    page = head(client.get(category.get_absolute_url()))

    assert page.one("description") == "Posts filed under Ofsted."


def test_month_archive_names_the_month(client):
    url = reverse("blog:archive-month", args=[2016, 1])

    page = head(client.get(url))

    assert page.one("description") == "Posts from January 2016."


def test_later_pages_of_a_list_are_their_own_canonical(client, settings):
    settings.BLOG_POSTS_PER_PAGE = 1
    make_post(), make_post()

    first = head(client.get(reverse("blog:post-list"), {"page": 1}))
    second = head(client.get(reverse("blog:post-list"), {"page": 2}))

    assert first.canonical == f"{SITE}/"
    assert second.canonical == f"{SITE}/?page=2"


def test_home_page_gives_the_tagline_and_the_site_search(client):
    page = head(client.get(reverse("blog:post-list")))

    tagline = "Writing on children’s services in English local government"
    assert page.one("description") == page.one("og:description") == tagline
    assert page.canonical == f"{SITE}/"
    data = page.data
    assert data["@type"] == "WebSite"
    assert data["url"] == f"{SITE}/"
    action = data["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == f"{SITE}/search/?q={{search_term_string}}"
    assert action["query-input"] == "required name=search_term_string"


@pytest.mark.parametrize(
    ("url", "status"), [(reverse("accounts:login"), 200), ("/no-such-page/", 404)]
)
def test_account_and_error_pages_fall_back_to_the_tagline(client, url, status):
    response = client.get(url)

    assert response.status_code == status
    page = Head()
    page.feed(response.content.decode())
    tagline = "Writing on children’s services in English local government"
    assert page.one("description") == tagline
    assert page.one("og:title") == "Children’s Services Notes"


def test_no_address_names_the_requests_host(client, settings):
    settings.ALLOWED_HOSTS = ["intruder.example"]
    post = make_post(featured_image=image_upload(), categories=[make_category()])
    urls = [
        post.get_absolute_url(),
        post.categories.get().get_absolute_url(),
        reverse("blog:post-list"),
        reverse("accounts:login"),
    ]

    for url in urls:
        response = client.get(url, HTTP_HOST="intruder.example")
        page = head(response)
        addresses = [page.canonical, page.one("og:url"), *page.meta.get("og:image", [])]
        assert all(address.startswith(f"{SITE}/") for address in addresses), url
        assert "intruder.example" not in "".join(page.json_ld), url
