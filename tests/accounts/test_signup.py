import re
import smtplib
import time

import pytest
from django.core import signing
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from accounts.models import User
from tests import builders

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def sign_up(client, **fields):
    data = {
        "email": "jane@example.org",
        "username": "jane",
        "display_name": "Jane Smith",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **fields,
    }
    return client.post(reverse("accounts:account-create"), data)


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


def test_following_the_link_verifies_the_address(client, mailoutbox):
    sign_up(client)
    client.logout()

    response = client.get(link_in(mailoutbox[0]), follow=True)

    assert "jane@example.org is confirmed" in response.text
    assert User.objects.get(username="jane").is_email_verified


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
    client.get(link_in(mailoutbox[1]))
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
