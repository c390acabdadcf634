"""
Whatever the site caches, one visitor never sees another's form token,
message, held comment or name, and never gets a 304 for a personal page.
Each test primes the cache as one person, then reads as another.
"""

import re
import time

import pytest
from django.test import Client
from django.utils.http import http_date

from tests import builders

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_forms")]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PASSWORD = "correct horse battery staple"


@pytest.fixture
def post(db):
    post = builders.make_post(slug="shared-post")
    builders.make_comment(post=post, body="An approved comment everyone sees.")
    return post


def send_held_comment(client, post, body):
    page = client.get(post.get_absolute_url()).text
    timestamp = re.search(r'name="timestamp" value="([^"]+)"', page)[1]
    return client.post(
        f"/posts/{post.slug}/comments/",
        {
            "author_name": "Alice Private",
            "author_email": "alice@example.org",
            "body": body,
            "timestamp": timestamp,
            "csrfmiddlewaretoken": TOKEN.search(page)[1],
        },
    )


def test_a_held_comment_is_shown_only_to_the_session_that_wrote_it(post):
    alice, bob = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    send_held_comment(alice, post, "Alice's words, not yet moderated.")

    alice_page = alice.get(post.get_absolute_url()).text
    bob_page = bob.get(post.get_absolute_url()).text
    alice_again = alice.get(post.get_absolute_url()).text

    assert "Your comment is awaiting moderation." in alice_page
    assert "Alice&#x27;s words, not yet moderated." in alice_page
    assert "Alice&#x27;s words" in alice_again
    assert "Alice&#x27;s words" not in bob_page
    assert "awaiting moderation" not in bob_page
    assert "Alice Private" not in bob_page
    assert "An approved comment everyone sees." in bob_page


def test_each_visitor_gets_a_form_token_of_their_own(post):
    alice, bob = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    alice_tokens = set()
    for _ in range(2):
        alice_tokens.update(TOKEN.findall(alice.get(post.get_absolute_url()).text))
    send_held_comment(alice, post, "A held comment.")
    alice_tokens.update(TOKEN.findall(alice.get(post.get_absolute_url()).text))

    bob_page = bob.get(post.get_absolute_url()).text
    bob_tokens = set(TOKEN.findall(bob_page))
    response = send_held_comment(bob, post, "Bob's own comment.")

    assert bob_tokens and not bob_tokens & alice_tokens
    # Bob's token is valid for Bob's cookie: his form is accepted.
    assert response.status_code == 302
    assert alice.cookies["csrftoken"].value != bob.cookies["csrftoken"].value


def test_a_message_for_one_person_never_shows_to_another(post):
    newcomer, guest = Client(), Client()
    guest.get("/")
    newcomer.post(
        "/accounts/signup/",
        {
            "email": "newcomer@example.org",
            "username": "newcomer",
            "display_name": "New Comer",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    newcomer_page = newcomer.get("/").text
    guest_page = guest.get("/").text
    guest_post_page = guest.get(post.get_absolute_url()).text

    assert "Welcome! We have sent a link to newcomer@example.org" in newcomer_page
    for page in (guest_page, guest_post_page):
        assert "Welcome!" not in page
        assert "newcomer@example.org" not in page
        assert "New Comer" not in page


def test_a_signed_in_name_never_shows_on_an_anonymous_page(post):
    member = builders.make_user(username="quentin", display_name="Quentin Member")
    signed_in, anonymous = Client(), Client()
    signed_in.force_login(member)
    urls = ["/", post.get_absolute_url(), "/category/nope/"]
    for url in urls:
        signed_in.get(url)

    for url in urls:
        page = anonymous.get(url).text
        assert "Quentin Member" not in page
        assert "Log in" in page
    assert "Commenting as" not in anonymous.get(post.get_absolute_url()).text
    assert "Quentin Member" in signed_in.get(post.get_absolute_url()).text


def test_a_conditional_request_never_gets_a_304_for_a_personal_page(post):
    alice, bob = Client(), Client()
    send_held_comment(alice, post, "Only Alice sees this.")
    alice_response = alice.get(post.get_absolute_url())
    conditions = {
        "if-none-match": alice_response.headers.get("ETag", "*"),
        "if-modified-since": http_date(time.time() + 3600),
    }

    bob_response = bob.get(post.get_absolute_url(), headers=conditions)
    alice_again = alice.get(post.get_absolute_url(), headers=conditions)

    # The page holds a form token and perhaps held comments, so it carries no
    # validator a browser or proxy could use to keep one person's copy.
    assert "ETag" not in alice_response.headers
    assert "Last-Modified" not in alice_response.headers
    assert bob_response.status_code == alice_again.status_code == 200
    assert "Only Alice sees this." not in bob_response.text
    assert "Only Alice sees this." in alice_again.text
    assert "An approved comment everyone sees." in bob_response.text


def test_pages_with_personal_parts_tell_shared_caches_they_vary_by_cookie(post):
    response = Client().get(post.get_absolute_url())

    varies = {name.strip().lower() for name in response.headers["Vary"].split(",")}
    assert "cookie" in varies
