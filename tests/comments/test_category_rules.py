"""
Editors give a category its own rules for the comments on its posts, on
the category's admin page: close comments after some days, hold every
comment, or a shallower or deeper thread than the site's. A post in two
categories follows the stricter of their rules.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import CategoryRules, Comment, TrustedAuthor
from tests.builders import (
    category_admin_form,
    make_category,
    make_comment,
    make_editor,
    make_known_guest,
    make_moderator,
    make_post,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
CLOSED = "Comments are closed on this post."


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


@pytest.fixture
def set_rules(django_capture_on_commit_callbacks):
    """Save a category's page in the admin with these comment rules."""

    def save(client, category, **rules):
        saved = CategoryRules.objects.filter(category=category).exists()
        fields = {
            "discussion_rules-TOTAL_FORMS": "1",
            "discussion_rules-INITIAL_FORMS": str(int(saved)),
            "discussion_rules-0-category": category.pk,
            **{f"discussion_rules-0-{name}": value for name, value in rules.items()},
        }
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("admin:blog_category_change", args=[category.pk]),
                category_admin_form(name=category.name, slug=category.slug, **fields),
            )

    return save


def post_aged(days, *categories):
    return make_post(published_at=timezone.now() - days * DAY, categories=categories)


def is_open(post):
    return 'name="timestamp"' in Client().get(post.get_absolute_url()).text


def test_an_editor_closes_a_categorys_comments_after_some_days(
    editor_client, set_rules, send_comment
):
    news = make_category(name="News", slug="news")
    essays = make_category(name="Essays", slug="essays")
    old_news, new_news = post_aged(10, news), post_aged(3, news)
    old_essay = post_aged(10, essays)

    response = set_rules(editor_client, news, close_after_days="7")

    assert response.status_code == 302
    assert CategoryRules.objects.get(category=news).close_after_days == 7
    assert not is_open(old_news)
    assert is_open(new_news) and is_open(old_essay)
    refused = send_comment(Client(), old_news, token="x", body="Too late.")
    assert refused.status_code == 400 and CLOSED in refused.text
    assert not Comment.objects.filter(body="Too late.").exists()
    assert "comments-are-closed" in Client().get(old_news.get_absolute_url()).text


def test_a_categorys_rule_may_keep_comments_open_longer_than_the_sites(
    editor_client, set_rules, settings
):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    evergreen = make_category(name="Guides", slug="guides")
    guide, other = post_aged(100, evergreen), post_aged(100)

    set_rules(editor_client, evergreen, close_after_days="365")

    assert is_open(guide)
    assert not is_open(other)


def test_a_category_that_holds_every_comment_holds_even_a_trusted_authors(
    editor_client, set_rules, send_comment
):
    sensitive = make_category(name="Safeguarding", slug="safeguarding")
    post, elsewhere = post_aged(1, sensitive), post_aged(1)
    make_known_guest(post, email="known@example.org")
    TrustedAuthor.objects.create(email="known@example.org")
    set_rules(editor_client, sensitive, always_moderate="on")

    send_comment(Client(), post, author_email="known@example.org", body="Held.")
    send_comment(Client(), elsewhere, author_email="known@example.org", body="Out.")
    moderator = Client()
    moderator.force_login(make_moderator())
    send_comment(moderator, post, body="A moderator's own.")

    held = Comment.objects.get(body="Held.")
    assert held.status == Comment.Status.PENDING
    assert held.reason_text == "Its category holds every comment"
    assert Comment.objects.get(body="Out.").status == Comment.Status.APPROVED
    own = Comment.objects.get(body="A moderator's own.")
    assert own.status == Comment.Status.APPROVED


def test_a_category_sets_how_deep_its_threads_go(
    editor_client, set_rules, send_comment, settings
):
    settings.COMMENTS_MAX_DEPTH = 5
    flat = make_category(name="Letters", slug="letters")
    post, elsewhere = post_aged(1, flat), post_aged(1)
    set_rules(editor_client, flat, max_depth="2")
    first = make_comment(post=post)
    reply = make_comment(parent=first)
    deep_first = make_comment(post=elsewhere)
    deep_reply = make_comment(parent=deep_first)

    make_known_guest(post, email="known@example.org")
    send_comment(Client(), post, parent=reply.pk, author_email="known@example.org")
    send_comment(
        Client(), elsewhere, parent=deep_reply.pk, author_email="known@example.org"
    )

    beside = Comment.objects.get(post=post, in_reply_to=reply)
    assert (beside.parent, beside.level) == (first, 1)
    below = Comment.objects.get(post=elsewhere, parent=deep_reply)
    assert below.level == 2


def test_a_post_in_two_categories_follows_the_stricter_rules(editor_client, set_rules):
    loose = make_category(name="Loose", slug="loose")
    strict = make_category(name="Strict", slug="strict")
    set_rules(editor_client, loose, close_after_days="60", max_depth="4")
    set_rules(editor_client, strict, close_after_days="5", always_moderate="on")
    both = post_aged(10, loose, strict)
    loose_only = post_aged(10, loose)

    assert not is_open(both)
    assert is_open(loose_only)


def test_a_change_to_the_rules_shows_at_once(editor_client, set_rules):
    news = make_category(name="News", slug="news")
    post = post_aged(10, news)
    assert is_open(post)

    set_rules(editor_client, news, close_after_days="7")
    assert not is_open(post)

    # The editor removes the category's rules on its page.
    set_rules(editor_client, news, close_after_days="7", DELETE="on")
    assert not CategoryRules.objects.exists()
    assert is_open(post)


def test_a_post_moved_out_of_a_category_leaves_its_rules(editor_client, set_rules):
    news = make_category(name="News", slug="news")
    post = post_aged(10, news)
    set_rules(editor_client, news, close_after_days="7")
    assert not is_open(post)

    post.categories.set([])

    assert is_open(post)


@pytest.mark.parametrize(
    ("rules", "error"),
    [
        ({"max_depth": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"close_after_days": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"close_after_days": "-3"}, "Ensure this value is greater than or equal to"),
    ],
)
def test_rules_out_of_range_are_refused_on_the_categorys_page(
    editor_client, set_rules, rules, error
):
    news = make_category(name="News", slug="news")

    response = set_rules(editor_client, news, **rules)

    assert response.status_code == 200
    assert error in response.text
    assert not CategoryRules.objects.exists()
