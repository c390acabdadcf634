"""Standalone pages: their addresses, their hierarchy, their admin, their comments."""

import pytest
from django.test import Client
from django.urls import reverse

from blog.models import Page, Post
from tests.builders import image_upload, make_page, make_post, page_admin_form

pytestmark = pytest.mark.django_db

ADD = reverse("admin:blog_page_add")


def test_a_page_is_served_at_its_own_address_with_its_markdown(client):
    make_page(title="About this blog", slug="about", body="Written by *Mark*.")

    response = client.get("/about/")

    assert response.status_code == 200
    assert "<h1>About this blog</h1>" in response.text
    assert "Written by <em>Mark</em>." in response.text


def test_a_subpage_lives_under_its_parent_with_breadcrumbs_back(client):
    about = make_page(title="About", slug="about")
    make_page(title="The team", slug="team", parent=about, excerpt="Who we are.")

    team = client.get("/about/team/")
    parent = client.get("/about/")

    assert team.status_code == 200
    assert '<a href="/about/">About</a>' in team.text
    assert '<li aria-current="page">The team</li>' in team.text
    assert '<a href="/about/team/">The team</a>' in parent.text
    assert "Who we are." in parent.text
    assert client.get("/team/").status_code == 404


def test_subpages_are_listed_in_their_editors_order(client):
    about = make_page(slug="about")
    make_page(title="Zebra", parent=about, menu_order=1)
    make_page(title="Yak", parent=about, menu_order=2)
    make_page(title="Aardvark", parent=about, menu_order=3)

    html = client.get("/about/").text

    assert html.index("Zebra") < html.index("Yak") < html.index("Aardvark")


def test_moving_a_page_moves_its_subpages_addresses(client):
    about = make_page(slug="about")
    team = make_page(slug="team", parent=about)
    make_page(slug="alice", parent=team)
    company = make_page(slug="company")

    about.parent = company
    about.save()

    assert client.get("/company/about/team/alice/").status_code == 200
    assert client.get("/about/team/alice/").status_code == 404


def test_a_draft_page_is_hidden_from_readers_and_previewed_for_editors(
    client, editor_client
):
    make_page(slug="policies", status=Post.Status.DRAFT)

    assert Client().get("/policies/").status_code == 404
    preview = editor_client.get("/policies/")
    assert preview.status_code == 200
    assert "This draft page is not public." in preview.text


def test_pages_stay_out_of_the_stream_of_posts(client):
    make_page(title="About the author", slug="about")
    make_post(title="A real post")

    home = client.get("/").text
    search = client.get("/search/", {"q": "about"}).text

    assert "A real post" in home
    assert "About the author" not in home.split("<footer")[0].split("</header>")[1]
    assert "About the author" not in search.split("<footer")[0].split("</header>")[1]
    assert client.get("/posts/about/").status_code == 404


def test_a_post_is_not_served_as_a_page(client):
    make_post(slug="hello")

    assert client.get("/hello/").status_code == 404


@pytest.mark.parametrize(
    ("slug", "taken_by"),
    [
        ("feed", "the site's feed"),
        ("2016", "a year's archive"),
        ("search", "the search"),
        ("static", "the static files"),
        ("media", "the uploads"),
    ],
)
def test_an_editor_cannot_give_a_page_an_address_the_site_uses(
    editor_client, editor, slug, taken_by
):
    response = editor_client.post(ADD, page_admin_form(editor, slug=slug))

    assert response.status_code == 200, taken_by
    assert f"The address /{slug}/ belongs to another part of the site" in (
        response.text
    )
    assert not Page.objects.exists()


def test_a_subpage_cannot_take_an_archives_address(editor_client, editor):
    make_post(slug="some-post")
    category_root = make_page(slug="category")

    response = editor_client.post(
        ADD, page_admin_form(editor, slug="some-cat", parent=category_root.pk)
    )
    # /category/some-cat/ is a category archive's address, even with no such
    # category yet.
    assert "The address /category/some-cat/ belongs to another part" in (response.text)


def test_a_page_cannot_be_put_inside_its_own_subpage(editor_client, editor):
    about = make_page(slug="about")
    team = make_page(slug="team", parent=about)

    response = editor_client.post(
        reverse("admin:blog_page_change", args=[about.pk]),
        page_admin_form(editor, slug="about", parent=team.pk, _publishing="update"),
    )

    assert "A page cannot be inside itself or its subpages." in response.text
    about.refresh_from_db()
    assert about.parent is None


def test_an_editor_publishes_a_page_from_the_admin(editor_client, editor):
    response = editor_client.post(ADD, page_admin_form(editor), follow=True)

    assert "Published." in response.text
    page = Page.objects.get()
    assert page.get_absolute_url() == "/about/"
    assert "Who writes <em>here</em>." in Client().get("/about/").text


def test_the_admin_lists_pages_and_posts_apart(editor_client):
    make_page(title="About the blog")
    make_post(title="A post about things")

    pages = editor_client.get(reverse("admin:blog_page_changelist")).text
    posts = editor_client.get(reverse("admin:blog_post_changelist")).text

    assert "About the blog" in pages and "A post about things" not in pages
    assert "A post about things" in posts and "About the blog" not in posts


def test_a_page_shows_its_featured_image_in_renditions(client):
    make_page(
        slug="about",
        featured_image=image_upload(size=(1000, 600)),
        featured_image_alt="Us",
    )

    html = client.get("/about/").text

    assert 'alt="Us"' in html
    assert 'type="image/webp"' in html
    assert 'width="1000" height="600"' in html
