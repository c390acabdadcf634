import pytest
from django.urls import reverse

from accounts import avatars, services
from tests import builders

pytestmark = pytest.mark.django_db


def with_avatar(person):
    upload = avatars.avatar_from_upload(builders.image_upload())
    services.profile_update(user=person, avatar=upload)
    return person


def change_person(admin_client, person, **fields):
    data = {
        "username": person.username,
        "email": person.email,
        "date_joined_0": "01/03/2025",
        "date_joined_1": "09:30:00",
        "is_active": "on",
        **fields,
    }
    return admin_client.post(
        reverse("admin:accounts_user_change", args=[person.pk]), data
    )


def test_people_can_be_filtered_by_verified_email(admin_client):
    builders.make_user(username="verified-person", is_email_verified=True)
    builders.make_user(username="unverified-person")

    response = admin_client.get(
        reverse("admin:accounts_user_changelist"), {"is_email_verified__exact": "1"}
    )

    assert response.status_code == 200
    assert "verified-person" in response.text
    assert "unverified-person" not in response.text


def test_the_change_form_shows_the_profile_fields(admin_client):
    person = builders.make_user(display_name="Jane Smith", bio="Social worker.")

    response = admin_client.get(reverse("admin:accounts_user_change", args=[person.pk]))

    assert response.status_code == 200
    assert 'value="Jane Smith"' in response.text
    assert "Social worker." in response.text
    assert 'name="is_email_verified"' in response.text


def test_the_change_form_shows_the_picture_but_takes_no_upload(admin_client):
    person = with_avatar(builders.make_user())

    response = admin_client.get(reverse("admin:accounts_user_change", args=[person.pk]))

    assert f'src="{person.avatar.url}"' in response.text
    assert 'type="file"' not in response.text


def test_a_picture_sent_to_the_change_form_is_not_stored(admin_client, media_root):
    person = builders.make_user()
    photo = builders.photo_upload(camera="SecretCam 3000")

    response = change_person(admin_client, person, display_name="Jane S.", avatar=photo)

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.display_name == "Jane S."
    assert not person.avatar
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_the_remove_pictures_action_deletes_both_files(admin_client):
    person = with_avatar(builders.make_user())
    storage, names = (
        person.avatar.storage,
        [person.avatar.name, person.avatar_small.name],
    )

    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "avatar_remove", "_selected_action": [person.pk]},
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.avatar and not person.avatar_small
    assert not any(storage.exists(name) for name in names)
