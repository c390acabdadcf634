import pytest
from django.urls import reverse

from accounts.models import User
from tests import builders

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
RIGHT_TO_LEFT_OVERRIDE = "\u202e"
ZERO_WIDTH_SPACE = "\u200b"


@pytest.fixture
def editor(db):
    return builders.make_editor(
        username="edna", display_name="Edna Editor", email="edna@example.org"
    )


def sign_up(client, **fields):
    data = {
        "email": "new@example.org",
        "username": "newcomer",
        "display_name": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **fields,
    }
    return client.post(reverse("accounts:account-create"), data)


@pytest.mark.parametrize(
    "name",
    [
        f"gpj{RIGHT_TO_LEFT_OVERRIDE}exe.doc",
        f"Ada{ZERO_WIDTH_SPACE} Lovelace",
        "Ada\u2066Lovelace\u2069",
    ],
)
def test_sign_up_refuses_a_display_name_with_invisible_characters(client, name):
    response = sign_up(client, display_name=name)

    assert response.status_code == 400
    assert "Remove the invisible characters (U+" in response.text
    assert not User.objects.filter(username="newcomer").exists()


@pytest.mark.parametrize("name", ["Administrator", "ADMIN", "moderator"])
def test_sign_up_refuses_the_names_of_the_sites_roles(client, name):
    response = sign_up(client, username=name)

    assert response.status_code == 400
    assert "This name is kept for the people who run this site" in response.text


@pytest.mark.parametrize(
    "name",
    [
        "Edna Editor",
        "edna-editor",
        "Édna Éditor",
        "Еdna Еditor",  # with Cyrillic capital Ie
        "ＥｄｎａＥｄｉｔｏｒ",  # full-width
    ],
)
def test_nobody_may_take_a_staff_members_name(client, editor, name):
    response = sign_up(client, display_name=name)

    assert response.status_code == 400
    assert "This name is kept for the people who run this site" in response.text


def test_a_commenter_cannot_rename_themself_as_staff(client, editor):
    client.force_login(builders.make_user(username="jane"))

    response = client.post(
        reverse("accounts:profile-edit"),
        {"display_name": "Edna Editor", "website": "", "bio": ""},
    )

    assert response.status_code == 400
    assert User.objects.get(username="jane").display_name != "Edna Editor"


def test_a_staff_member_keeps_their_own_name(client, editor):
    client.force_login(editor)

    response = client.post(
        reverse("accounts:profile-edit"),
        {"display_name": "Edna Editor", "website": "https://example.org/", "bio": ""},
    )

    assert response.status_code == 302
    assert User.objects.get(username="edna").website == "https://example.org/"


def test_people_list_warns_of_a_username_mixing_scripts(admin_client):
    builders.make_user(username="pаypal")  # with a Cyrillic "а"
    builders.make_user(username="paypal-fan")
    builders.make_user(username="Иван")

    page = admin_client.get(reverse("admin:accounts_user_changelist")).text

    assert page.count("⚠ Mixed") == 1
    assert "⚠ Mixed: Cyrillic, Latin" in page
