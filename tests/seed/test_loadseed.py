from io import StringIO

import pytest
from django.core.management import call_command
from taggit.models import Tag, TaggedItem

from accounts.models import User
from blog.models import Category, Post
from comments.models import Comment
from tests.builders import (
    make_category,
    make_editor,
    make_post,
    make_publication,
    make_user,
)
from tests.seed.conftest import SEED_FIXTURES

pytestmark = pytest.mark.django_db


def run_loadseed():
    out = StringIO()
    call_command("loadseed", stdout=out)
    return out.getvalue()


def test_loadseed_fills_an_empty_database_and_says_what_it_loaded():
    output = run_loadseed()

    assert Post.objects.count() == 9
    assert Comment.objects.count() == 7
    assert Category.objects.count() == 2
    assert Tag.objects.count() == 1
    assert output.startswith("Loaded 9 posts, 7 comments,")


def test_loadseed_leaves_a_database_with_posts_alone():
    make_post(title="Our own first post")

    output = run_loadseed()

    assert list(Post.objects.values_list("title", flat=True)) == ["Our own first post"]
    assert not Comment.objects.exists()
    assert output.strip() == (
        "The database already has users, posts; seed content not loaded."
    )


@pytest.mark.parametrize(
    ("make_row", "kinds"),
    [
        (lambda: make_category(name="Our own"), "categories"),
        (lambda: make_publication(name="Our own"), "publications"),
        (lambda: Tag.objects.create(name="Our own", slug="our-own"), "tags"),
        (lambda: make_user(username="reader"), "users"),
    ],
    ids=["category", "publication", "tag", "account"],
)
def test_loadseed_leaves_a_database_with_any_seeded_kind_of_content_alone(
    make_row, kinds
):
    row = make_row()

    output = run_loadseed()

    assert not Post.objects.exists()
    assert type(row).objects.get() == row
    assert output.strip() == (
        f"The database already has {kinds}; seed content not loaded."
    )


def test_loadseed_never_overwrites_a_staff_account_named_like_a_seed_author():
    editor = make_editor(username="mark-rogers", password="correct horse battery")

    output = run_loadseed()

    editor.refresh_from_db()
    assert editor.is_staff and editor.check_password("correct horse battery")
    assert not Post.objects.exists()
    assert output.strip() == "The database already has users; seed content not loaded."


def test_loadseed_without_fixture_files_says_so_and_loads_nothing(settings, tmp_path):
    settings.BASE_DIR = tmp_path

    output = run_loadseed()

    assert output.strip() == "No fixtures/seed-*.json files; seed content not loaded."
    assert not Post.objects.exists()


def test_loadseed_keeps_an_existing_administrator_and_its_password():
    admin = make_user(username="admin", password="correct horse battery", is_staff=True)

    run_loadseed()

    admin.refresh_from_db()
    assert admin.check_password("correct horse battery")
    assert User.objects.count() == 4


SEEDED_MODELS = (User, Post, Comment, Category, Tag, TaggedItem)


def test_loading_the_seed_twice_duplicates_nothing(seed):
    counts = [model.objects.count() for model in SEEDED_MODELS]

    call_command("loaddata", *SEED_FIXTURES, verbosity=0)

    assert [model.objects.count() for model in SEEDED_MODELS] == counts
