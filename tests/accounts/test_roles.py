"""What each role may do in the admin, tried through the admin itself."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.roles import registry, sync_role_groups
from blog.models import Post
from comments.models import Comment
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator_client(client):
    client.force_login(builders.make_moderator())
    return client


def test_every_declared_role_has_its_group_after_migrating():
    assert set(registry) == {"editor", "moderator"}
    for role in registry.values():
        assert role.group().name == role.group_name


@pytest.mark.parametrize("name", ["editor", "moderator"])
def test_a_role_group_gets_back_exactly_its_permissions_on_the_next_migrate(name):
    role = registry[name]
    group = role.group()
    group.permissions.add(Permission.objects.get(codename="delete_user"))
    group.permissions.remove(group.permissions.first())

    for _ in range(2):
        sync_role_groups(sender=apps.get_app_config(role.app_label))

    granted = {
        f"{app_label}.{codename}"
        for app_label, codename in role.group().permissions.values_list(
            "content_type__app_label", "codename"
        )
    }
    assert granted == set(role.permissions)
    assert Group.objects.filter(name=role.group_name).count() == 1


def test_an_editor_cannot_open_the_comment_queue(editor_client):
    builders.make_comment()

    response = editor_client.get(reverse("admin:comments_comment_changelist"))

    assert response.status_code == 403


def test_an_editor_cannot_moderate_a_comment(editor_client):
    comment = builders.make_comment(status=Comment.Status.PENDING)

    response = editor_client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", "_selected_action": [comment.pk]},
    )

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_an_editor_does_not_see_comments_on_the_admin_index(editor_client):
    response = editor_client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert reverse("admin:blog_post_changelist") in response.text
    assert reverse("admin:comments_comment_changelist") not in response.text


def test_a_moderator_can_moderate(moderator_client):
    comment = builders.make_comment(status=Comment.Status.PENDING)

    response = moderator_client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", "_selected_action": [comment.pk]},
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_a_moderator_cannot_add_a_post(moderator_client):
    response = moderator_client.get(reverse("admin:blog_post_add"))

    assert response.status_code == 403
    response = moderator_client.post(
        reverse("admin:blog_post_add"), {"title": "Mine", "slug": "mine", "body": "x"}
    )
    assert response.status_code == 403
    assert not Post.objects.filter(slug="mine").exists()


def test_a_moderator_cannot_change_a_post(moderator_client):
    post = builders.make_post(title="Original")

    change = reverse("admin:blog_post_change", args=[post.pk])
    assert moderator_client.get(change).status_code == 403
    response = moderator_client.post(change, {"title": "Changed"})

    assert response.status_code == 403
    post.refresh_from_db()
    assert post.title == "Original"


def test_a_commenter_is_sent_to_the_admin_login(client):
    client.force_login(builders.make_user(password="long enough passphrase"))

    for url in (reverse("admin:index"), reverse("admin:comments_comment_changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
