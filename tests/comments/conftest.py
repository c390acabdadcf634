import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests import builders


@pytest.fixture(autouse=True)
def comment_settings(settings):
    """
    Forms may be sent at once (the too-fast rule has its own tests), and the
    rate limit starts from zero in every test.
    """
    settings.COMMENTS_MIN_SECONDS = 0
    settings.COMMENTS_NOTIFY_MODERATORS = True
    cache.clear()
    yield settings
    cache.clear()


@pytest.fixture
def post(db):
    return builders.make_post()


@pytest.fixture
def moderator(db):
    return builders.make_moderator(email="moderator@example.org")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def form_token(client, post):
    """The signed timestamp of the comment form, read from the post page."""
    response = client.get(post.get_absolute_url())
    match = re.search(r'name="timestamp" value="([^"]+)"', response.text)
    assert match, "The post page has no comment form."
    return match[1]


@pytest.fixture
def comment_form_token():
    return form_token


@pytest.fixture
def send_comment(django_capture_on_commit_callbacks):
    """
    Post a comment as a browser does: fetch the post page for the form's
    token, then send the form. Mail queued after commit is sent.
    """

    def send(client, post, *, token=None, ip="203.0.113.7", user_agent="", **fields):
        data = {
            "author_name": "Ada Guest",
            "author_email": "ada@example.org",
            "author_url": "",
            "body": "A thoughtful comment.",
            "timestamp": token if token is not None else form_token(client, post),
            **fields,
        }
        data = {key: value for key, value in data.items() if value is not None}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("comments:comment-create", kwargs={"slug": post.slug}),
                data,
                REMOTE_ADDR=ip,
                headers={"user-agent": user_agent},
            )

    return send
