"""Addresses a site had before it moved here, sent on to what stands there now."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from blog.models import OldAddress
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    return builders.make_post(slug="new-home")


def test_an_old_path_redirects_permanently_to_the_post(client, post):
    OldAddress.objects.create(path="/2016/01/28/old-home/", post=post)
    response = client.get("/2016/01/28/old-home/")
    assert response.status_code == 301
    assert response["Location"] == "/posts/new-home/"


def test_old_paths_of_any_shape_are_found_with_or_without_the_slash(client, post):
    OldAddress.objects.create(path="/archives/123", post=post)
    assert client.get("/archives/123/")["Location"] == "/posts/new-home/"


def test_wordpress_query_addresses_redirect_before_the_home_page_answers(client, post):
    OldAddress.objects.create(path="/?p=123", post=post)
    response = client.get("/?p=123&utm_source=mail")
    assert (response.status_code, response["Location"]) == (301, "/posts/new-home/")
    assert client.get("/?p=999").status_code == 200  # unknown: the home page


def test_categories_and_tags_have_old_addresses_too(client):
    category = builders.make_category(slug="council")
    tag = Tag.objects.create(name="Budget", slug="budget")
    OldAddress.objects.create(path="/category/news/council/", category=category)
    OldAddress.objects.create(path="/?tag=budget", tag=tag)
    assert client.get("/category/news/council/")["Location"] == "/category/council/"
    assert client.get("/?tag=budget")["Location"] == "/tag/budget/"


def test_a_live_address_is_never_redirected(client, post):
    OldAddress.objects.create(path="/posts/new-home/", post=builders.make_post())
    assert client.get("/posts/new-home/").status_code == 200


def test_a_post_request_is_not_redirected(client, post):
    OldAddress.objects.create(path="/old/", post=post)
    assert client.post("/old/").status_code in (403, 404, 405)


def test_pages_that_answer_never_look_up_old_addresses(client, post):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
        assert client.get(post.get_absolute_url()).status_code == 200
    assert not any("oldaddress" in query["sql"] for query in queries.captured_queries)


def test_unknown_addresses_stay_not_found(client):
    assert client.get("/no/such/place/").status_code == 404


def test_editors_see_and_search_old_addresses_in_the_admin(admin_client, post):
    OldAddress.objects.create(path="/2016/01/28/old-home/", post=post)
    response = admin_client.get(
        reverse("admin:blog_oldaddress_changelist"), {"q": "old-home"}
    )
    assert "/2016/01/28/old-home/" in response.text
    assert 'href="/posts/new-home/"' in response.text
