"""
Moderators keep lists of words and web domains that hold a comment or mark
it as spam, in the admin, beside the environment's; a comment's page adds
to them in one click, and approves and trusts its author in one click.
"""

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment, ModerationWord, TrustedAuthor
from tests.builders import make_comment, make_known_guest

pytestmark = pytest.mark.django_db

WORDS_URL = reverse("admin:comments_moderationword_changelist")
ADD_WORD_URL = reverse("admin:comments_moderationword_add")


def follow_up(client, comment, data):
    url = reverse("admin:comments_comment_follow_up", args=[comment.pk])
    return client.post(url, data, follow=True)


def guest_comment(post, send_comment, body):
    """A comment by a known guest, which no rule but the words would hold."""
    make_known_guest(post, email="known@example.org")
    send_comment(Client(), post, author_email="known@example.org", body=body)
    return Comment.objects.get(body=body)


def test_a_word_added_in_the_admin_holds_the_next_comment(
    moderator_client, moderator, post, send_comment
):
    response = moderator_client.post(ADD_WORD_URL, {"word": "Casino", "action": "hold"})
    assert response.status_code == 302
    assert ModerationWord.objects.get().added_by == moderator

    comment = guest_comment(post, send_comment, "Try the casino tonight.")

    assert comment.status == Comment.Status.PENDING
    assert comment.reason_text == "Moderation word: Casino"


def test_a_spam_word_added_in_the_admin_marks_comments_as_spam(
    moderator_client, post, send_comment
):
    moderator_client.post(ADD_WORD_URL, {"word": "cheap pills", "action": "spam"})

    comment = guest_comment(post, send_comment, "Buy CHEAP PILLS here.")

    assert comment.status == Comment.Status.SPAM
    assert comment.reason_text == "Block-list word: cheap pills"


def test_the_environments_words_still_count(settings, post, send_comment):
    settings.COMMENTS_MODERATION_WORDS = ["lottery"]
    ModerationWord.objects.create(word="casino")

    assert guest_comment(post, send_comment, "A lottery win.").status == "pending"


def test_a_word_is_listed_once_whatever_its_case(moderator_client):
    moderator_client.post(ADD_WORD_URL, {"word": "casino", "action": "hold"})

    response = moderator_client.post(ADD_WORD_URL, {"word": "CASINO", "action": "spam"})

    assert response.status_code == 200
    assert "This word is on a list already." in response.text
    assert ModerationWord.objects.count() == 1


def test_removing_a_word_lets_comments_through(moderator_client, post, send_comment):
    word = ModerationWord.objects.create(word="casino")
    url = reverse("admin:comments_moderationword_delete", args=[word.pk])

    moderator_client.post(url, {"post": "yes"})

    assert guest_comment(post, send_comment, "A casino story.").is_approved


def test_a_held_comment_offers_to_hold_the_domains_it_links_to(
    moderator_client, moderator, post, send_comment, settings
):
    held = make_comment(
        post=post,
        status=Comment.Status.PENDING,
        body="See https://www.pills.example/buy and http://127.0.0.1:8000/posts/x/",
        author_url="https://shop.example",
    )
    settings.BLOG_SITE_URL = "http://127.0.0.1:8000"
    page = moderator_client.get(
        reverse("admin:comments_comment_change", args=[held.pk])
    ).text
    assert 'name="hold_domain" value="pills.example">Hold pills.example' in page
    assert 'value="shop.example">Hold shop.example' in page
    assert 'value="127.0.0.1"' not in page  # the site's own address

    response = follow_up(moderator_client, held, {"hold_domain": "pills.example"})

    assert "From now on, comments with “pills.example” are held" in response.text
    word = ModerationWord.objects.get()
    assert (word.word, word.action, word.added_by) == (
        "pills.example",
        "hold",
        moderator,
    )
    later = guest_comment(post, send_comment, "Visit https://pills.example/x today.")
    assert later.status == Comment.Status.PENDING
    assert later.moderation_detail == "pills.example"


def test_a_typed_word_is_listed_from_the_comments_page(moderator_client, post):
    held = make_comment(post=post, status=Comment.Status.PENDING)

    follow_up(
        moderator_client,
        held,
        {"follow_up_word": "  crypto   giveaway ", "follow_up_action": "spam"},
    )
    response = follow_up(
        moderator_client,
        held,
        {"follow_up_word": "Crypto Giveaway", "follow_up_action": "hold"},
    )

    word = ModerationWord.objects.get()
    assert (word.word, word.action) == ("crypto giveaway", "spam")
    assert "is listed already: Mark as spam" in response.text
    empty = follow_up(moderator_client, held, {"follow_up_word": " "})
    assert "Type a word or domain" in empty.text
    assert ModerationWord.objects.count() == 1


def test_approve_and_trust_in_one_click_from_the_comments_page(moderator_client, post):
    held = make_comment(
        post=post, status=Comment.Status.PENDING, author_email="new@example.org"
    )
    page_url = reverse("admin:comments_comment_change", args=[held.pk])
    assert 'value="trust"' in moderator_client.get(page_url).text

    response = moderator_client.post(
        reverse("admin:comments_comment_moderate", args=[held.pk]),
        {"moderation": "trust", "next": page_url},
    )

    assert response["Location"] == page_url
    held.refresh_from_db()
    assert held.is_approved
    assert TrustedAuthor.objects.filter(email="new@example.org").exists()


def test_only_moderators_edit_the_lists(editor_client, post):
    held = make_comment(post=post, status=Comment.Status.PENDING)

    assert editor_client.get(WORDS_URL).status_code == 403
    denied = follow_up(editor_client, held, {"hold_domain": "pills.example"})
    assert denied.status_code == 403
    assert not ModerationWord.objects.exists()
