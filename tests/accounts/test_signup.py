import re
import smtplib
import time

import pytest
from django.core import signing
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests import builders

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def signup_data(**fields):
    return {
        "email": "jane@example.org",
        "username": "jane",
        "display_name": "Jane Smith",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **fields,
    }


def sign_up(client, HTTP_HOST="testserver", **fields):
    return client.post(
        reverse("accounts:account-create"), signup_data(**fields), HTTP_HOST=HTTP_HOST
    )


def link_in(message):
    return re.search(r"https?://\S+", message.body).group()


class UnreachableMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPConnectError(421, "Service not available")


@pytest.fixture
def mail_fails(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.UnreachableMailServer"}}


def test_sign_up_creates_an_unverified_account_and_logs_in(client, mailoutbox):
    response = sign_up(client)

    assert response.status_code == 302
    user = User.objects.get(username="jane")
    assert user.email == "jane@example.org"
    assert user.display_name == "Jane Smith"
    assert user.check_password(PASSWORD)
    assert not user.is_email_verified
    page = client.get(reverse("accounts:profile-edit"))
    assert page.status_code == 200
    assert "Confirm your email address" in page.text


def test_sign_up_mails_a_verification_link(client, mailoutbox):
    sign_up(client)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["jane@example.org"]
    assert "/accounts/verify-email/" in link_in(mailoutbox[0])


def test_the_mail_says_confirmed_accounts_comments_appear_at_once(client, mailoutbox):
    sign_up(client)

    # One line per paragraph in the template; join them to read the sentence.
    body = " ".join(mailoutbox[0].body.split())
    assert "Until your address is confirmed, your comments wait" in body
    assert "once it is, they appear at once" in body
    assert "can appear" not in body


def test_sign_up_returns_to_the_page_it_started_from(client, mailoutbox):
    post = builders.make_post()

    response = sign_up(client, next=post.get_absolute_url())

    assert response.url == post.get_absolute_url()


def test_sign_up_ignores_a_next_address_on_another_site(client, mailoutbox):
    response = sign_up(client, next="https://evil.example/")

    assert response.url == reverse("blog:post-list")


def test_sign_up_refuses_an_email_already_used_in_another_case(client, mailoutbox):
    builders.make_user(email="Jane@Example.org")

    response = sign_up(client)

    assert response.status_code == 400
    assert "An account with this email address already exists" in response.text
    assert 'value="Jane Smith"' in response.text
    assert not User.objects.filter(username="jane").exists()
    assert mailoutbox == []


def test_sign_up_refuses_a_username_with_an_at_sign(client, mailoutbox):
    response = sign_up(client, username="jane@home")

    assert "Use only letters, digits" in response.text
    assert not User.objects.filter(email="jane@example.org").exists()


def test_sign_up_refuses_a_weak_password(client, mailoutbox):
    response = sign_up(client, password1="password", password2="password")

    assert "This password is too common" in response.text
    assert not User.objects.exists()


def test_following_the_link_and_pressing_the_button_verifies_the_address(
    client, mailoutbox
):
    sign_up(client)
    client.logout()

    page = client.get(link_in(mailoutbox[0]))
    response = client.post(link_in(mailoutbox[0]), follow=True)

    assert page.status_code == 200
    assert "Confirm my address" in page.text
    assert "jane@example.org is confirmed" in response.text
    assert User.objects.get(username="jane").is_email_verified


@pytest.mark.parametrize("method", ["get", "head"])
def test_opening_the_link_alone_confirms_nothing(client, mailoutbox, method):
    # What a mail scanner does with every link in a message it checks.
    sign_up(client)

    response = getattr(Client(), method)(link_in(mailoutbox[0]))

    assert response.status_code == 200
    assert not User.objects.get(username="jane").is_email_verified


def test_a_link_works_once(client, mailoutbox):
    sign_up(client)
    client.post(link_in(mailoutbox[0]))

    again = client.post(link_in(mailoutbox[0]))

    assert again.status_code == 400
    assert "This link has been used" in again.text


def test_the_mail_holds_nothing_the_visitor_wrote(client, mailoutbox):
    sign_up(
        client,
        username="call-0800-555-0199",
        display_name="Your account was compromised! Call 0800 555 0199",
    )

    message = mailoutbox[0]
    assert "compromised" not in message.subject + message.body
    assert "0800" not in message.subject + message.body.replace(link_in(message), "")


def test_the_link_is_sent_at_most_three_times_an_hour_to_an_account(client, mailoutbox):
    sign_up(client)
    resend = reverse("accounts:email-verification-resend")
    for _ in range(2):
        client.post(resend)

    response = client.post(resend, follow=True)

    assert len(mailoutbox) == 3
    assert "as many links to confirm this address as we send in an hour" in (
        response.text
    )


def test_the_link_is_sent_at_most_three_times_an_hour_to_an_address(client, mailoutbox):
    # One address, one account after another: the count goes with the address.
    sign_up(client)
    client.post(reverse("accounts:email-verification-resend"))
    client.post(reverse("accounts:account-delete"), {"password": PASSWORD})
    sign_up(client, username="jane2")
    client.post(reverse("accounts:account-delete"), {"password": PASSWORD})

    response = sign_up(client, username="jane3")

    assert len(mailoutbox) == 3
    assert User.objects.filter(username="jane3").exists()
    page = client.get(response.url)
    assert "we sent no new one" in page.text


def test_sign_up_is_limited_per_network_address(client, mailoutbox, settings):
    settings.ACCOUNTS_SIGN_UPS_PER_HOUR = 2
    for number in range(2):
        Client(REMOTE_ADDR="203.0.113.9").post(
            reverse("accounts:account-create"),
            signup_data(username=f"bot{number}", email=f"bot{number}@example.org"),
        )

    refused = Client(REMOTE_ADDR="203.0.113.9").post(
        reverse("accounts:account-create"),
        signup_data(username="bot2", email="bot2@example.org"),
    )
    elsewhere = Client(REMOTE_ADDR="198.51.100.4").post(
        reverse("accounts:account-create"), signup_data()
    )

    assert refused.status_code == 429
    assert "Too many accounts have been opened from your network" in refused.text
    assert 'value="bot2@example.org"' in refused.text
    assert not User.objects.filter(username="bot2").exists()
    assert elsewhere.status_code == 302
    assert User.objects.filter(username="jane").exists()


def test_mailed_links_point_at_the_configured_site_whatever_the_host(
    client, mailoutbox, settings
):
    settings.BLOG_SITE_URL = "https://blog.example.org"

    sign_up(client, HTTP_HOST="localhost:4444")

    assert link_in(mailoutbox[0]).startswith(
        "https://blog.example.org/accounts/verify-email/"
    )


@pytest.mark.parametrize("next_url", ["foo", "post-list", "accounts:login"])
def test_a_next_that_is_not_a_path_leads_home_signed_in(client, mailoutbox, next_url):
    response = sign_up(client, next=next_url)

    assert response.status_code == 302
    assert response.url == reverse("blog:post-list")
    assert client.get(reverse("accounts:profile-edit")).status_code == 200


def test_an_expired_link_does_not_verify(client, mailoutbox, monkeypatch):
    four_days_ago = int(time.time()) - 4 * 24 * 60 * 60
    with monkeypatch.context() as patch:
        patch.setattr(
            signing.TimestampSigner,
            "timestamp",
            lambda self: signing.b62_encode(four_days_ago),
        )
        sign_up(client)

    response = client.get(link_in(mailoutbox[0]))

    assert response.status_code == 400
    assert "This verification link has expired" in response.text
    assert not User.objects.get(username="jane").is_email_verified


def test_a_tampered_link_does_not_verify(client, mailoutbox):
    sign_up(client)
    user = User.objects.get(username="jane")
    link = link_in(mailoutbox[0])
    # Signed by the site, but for another purpose.
    other_purpose = signing.dumps(
        {"user": user.pk, "email": user.email}, salt="comments.unsubscribe"
    )
    other_link = reverse("accounts:email-verify", kwargs={"token": other_purpose})

    for url in (link[:-4] + "xx/", other_link):
        response = client.get(url)
        assert response.status_code == 400
        assert "This verification link is not valid" in response.text
    assert not User.objects.get(username="jane").is_email_verified


def test_a_link_stops_working_once_the_address_changes(client, mailoutbox):
    sign_up(client)
    User.objects.filter(username="jane").update(email="jane@elsewhere.org")

    response = client.get(link_in(mailoutbox[0]))

    assert response.status_code == 400
    assert "no longer on an account" in response.text
    assert not User.objects.get(username="jane").is_email_verified


def test_a_logged_in_person_can_have_the_link_sent_again(client, mailoutbox):
    sign_up(client)

    response = client.post(reverse("accounts:email-verification-resend"), follow=True)

    assert "We have sent a new link to jane@example.org" in response.text
    assert len(mailoutbox) == 2
    client.logout()
    client.post(link_in(mailoutbox[1]))
    assert User.objects.get(username="jane").is_email_verified


def test_resending_needs_a_login(client, mailoutbox):
    response = client.post(reverse("accounts:email-verification-resend"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert mailoutbox == []


def test_sign_up_stands_when_the_mail_cannot_be_sent(client, mail_fails):
    response = sign_up(client, next="/elsewhere/")

    assert response.url == reverse("accounts:profile-edit")
    assert User.objects.filter(username="jane").exists()
    page = client.get(response.url)
    assert page.status_code == 200
    assert "We could not send the link to confirm your email address" in page.text
    assert reverse("accounts:email-verification-resend") in page.text


def test_a_mail_failure_at_sign_up_is_logged(client, mail_fails, caplog):
    sign_up(client)

    user = User.objects.get(username="jane")
    assert f"Could not send the verification link to user {user.pk}" in caplog.text
    assert "SMTPConnectError" in caplog.text


def test_resending_says_so_when_the_mail_cannot_be_sent(client, mail_fails):
    client.force_login(builders.make_user(email="jane@example.org"))

    response = client.post(reverse("accounts:email-verification-resend"), follow=True)

    assert response.status_code == 200
    assert "We could not send the link to confirm your email address" in response.text
    assert "We have sent a new link" not in response.text
