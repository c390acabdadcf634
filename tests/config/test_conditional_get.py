"""
Pages answer a repeated GET with 304 Not Modified when nothing changed, so a
reader's browser or a proxy does not fetch them again; pages for one visitor
are never stored, so they get no validator to repeat.
"""

import pytest

from tests.builders import close_comments, make_page, make_post, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/posts/hello/", "/about/", "/2016/"])
def test_an_unchanged_page_is_not_sent_again(client, url):
    # Closed, because an open post's form carries tokens made for each
    # visitor, so that its page is never the same twice.
    close_comments(make_post(slug="hello"))
    make_page(slug="about")
    first = client.get(url)

    again = client.get(url, headers={"if-none-match": first["ETag"]})

    assert first.status_code == 200
    assert again.status_code == 304
    assert again.content == b""


def test_a_changed_page_is_sent_again(client):
    post = make_post(slug="hello", title="Before")
    close_comments(post)
    first = client.get("/posts/hello/")
    post.title = "After"
    post.save()

    again = client.get("/posts/hello/", headers={"if-none-match": first["ETag"]})

    assert again.status_code == 200
    assert "After" in again.text


def test_a_signed_in_visitors_page_is_private_and_never_revalidated(client):
    make_post(slug="hello")
    client.force_login(make_user())

    response = client.get("/posts/hello/")

    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert not response.has_header("ETag")
