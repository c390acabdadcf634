import re

import pytest
from django.urls import reverse

from tests import builders

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a different long passphrase"


@pytest.fixture
def commenter(db):
    return builders.make_user(
        username="jane", email="jane@example.org", password=PASSWORD
    )


def log_in(client, username, password=PASSWORD, **extra):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


def test_login_page_is_in_the_sites_look(client):
    response = client.get(reverse("accounts:login"))

    assert response.status_code == 200
    assert "Email or username" in response.text
    assert 'class="site-header"' in response.text


@pytest.mark.parametrize("name", ["jane", "jane@example.org", "JANE@example.org"])
def test_login_with_username_or_email(client, commenter, name):
    response = log_in(client, name)

    assert response.status_code == 302
    assert response.url == reverse("blog:post-list")
    page = client.get(reverse("blog:post-list"))
    assert f'href="{commenter.get_absolute_url()}"' in page.text
    assert "Log out" in page.text


def test_login_returns_to_the_next_page(client, commenter):
    post = builders.make_post()

    response = client.post(
        reverse("accounts:login"),
        {"username": "jane", "password": PASSWORD, "next": post.get_absolute_url()},
    )

    assert response.url == post.get_absolute_url()


def test_login_with_a_wrong_password_says_so(client, commenter):
    response = log_in(client, "jane", "wrong")

    assert response.status_code == 400
    assert "Please enter a correct" in response.text
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(client, commenter):
    client.force_login(commenter)

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))

    assert response.url == reverse("blog:post-list")
    assert "_auth_user_id" not in client.session
    assert "Log in" in client.get(reverse("blog:post-list")).text


def test_anonymous_visitors_see_log_in_and_sign_up_links(client):
    builders.make_post()

    page = client.get(reverse("blog:post-list"))

    assert 'href="/accounts/login/?next=/"' in page.text
    assert 'href="/accounts/signup/?next=/"' in page.text


def test_password_change(client, commenter):
    client.force_login(commenter)

    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )

    assert "Your password has been changed" in response.text
    commenter.refresh_from_db()
    assert commenter.check_password(NEW_PASSWORD)
    # The session survives the change.
    assert client.get(reverse("accounts:profile-edit")).status_code == 200


def test_password_change_needs_the_old_password(client, commenter):
    client.force_login(commenter)

    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": "wrong",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 400
    assert "Your old password was entered incorrectly" in response.text
    commenter.refresh_from_db()
    assert commenter.check_password(PASSWORD)


def test_password_reset_by_email(client, commenter, mailoutbox):
    response = client.post(
        reverse("accounts:password-reset"), {"email": "JANE@example.org"}, follow=True
    )
    assert "Check your email" in response.text
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+", mailoutbox[0].body).group()

    # The link from the mail leads to a form at an address without the token.
    form_page = client.get(link, follow=True)
    assert "Set my new password" in form_page.text
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert "Your new password is set" in response.text
    assert log_in(client, "jane", NEW_PASSWORD).status_code == 302
    # A used link does not work twice.
    used = client.get(link, follow=True)
    assert used.status_code == 400
    assert "This password reset link is not valid" in used.text


def test_password_reset_asks_again_when_the_new_passwords_differ(
    client, commenter, mailoutbox
):
    client.post(reverse("accounts:password-reset"), {"email": "jane@example.org"})
    link = re.search(r"https?://\S+", mailoutbox[0].body).group()
    form_url = client.get(link, follow=True).redirect_chain[-1][0]

    response = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": "something else"}
    )

    assert response.status_code == 400
    assert "The two password fields didn’t match." in response.text
    commenter.refresh_from_db()
    assert commenter.check_password(PASSWORD)


def test_password_reset_refuses_an_invalid_address(client, mailoutbox):
    response = client.post(reverse("accounts:password-reset"), {"email": "not-mail"})

    assert response.status_code == 400
    assert "Enter a valid email address." in response.text
    assert mailoutbox == []


def test_password_reset_for_an_unknown_address_sends_nothing(client, mailoutbox):
    response = client.post(
        reverse("accounts:password-reset"), {"email": "nobody@example.org"}
    )

    assert response.url == reverse("accounts:password-reset-done")
    assert mailoutbox == []


def test_the_reset_link_points_at_the_configured_site_whatever_the_host(
    client, commenter, mailoutbox, settings
):
    settings.BLOG_SITE_URL = "https://blog.example.org"

    client.post(
        reverse("accounts:password-reset"),
        {"email": "jane@example.org"},
        HTTP_HOST="localhost:4444",
    )

    link = re.search(r"https?://\S+", mailoutbox[0].body).group()
    assert link.startswith("https://blog.example.org/accounts/password/reset/")
    assert "localhost" not in mailoutbox[0].body


def test_the_reset_mail_holds_nothing_the_account_holder_wrote(client, mailoutbox):
    # The account's address may be someone else's, typed in at sign-up.
    builders.make_user(
        username="jane",
        email="victim@example.org",
        display_name="Your bank account is locked, call 0800 555 0199",
        password=PASSWORD,
    )

    client.post(reverse("accounts:password-reset"), {"email": "victim@example.org"})

    assert "0800" not in mailoutbox[0].subject + mailoutbox[0].body


def test_reset_links_are_sent_at_most_three_times_an_hour_to_an_address(
    client, commenter, mailoutbox
):
    for _ in range(5):
        response = client.post(
            reverse("accounts:password-reset"), {"email": "jane@example.org"}
        )
        assert response.url == reverse("accounts:password-reset-done")

    assert len(mailoutbox) == 3


AUTH_PAGES = {
    "accounts:login": ({}, "Log in"),
    "accounts:password-reset": ({}, "Reset your password"),
    "accounts:password-reset-done": ({}, "Check your email"),
    "accounts:password-reset-confirm": (
        {"uidb64": "MQ", "token": "bad-token"},
        "Choose a new password",
    ),
    "accounts:password-reset-complete": ({}, "Password set"),
    "accounts:password-change": ({}, "Change your password"),
    "accounts:password-change-done": ({}, "Password changed"),
}


@pytest.mark.parametrize("name", AUTH_PAGES)
def test_account_pages_name_the_site_not_the_host(client, commenter, settings, name):
    # Django's auth views put the host in their context as `site_name`.
    settings.BLOG_SITE_NAME = "Harbour Notes"
    settings.ALLOWED_HOSTS = ["localhost"]
    if name.startswith("accounts:password-change"):
        client.force_login(commenter)
    kwargs, title = AUTH_PAGES[name]

    page = client.get(reverse(name, kwargs=kwargs), HTTP_HOST="localhost:4444").text

    assert f"<title>{title} · Harbour Notes</title>" in page
    assert '<p class="site-title"><a href="/">Harbour Notes</a></p>' in page
    assert '<p class="site-colophon">Harbour Notes</p>' in page  # the footer
    assert "localhost:4444" not in page
