"""
Account pages ask search engines not to index them; a public profile does
not. (robots.txt keeps crawlers out of /accounts/ too, but a page linked from
elsewhere can be indexed without being crawled.)
"""

import pytest
from django.urls import reverse

from accounts.verification import verification_token
from tests import builders

pytestmark = pytest.mark.django_db

NOINDEX = '<meta name="robots" content="noindex">'


@pytest.fixture
def member(db):
    return builders.make_user(username="jane", password="correct horse battery")


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("accounts:login", {}),
        ("accounts:account-create", {}),
        ("accounts:password-reset", {}),
        ("accounts:password-reset-done", {}),
        ("accounts:password-reset-confirm", {"uidb64": "MQ", "token": "set-password"}),
        ("accounts:password-reset-complete", {}),
        ("accounts:email-verify", {"token": "not-a-token"}),
    ],
)
def test_account_pages_for_visitors_are_not_indexed(client, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))

    assert response.status_code in {200, 400}
    assert NOINDEX in response.text


@pytest.mark.parametrize(
    "name",
    [
        "accounts:profile-edit",
        "accounts:password-change",
        "accounts:password-change-done",
        "accounts:account-delete",
    ],
)
def test_account_pages_for_members_are_not_indexed(client, member, name):
    client.force_login(member)

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert NOINDEX in response.text


def test_the_page_to_confirm_an_address_is_not_indexed(client, member):
    url = reverse("accounts:email-verify", kwargs={"token": verification_token(member)})

    response = client.get(url)

    assert response.status_code == 200
    assert NOINDEX in response.text


def test_the_locked_out_login_page_is_not_indexed(client, member, settings):
    settings.AXES_FAILURE_LIMIT = 1
    wrong = {"username": "jane", "password": "wrong guess"}

    response = client.post(reverse("accounts:login"), wrong)

    assert response.status_code == 429
    assert NOINDEX in response.text


def test_a_public_profile_is_indexed(client, member):
    response = client.get(member.get_absolute_url())

    assert response.status_code == 200
    assert 'name="robots"' not in response.text
