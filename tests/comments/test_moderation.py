import pytest

from comments.models import Comment, TrustedAuthor
from tests.builders import comment_count, make_comment, make_known_guest, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def known_guest(post):
    """Ada has an approved comment, so only the other rules can hold her."""
    return make_known_guest(post)


def sent_comment(body):
    return Comment.objects.get(body=body)


def test_first_comment_is_held_with_its_reason(client, post, send_comment):
    send_comment(client, post, body="Hello.")

    comment = sent_comment("Hello.")
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reason == Comment.Reason.FIRST_COMMENT


def test_known_guest_is_published_without_a_reason(
    client, post, send_comment, known_guest
):
    send_comment(client, post, body="Hello.")

    comment = sent_comment("Hello.")
    assert comment.status == Comment.Status.APPROVED
    assert comment.moderation_reason == ""


def test_approved_comment_under_another_email_does_not_count(
    client, post, send_comment, known_guest
):
    send_comment(client, post, author_email="someone-else@example.org", body="Hi.")

    assert sent_comment("Hi.").status == Comment.Status.PENDING


def test_an_approved_comment_under_an_unconfirmed_address_earns_no_trust(
    client, post, send_comment
):
    # Anyone can type a regular's address; only its owner can confirm it.
    make_comment(post=post, author_email="ada@example.org")

    send_comment(client, post, body="Posing as Ada.")

    comment = sent_comment("Posing as Ada.")
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reason == Comment.Reason.FIRST_COMMENT


def test_held_comment_does_not_make_its_author_known(client, post, send_comment):
    make_comment(post=post, author_email="ada@example.org", status="pending")

    send_comment(client, post, body="Hi.")

    assert sent_comment("Hi.").status == Comment.Status.PENDING


def test_two_links_pass_but_three_are_held(client, post, send_comment, known_guest):
    two = "See https://a.example and http://b.example."
    three = "See https://a.example, http://b.example and www.c.example."

    send_comment(client, post, body=two)
    send_comment(client, post, body=three)

    assert sent_comment(two).status == Comment.Status.APPROVED
    held = sent_comment(three)
    assert held.status == Comment.Status.PENDING
    assert held.moderation_reason == Comment.Reason.TOO_MANY_LINKS
    assert held.moderation_detail == "3 links"


def test_links_are_counted_as_the_page_shows_them(
    client, post, send_comment, known_guest
):
    two = "See https://www.a.example and https://www.b.example."
    three_bare = "See a.com, b.org and c.net."

    send_comment(client, post, body=two)
    send_comment(client, post, body=three_bare)

    assert sent_comment(two).status == Comment.Status.APPROVED
    held = sent_comment(three_bare)
    assert held.status == Comment.Status.PENDING
    assert held.moderation_detail == "3 links"


def test_unconfirmed_account_is_held_for_its_address(client, post, send_comment):
    user = make_user(is_email_verified=False)
    make_comment(post=post, user=user)
    client.force_login(user)

    send_comment(client, post, author_name=None, author_email=None, body="Again.")

    held = sent_comment("Again.")
    assert held.status == Comment.Status.PENDING
    assert held.moderation_reason == Comment.Reason.UNVERIFIED_EMAIL


def test_link_limit_is_a_setting(client, post, send_comment, known_guest, settings):
    settings.COMMENTS_MAX_LINKS = 0

    send_comment(client, post, body="One link: https://a.example")

    assert sent_comment("One link: https://a.example").status == "pending"


def test_moderation_word_holds_and_records_the_word(
    client, post, send_comment, known_guest, settings
):
    settings.COMMENTS_MODERATION_WORDS = ["casino", "loan"]

    send_comment(client, post, body="Need a LOAN today?")
    send_comment(client, post, body="Loaned money is not the same.")

    held = sent_comment("Need a LOAN today?")
    assert held.status == Comment.Status.PENDING
    assert held.moderation_reason == Comment.Reason.MODERATION_WORD
    assert held.moderation_detail == "loan"
    # Whole words only: "Loaned" is not "loan".
    assert sent_comment("Loaned money is not the same.").status == "approved"


def test_moderation_word_in_the_name_holds_too(
    client, post, send_comment, known_guest, settings
):
    settings.COMMENTS_MODERATION_WORDS = ["casino"]

    send_comment(client, post, author_name="Casino Bob", body="Nice post.")

    assert sent_comment("Nice post.").moderation_detail == "casino"


def test_block_word_marks_spam_even_for_a_known_author(
    client, post, send_comment, known_guest, settings
):
    settings.COMMENTS_BLOCK_WORDS = ["viagra"]

    send_comment(client, post, body="Cheap Viagra here")

    spam = sent_comment("Cheap Viagra here")
    assert spam.status == Comment.Status.SPAM
    assert spam.moderation_reason == Comment.Reason.BLOCK_WORD
    assert spam.moderation_detail == "viagra"


def test_filled_honeypot_marks_spam(client, post, send_comment, known_guest):
    send_comment(client, post, body="Buy now.", subject="Great offer")

    spam = sent_comment("Buy now.")
    assert spam.status == Comment.Status.SPAM
    assert spam.moderation_reason == Comment.Reason.HONEYPOT


def test_form_sent_faster_than_the_setting_is_spam(
    client, post, send_comment, known_guest, settings
):
    settings.COMMENTS_MIN_SECONDS = 3

    send_comment(client, post, body="Instant.")

    spam = sent_comment("Instant.")
    assert spam.status == Comment.Status.SPAM
    assert spam.moderation_reason == Comment.Reason.TOO_FAST


def test_spam_looks_held_to_its_sender_and_is_hidden_from_others(
    client, post, send_comment, settings
):
    settings.COMMENTS_BLOCK_WORDS = ["viagra"]

    response = send_comment(client, post, body="Cheap viagra")
    own_page = client.get(response["Location"]).text
    client.cookies.clear()
    public_page = client.get(post.get_absolute_url()).text

    assert "Your comment is awaiting moderation." in own_page
    assert "Cheap viagra" not in public_page


def test_spam_does_not_count_towards_the_comment_count(
    client, post, send_comment, known_guest, settings
):
    settings.COMMENTS_BLOCK_WORDS = ["viagra"]

    send_comment(client, post, body="Cheap viagra")

    assert comment_count(post) == 1


def test_a_moderators_own_comment_skips_the_hold_rules(
    moderator_client, post, send_comment, settings
):
    settings.COMMENTS_MODERATION_WORDS = ["casino"]

    send_comment(moderator_client, post, body="No casino links, please.")

    assert sent_comment("No casino links, please.").status == Comment.Status.APPROVED


def test_a_trusted_account_skips_the_hold_rules_but_not_the_block_list(
    client, post, send_comment, settings
):
    settings.COMMENTS_MODERATION_WORDS = ["casino"]
    settings.COMMENTS_BLOCK_WORDS = ["viagra"]
    author = make_user(is_email_verified=True)
    TrustedAuthor.objects.create(user=author)
    client.force_login(author)

    send_comment(client, post, body="A casino near the school.")
    send_comment(client, post, body="Cheap viagra.")

    assert sent_comment("A casino near the school.").status == Comment.Status.APPROVED
    assert sent_comment("Cheap viagra.").status == Comment.Status.SPAM
