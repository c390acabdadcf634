import pytest
from django.test import Client
from django.urls import reverse

from tests import builders

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def commenter(db):
    return builders.make_user(
        username="jane", email="jane@example.org", password=PASSWORD
    )


def log_in(client, username, password, url=None):
    return client.post(
        url or reverse("accounts:login"), {"username": username, "password": password}
    )


def fail(client, username, times, url=None):
    # The site's login sends a refused form back as a 400, the admin's as a 200.
    expected = 200 if url == reverse("admin:login") else 400
    for _ in range(times):
        assert log_in(client, username, "wrong guess", url).status_code == expected


def test_fifth_failure_locks_the_login_with_a_clear_message(client, commenter):
    fail(client, "jane", 4)

    response = log_in(client, "jane", "wrong guess")

    assert response.status_code == 429
    assert "Too many failed login attempts; try again in 15 minutes." in response.text


def test_a_locked_login_refuses_even_the_right_password(client, commenter):
    fail(client, "jane", 4)
    log_in(client, "jane", "wrong guess")

    response = log_in(client, "jane", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_follows_the_settings(client, commenter, settings):
    settings.AXES_FAILURE_LIMIT = 2
    fail(client, "jane", 1)

    response = log_in(client, "jane", "wrong guess")

    assert response.status_code == 429


def test_a_success_clears_the_failures(client, commenter):
    fail(client, "jane", 4)
    assert log_in(client, "jane", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))

    fail(client, "jane", 4)

    assert log_in(client, "jane", PASSWORD).status_code == 302


def test_another_account_can_still_log_in(client, commenter):
    builders.make_user(username="ravi", password=PASSWORD)
    fail(client, "jane", 4)
    log_in(client, "jane", "wrong guess")

    assert log_in(client, "ravi", PASSWORD).status_code == 302


def test_the_admin_login_is_throttled_too(client):
    builders.make_editor(username="ed", password=PASSWORD)
    admin_login = reverse("admin:login")
    fail(client, "ed", 4, admin_login)

    response = log_in(client, "ed", "wrong guess", admin_login)

    assert response.status_code == 429
    assert log_in(client, "ed", PASSWORD, admin_login).status_code == 429


def test_every_name_for_an_account_shares_one_count(client, commenter):
    for name in ("Jane@Example.org", "jane@example.org", "jane", "JANE"):
        fail(client, name, 1)

    response = log_in(client, "jane@EXAMPLE.org", "wrong guess")

    assert response.status_code == 429
    response = log_in(client, "jane", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed login attempts; try again in 15 minutes." in response.text
    assert "_auth_user_id" not in client.session


def test_a_success_by_address_clears_the_failures_typed_as_the_address(
    client, commenter
):
    fail(client, "Jane@Example.org", 4)
    assert log_in(client, "jane@example.org", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))

    fail(client, "Jane@Example.org", 4)

    assert log_in(client, "jane@example.org", PASSWORD).status_code == 302


def test_names_of_no_account_are_counted_whatever_their_case(client, commenter):
    fail(client, "nobody@example.org", 2)
    fail(client, "NOBODY@example.org", 2)

    response = log_in(client, "Nobody@Example.org", "wrong guess")

    assert response.status_code == 429


def test_one_address_trying_many_names_is_locked_out(client, commenter, settings):
    # Password spraying: one guess at each of many accounts.
    settings.ACCOUNTS_LOGIN_FAILURES_PER_ADDRESS = 6
    for number in range(6):
        assert log_in(client, f"someone{number}", "Summer2026!").status_code == 400

    refused = log_in(client, "jane", PASSWORD)
    admin = log_in(client, "jane", PASSWORD, reverse("admin:login"))

    assert refused.status_code == 429
    assert "Too many failed login attempts" in refused.text
    assert admin.status_code == 429


def test_another_address_can_still_log_in_during_a_spray(commenter, settings):
    settings.ACCOUNTS_LOGIN_FAILURES_PER_ADDRESS = 3
    sprayer = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(3):
        log_in(sprayer, f"someone{number}", "Summer2026!")

    response = log_in(Client(REMOTE_ADDR="198.51.100.4"), "jane", PASSWORD)

    assert response.status_code == 302
