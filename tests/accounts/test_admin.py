import pytest
from django.urls import reverse

from tests import builders

pytestmark = pytest.mark.django_db


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
