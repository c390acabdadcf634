import pytest
from django.urls import reverse

from accounts.models import User
from comments.models import Comment
from tests import builders

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def commenter(db):
    return builders.make_user(
        username="jane",
        display_name="Jane Smith",
        email="jane@example.org",
        password=PASSWORD,
        is_email_verified=True,
    )


@pytest.fixture
def commenter_client(client, commenter):
    client.force_login(commenter)
    return client


def delete_account(client, password=PASSWORD):
    return client.post(
        reverse("accounts:account-delete"), {"password": password}, follow=True
    )


def test_deleting_needs_a_login(client):
    response = client.get(reverse("accounts:account-delete"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_a_person_deletes_their_account_and_is_logged_out(commenter_client):
    response = delete_account(commenter_client)

    assert "Your account has been deleted" in response.text
    assert not User.objects.filter(username="jane").exists()
    assert "_auth_user_id" not in commenter_client.session
    assert "Log in" in response.text


def test_the_wrong_password_deletes_nothing(commenter_client):
    response = delete_account(commenter_client, password="wrong")

    assert "That is not your password" in response.text
    assert User.objects.filter(username="jane").exists()


def test_comments_stay_under_deleted_user_without_personal_data(
    commenter_client, commenter
):
    post = builders.make_post()
    comment = builders.make_comment(
        post=post,
        user=commenter,
        author_name="",
        author_email="",
        body="Thresholds differ from one council to the next.",
        ip_address="203.0.113.9",
        user_agent="Firefox/140",
    )
    before = commenter_client.get(post.get_absolute_url())
    assert "Jane Smith" in before.text

    delete_account(commenter_client)

    comment = Comment.objects.get(pk=comment.pk)
    assert comment.user is None
    assert comment.ip_address is None
    assert comment.user_agent == ""
    assert comment.author_email == ""
    page = commenter_client.get(post.get_absolute_url())
    assert "Thresholds differ from one council to the next." in page.text
    assert "deleted user" in page.text
    assert "Jane Smith" not in page.text
    assert "/accounts/people/jane/" not in page.text


def test_the_avatar_files_go_with_the_account(commenter_client, commenter):
    commenter_client.post(
        reverse("accounts:profile-edit"),
        {"display_name": "Jane Smith", "avatar": builders.image_upload()},
    )
    commenter.refresh_from_db()
    storage = commenter.avatar.storage
    names = [commenter.avatar.name, commenter.avatar_small.name]
    assert all(storage.exists(name) for name in names)

    delete_account(commenter_client)

    assert not any(storage.exists(name) for name in names)


def test_the_profile_is_gone(commenter_client, commenter):
    profile = commenter.get_absolute_url()

    delete_account(commenter_client)

    assert commenter_client.get(profile).status_code == 404


def test_an_author_of_posts_cannot_delete_their_account(commenter_client, commenter):
    post = builders.make_post(author=commenter)

    response = delete_account(commenter_client)

    assert response.status_code == 400
    assert "Your account is the author of posts on this site" in response.text
    assert "Ask an editor" in response.text
    assert User.objects.filter(pk=commenter.pk).exists()
    assert post.author_id == commenter.pk
    assert "_auth_user_id" in commenter_client.session
