"""The address a comment is recorded and rate-limited under, behind proxies."""

import pytest
from django.urls import reverse

from comments.models import Comment

pytestmark = pytest.mark.django_db


def send_through_proxy(client, post, comment_form_token, forwarded_for):
    token = comment_form_token(client, post)
    return client.post(
        reverse("comments:comment-create", kwargs={"slug": post.slug}),
        {
            "author_name": "Ada Guest",
            "author_email": "ada@example.org",
            "body": "Sent through the proxy.",
            "timestamp": token,
        },
        REMOTE_ADDR="10.0.0.2",
        headers={"x-forwarded-for": forwarded_for},
    )


def test_behind_a_trusted_proxy_the_visitors_address_is_recorded(
    client, post, settings, comment_form_token
):
    settings.TRUSTED_PROXY_COUNT = 1

    send_through_proxy(client, post, comment_form_token, "198.51.100.4")

    assert Comment.objects.get().ip_address == "198.51.100.4"


def test_addresses_a_client_wrote_before_the_proxy_are_not_believed(
    client, post, settings, comment_form_token
):
    settings.TRUSTED_PROXY_COUNT = 1

    send_through_proxy(client, post, comment_form_token, "1.2.3.4, 198.51.100.4")

    assert Comment.objects.get().ip_address == "198.51.100.4"


def test_without_trusted_proxies_the_header_is_ignored(
    client, post, comment_form_token
):
    send_through_proxy(client, post, comment_form_token, "198.51.100.4")

    assert Comment.objects.get().ip_address == "10.0.0.2"


def test_rate_limit_counts_each_visitor_behind_the_proxy_apart(
    client, post, settings, comment_form_token
):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.COMMENTS_RATE_LIMIT_PER_MINUTE = 1

    first = send_through_proxy(client, post, comment_form_token, "198.51.100.4")
    second_visitor = send_through_proxy(
        client, post, comment_form_token, "198.51.100.5"
    )
    first_again = send_through_proxy(client, post, comment_form_token, "198.51.100.4")

    assert (first.status_code, second_visitor.status_code) == (302, 302)
    assert first_again.status_code == 429
