import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from blog.roles import EDITOR
from comments.roles import MODERATOR
from tests import builders

pytestmark = pytest.mark.django_db


def grant_role(*args):
    out = io.StringIO()
    call_command("grant_role", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def person(db):
    return builders.make_user(username="sam", email="sam@example.org")


def test_making_someone_an_editor_lets_them_write_posts(client, person):
    output = grant_role("sam", "editor")

    assert "sam is now an editor." in output
    person.refresh_from_db()
    assert person.is_staff
    assert [group.name for group in person.groups.all()] == [EDITOR.group_name]
    client.force_login(person)
    assert client.get(reverse("admin:blog_post_add")).status_code == 200


def test_making_someone_a_moderator_by_email_lets_them_moderate(client, person):
    grant_role("SAM@example.org", "moderator")

    client.force_login(person)
    assert client.get(reverse("admin:comments_comment_changelist")).status_code == 200
    assert client.get(reverse("admin:blog_post_add")).status_code == 403


def test_granting_twice_changes_nothing(person):
    grant_role("sam", "editor")
    grant_role("sam", "editor")

    assert person.groups.count() == 1


def test_revoking_the_last_role_closes_the_admin(client, person):
    grant_role("sam", "moderator")

    output = grant_role("sam", "moderator", "--revoke")

    assert "sam is no longer a moderator." in output
    assert "cannot use the admin" in output
    person.refresh_from_db()
    assert not person.is_staff
    assert not person.groups.exists()
    client.force_login(person)
    assert client.get(reverse("admin:index")).status_code == 302


def test_revoking_one_of_two_roles_keeps_the_admin_open(person):
    grant_role("sam", "editor")
    grant_role("sam", "moderator")

    grant_role("sam", "editor", "--revoke")

    person.refresh_from_db()
    assert person.is_staff
    assert [group.name for group in person.groups.all()] == [MODERATOR.group_name]


def test_an_unknown_person_is_an_error():
    with pytest.raises(CommandError, match="No account has the username or email"):
        grant_role("nobody", "editor")


def test_an_unknown_role_is_an_error(person):
    with pytest.raises(CommandError, match="Unknown role 'admin'; choose one of"):
        grant_role("sam", "admin")

    person.refresh_from_db()
    assert not person.is_staff
