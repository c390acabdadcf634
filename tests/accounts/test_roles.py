"""What each role may do in the admin, tried through the admin itself."""

from importlib import import_module

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from blog.models import Post
from comments.models import Comment
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator_client(client):
    client.force_login(builders.make_moderator())
    return client


def test_both_staff_groups_exist_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Editors",
        "Moderators",
    }


@pytest.mark.parametrize(
    "migration, function, name",
    [
        ("blog.migrations.0002_editors_group", "create_editors_group", "Editors"),
        (
            "comments.migrations.0002_moderators_group",
            "create_moderators_group",
            "Moderators",
        ),
    ],
)
def test_the_group_migrations_can_run_again(migration, function, name):
    create_group = getattr(import_module(migration), function)
    # The registry migrate hands to RunPython. The functions switch
    # models_module off on every app they see, which must not happen to
    # django.apps.apps while other tests still use it. The schema editor is
    # not entered: SQLite cannot enter one inside the test's transaction, and
    # the functions do not use it.
    state_apps = MigrationLoader(connection).project_state().apps
    before = set(Group.objects.get(name=name).permissions.all())

    for _ in range(2):
        create_group(state_apps, connection.schema_editor())

    assert Group.objects.filter(name=name).count() == 1
    assert set(Group.objects.get(name=name).permissions.all()) == before
    assert before


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
