"""
The post page is made of cached parts (the article, the thread, the empty
form's fields) and parts rendered for each visitor (the CSRF token, the
form's signed time); no text anyone writes can change another part.
"""

import re

import pytest
from django.core import signing
from django.test import Client

from comments.forms import FORM_SALT
from comments.models import Comment
from tests import builders

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_forms")]

# What the page once used as stand-ins in its cached form, and what it uses now
# for the spliced thread.
MARKER_TEXTS = "csrf-token-hole timestamp-hole <!--fragment-0123456789abcdef-->"


def form_of(page):
    action = re.search(
        r'<form method="post" action="([^"]+)" class="comment-form">', page
    )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    timestamp = re.search(r'name="timestamp" value="([^"]+)"', page)
    return action[1], token[1], timestamp[1]


@pytest.mark.parametrize("slug", ["csrf-token-hole", "timestamp-hole"])
def test_a_post_named_like_a_stand_in_keeps_a_form_that_works(slug):
    post = builders.make_post(slug=slug, title=MARKER_TEXTS)
    builders.make_comment(post=post, body=MARKER_TEXTS)
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(post.get_absolute_url())  # everything cached by a first visit

    page = visitor.get(post.get_absolute_url()).text
    action, token, timestamp = form_of(page)
    response = visitor.post(
        action,
        {
            "author_name": "Ada Guest",
            "author_email": "ada@example.org",
            "body": "It works here too.",
            "timestamp": timestamp,
            "csrfmiddlewaretoken": token,
        },
    )

    assert action == f"/posts/{slug}/comments/"
    assert len(token) == 64 and "hole" not in token
    assert signing.loads(timestamp, salt=FORM_SALT)["post"] == post.pk
    assert response.status_code == 302
    assert Comment.objects.filter(post=post, body="It works here too.").exists()


def test_a_comment_holding_the_stand_in_texts_is_shown_as_written(client):
    post = builders.make_post()
    builders.make_comment(post=post, body=MARKER_TEXTS)
    client.get(post.get_absolute_url())

    page = client.get(post.get_absolute_url()).text

    assert (
        "<p>csrf-token-hole timestamp-hole "
        "&lt;!--fragment-0123456789abcdef--&gt;</p>" in page
    )
    assert page.count('<section id="comments"') == 1
    assert page.rstrip().endswith("</html>")


def test_each_visitor_gets_a_newly_signed_time_in_the_cached_form(client):
    post = builders.make_post()
    first = form_of(Client().get(post.get_absolute_url()).text)

    second = form_of(Client().get(post.get_absolute_url()).text)

    assert first[2] != second[2]
    assert first[1] != second[1]
