import datetime
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.utils import timezone

from blog.models import Post
from tests.builders import (
    make_category,
    make_comment,
    make_post,
    make_publication,
    make_user,
)
from tests.page_parts import NAVIGATION_QUERIES, main_content

pytestmark = pytest.mark.django_db


def broken_view(request):
    raise RuntimeError("A bug in a view.")


# The URLs of test_failing_page_shows_the_500_page_in_the_sites_layout.
urlpatterns = [path("broken/", broken_view)]


def in_future():
    return timezone.now() + datetime.timedelta(days=2)


def listing_urls(post):
    """Every public list that `post` appears on when it is public."""
    year, month = post.published_at.year, post.published_at.month
    return [
        reverse("blog:post-list"),
        post.categories.get().get_absolute_url(),
        reverse("blog:tag-archive", args=[post.tags.get().slug]),
        reverse("blog:author-archive", args=[post.author.username]),
        post.first_appeared_in.get_absolute_url(),
        reverse("blog:archive-year", args=[year]),
        reverse("blog:archive-month", args=[year, month]),
    ]


@pytest.mark.parametrize(
    "hidden_fields",
    [
        {"status": Post.Status.DRAFT},
        {"published_at": in_future()},
    ],
    ids=["draft", "scheduled"],
)
def test_unpublished_posts_appear_on_no_public_list(client, hidden_fields):
    filing = {
        "categories": [make_category()],
        "tags": ["housing"],
        "first_appeared_in": make_publication(),
        "author": make_user(),
    }
    visible = make_post(title="Visible to all", published_at=timezone.now(), **filing)
    make_post(
        title="Not yet public",
        **{"published_at": timezone.now(), **filing, **hidden_fields},
    )

    for url in listing_urls(visible):
        page = client.get(url).content.decode()
        assert "Visible to all" in page, url
        assert "Not yet public" not in page, url


@pytest.mark.parametrize(
    "hidden_fields",
    [{"status": Post.Status.DRAFT}, {"published_at": in_future()}],
    ids=["draft", "scheduled"],
)
def test_unpublished_post_page_is_404_to_the_public(client, hidden_fields):
    post = make_post(**hidden_fields)

    assert client.get(post.get_absolute_url()).status_code == 404


def test_commenter_account_cannot_preview_a_draft(client):
    post = make_post(status=Post.Status.DRAFT)
    client.force_login(make_user())

    assert client.get(post.get_absolute_url()).status_code == 404


def test_editor_previews_a_draft_marked_as_preview(editor_client):
    post = make_post(status=Post.Status.DRAFT, title="Work in progress")

    response = editor_client.get(post.get_absolute_url())

    assert response.status_code == 200
    assert "Work in progress" in response.content.decode()
    assert "This draft is not public." in response.content.decode()


def test_editor_previews_a_scheduled_post_with_its_date(editor_client):
    post = make_post(published_at=in_future())

    response = editor_client.get(post.get_absolute_url())

    assert "This post is scheduled for" in response.content.decode()


def test_scheduled_post_appears_once_its_date_has_come(client):
    post = make_post(published_at=timezone.now() + datetime.timedelta(seconds=1))
    assert client.get(post.get_absolute_url()).status_code == 404

    Post.objects.filter(pk=post.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    assert client.get(post.get_absolute_url()).status_code == 200


def test_published_post_page_has_no_preview_banner(client):
    post = make_post()

    page = client.get(post.get_absolute_url()).content.decode()

    assert "Preview." not in page


def test_post_page_shows_provenance_linked_to_the_original(client):
    lgc = make_publication(name="Local Government Chronicle", slug="lgc")
    post = make_post(
        first_appeared_in=lgc,
        first_appeared_on=datetime.date(2016, 1, 21),
        first_appeared_url="https://www.lgcplus.com/original-article",
    )

    response = client.get(post.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<a href="https://www.lgcplus.com/original-article">This article first '
        "appeared in the Local Government Chronicle on 21 January 2016</a>" in html
    )
    assert (
        '<link rel="canonical" href="https://www.lgcplus.com/original-article">' in html
    )


def test_provenance_without_a_url_is_plain_text_and_canonical_is_the_post(client):
    post = make_post(
        first_appeared_in=make_publication(
            name="Community Care", is_named_with_the=False
        ),
        first_appeared_on=datetime.date(2019, 3, 4),
    )

    html = client.get(post.get_absolute_url(), HTTP_HOST="localhost:4444").text

    assert "This article first appeared in Community Care on 4 March 2019" in html
    assert (
        f'<link rel="canonical" href="{settings.BLOG_SITE_URL}'
        f'{post.get_absolute_url()}">' in html
    )
    assert "localhost:4444" not in html


def test_post_without_provenance_says_nothing_about_it(client):
    post = make_post()

    assert "first appeared" not in client.get(post.get_absolute_url()).content.decode()


def test_category_archive_shows_title_and_description(client):
    category = make_category(
        name="Articles", description="Mark Rogers articles published elsewhere."
    )
    make_post(categories=[category], title="Filed under articles")
    make_post(title="Filed elsewhere")

    html = main_content(client.get(category.get_absolute_url()))

    assert "Category Archives: Articles" in html
    assert "Mark Rogers articles published elsewhere." in html
    assert "Filed under articles" in html
    assert "Filed elsewhere" not in html


def test_tag_with_a_curly_apostrophe_has_a_working_archive(client):
    post = make_post(tags=["children’s services"], title="About services")
    tag = post.tags.get()

    response = client.get(reverse("blog:tag-archive", args=[tag.slug]))

    assert tag.slug == "childrens-services"
    assert "Posts Tagged ‘children’s services’" in response.content.decode()
    assert "About services" in response.content.decode()


def test_author_archive_lists_only_that_authors_posts(client):
    author = make_user(display_name="Mark Rogers")
    make_post(author=author, title="By Mark")
    make_post(title="By someone else")

    html = main_content(
        client.get(reverse("blog:author-archive", args=[author.username]))
    )

    assert "Posts by Mark Rogers" in html
    assert "By Mark" in html
    assert "By someone else" not in html


def test_publication_archive_lists_what_first_appeared_there(client):
    lgc = make_publication(name="Local Government Chronicle")
    make_post(first_appeared_in=lgc, title="From the LGC")
    make_post(title="Written here")

    html = main_content(client.get(lgc.get_absolute_url()))

    assert "First appeared in the Local Government Chronicle" in html
    assert "From the LGC" in html
    assert "Written here" not in html


def test_month_and_year_archives_list_posts_of_that_period(client):
    tz = timezone.get_current_timezone()
    make_post(
        title="January post", published_at=datetime.datetime(2016, 1, 28, tzinfo=tz)
    )
    make_post(title="June post", published_at=datetime.datetime(2016, 6, 2, tzinfo=tz))
    make_post(
        title="Older post", published_at=datetime.datetime(2015, 11, 16, tzinfo=tz)
    )

    month = main_content(client.get(reverse("blog:archive-month", args=[2016, 1])))
    year = main_content(client.get(reverse("blog:archive-year", args=[2016])))

    assert "Monthly Archives: January 2016" in month
    assert "January post" in month and "June post" not in month
    assert "January post" in year and "June post" in year
    assert "Older post" not in year


def test_month_archive_links_to_its_year(client):
    make_post(published_at=datetime.datetime(2016, 1, 28, 12, tzinfo=datetime.UTC))

    html = client.get(reverse("blog:archive-month", args=[2016, 1])).text

    assert f'<a href="{reverse("blog:archive-year", args=[2016])}">' in html


def test_year_archive_links_to_its_months_that_have_posts(client):
    tz = timezone.get_current_timezone()
    for month in (1, 6, 6):
        make_post(published_at=datetime.datetime(2016, month, 2, tzinfo=tz))
    make_post(
        status=Post.Status.DRAFT, published_at=datetime.datetime(2016, 3, 2, tzinfo=tz)
    )
    make_post(published_at=datetime.datetime(2015, 11, 2, tzinfo=tz))

    html = client.get(reverse("blog:archive-year", args=[2016])).text

    months = re.findall(r'<li><a href="(/\d+/\d+/)">([^<]+)</a></li>', html)
    assert months == [("/2016/1/", "January 2016"), ("/2016/6/", "June 2016")]


@pytest.mark.parametrize("path", ["/2016/13/", "/2016/0/", "/0/", "/99999/"])
def test_impossible_dates_are_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("name", ["category-archive", "tag-archive", "post-detail"])
def test_unknown_slugs_are_404(client, name):
    response = client.get(reverse(f"blog:{name}", args=["no-such-thing"]))

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_home_page_paginates_newest_first(client, settings):
    settings.BLOG_POSTS_PER_PAGE = 2
    now = timezone.now()
    for days in range(5):
        make_post(
            title=f"Post from {days} days ago",
            published_at=now - datetime.timedelta(days=days, hours=1),
        )

    first = main_content(client.get("/"))
    third = main_content(client.get("/?page=3"))

    assert first.index("Post from 0 days ago") < first.index("Post from 1 days ago")
    assert "Post from 2 days ago" not in first
    assert "Page 1 of 3" in first
    assert "Post from 4 days ago" in third
    assert 'rel="prev"' in third and 'rel="next"' not in third


@pytest.mark.parametrize("page", ["4", "0", "-1", "abc", "99999999999999999999"])
def test_pages_that_do_not_exist_are_404(client, settings, page):
    settings.BLOG_POSTS_PER_PAGE = 2
    for _ in range(5):
        make_post()

    assert client.get(f"/?page={page}").status_code == 404


def test_listing_shows_date_author_categories_tags_and_comment_count(client):
    category = make_category(name="Articles")
    post = make_post(
        categories=[category],
        tags=["ofsted"],
        author=make_user(display_name="Andy Howell"),
        published_at=datetime.datetime(2014, 1, 14, 12, tzinfo=datetime.UTC),
    )
    for _ in range(7):
        make_comment(post=post)

    html = client.get("/").content.decode()

    assert "14 January 2014" in html
    assert f'<a href="{category.get_absolute_url()}">Articles</a>' in html
    assert ">ofsted</a>" in html
    assert ">Andy Howell</a>" in html
    assert "7 Comments" in html


def create_posts(count, *, category, author, publication):
    for n in range(count):
        make_post(
            categories=[category],
            tags=["one", "two"],
            author=author,
            first_appeared_in=publication,
            published_at=datetime.datetime(2024, 3, 1, tzinfo=datetime.UTC)
            + datetime.timedelta(hours=n),
        )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.count(b'class="post-summary"')


@pytest.mark.parametrize(
    ("url", "cold", "warm"),
    [
        # A count and the page of posts; then, for the posts whose summaries
        # are not cached yet, their rows, categories and tags.
        ("/?page=2", 5, 2),
        # The same, and which posts are sticky, cached with the menu.
        ("/", 6, 2),
        ("/2024/3/", 5, 2),
        # The same, and the months of the year that have posts, for its links.
        ("/2024/", 6, 3),
        # The same, after looking up what the archive is of.
        ("/category/busy/", 6, 3),
        ("/tag/one/", 6, 3),
        ("/author/prolific/", 6, 3),
        ("/first-appeared-in/chronicle/", 6, 3),
    ],
)
def test_lists_take_the_same_number_of_queries_for_5_and_50_posts(
    client, settings, url, cold, warm
):
    settings.BLOG_POSTS_PER_PAGE = 4
    filing = {
        "category": make_category(slug="busy"),
        "author": make_user(username="prolific"),
        "publication": make_publication(slug="chronicle"),
    }
    create_posts(5, **filing)
    cache.clear()
    five = count_queries(client, url), count_queries(client, url)

    create_posts(45, **filing)
    cache.clear()
    fifty = count_queries(client, url), count_queries(client, url)

    shown = 1 if "page=2" in url else 4
    cold += NAVIGATION_QUERIES
    assert five == ((cold, shown), (warm, shown))
    assert fifty == ((cold, 4), (warm, 4))


class Landmarks(HTMLParser):
    """The start tags of a page, in order, with their attributes."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def all(self, tag, **attrs):
        return [
            found
            for name, found in self.tags
            if name == tag and all(found.get(k) == v for k, v in attrs.items())
        ]


def landmarks(html):
    parser = Landmarks()
    parser.feed(html)
    return parser


def test_home_page_has_landmarks_a_skip_link_and_a_labelled_search_box(client):
    page = landmarks(client.get("/").text)

    body = [tag for tag, _ in page.tags].index("body")
    assert page.tags[body + 1] == ("a", {"class": "skip-link", "href": "#content"})
    assert len(page.all("header", **{"class": "site-header"})) == 1
    assert len(page.all("main", id="content")) == 1
    assert len(page.all("footer")) == 1
    assert page.all("input", type="search", id="site-search-q", name="q")
    assert page.all("label", **{"for": "site-search-q"})


def test_failing_page_shows_the_500_page_in_the_sites_layout(client, settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False

    response = client.get("/broken/")

    assert response.status_code == 500
    page = landmarks(response.text)
    assert page.all("link", rel="stylesheet", href="/static/css/site.css")
    assert page.all("a", **{"class": "skip-link", "href": "#content"})
    assert page.all("header") and page.all("main", id="content")
    assert page.all("footer")
    assert "Something went wrong" in response.text


def test_ids_in_a_post_body_leave_the_comment_forms_ids_to_the_form(client):
    post = make_post(
        body='<div id="respond">Reply here.</div>\n\n'
        '<h2 id="reply-title">Replies</h2>\n\n'
        "Said so.[^1]\n\n[^1]: Minutes, 3 May."
    )

    html = client.get(post.get_absolute_url()).text

    page = landmarks(html)
    ids = [attrs["id"] for _, attrs in page.tags if "id" in attrs]
    start = html.index('<div id="respond" class="comment-respond">')
    form = landmarks(html[start : html.index("</form>", start)])
    form_ids = [attrs["id"] for _, attrs in form.tags if "id" in attrs]
    assert {"respond", "reply-title", "cancel-reply", "id_body"} <= set(form_ids)
    for form_id in form_ids:
        assert ids.count(form_id) == 1, form_id
    assert page.all("a", href="#post-fn:1")
    links = [a["href"] for a in page.all("a") if a.get("href", "").startswith("#")]
    for href in links:
        assert href[1:] in ids, href


def test_a_post_made_sticky_leads_the_first_page_at_once(client, settings, db):
    settings.BLOG_POSTS_PER_PAGE = 2
    older = make_post(
        title="Older news", published_at=timezone.now() - datetime.timedelta(days=30)
    )
    for number in range(3):
        make_post(title=f"Recent {number}")
    assert "sticky-posts" not in client.get("/").text  # and cached so
    older.is_sticky = True
    older.save()
    first = main_content(client.get("/"))
    featured = first.split('<section class="sticky-posts"')[1].split("</section>")[0]
    assert "Older news" in featured
    assert first.count("Older news") == featured.count("Older news")
    assert "sticky-posts" not in client.get("/?page=2").text
