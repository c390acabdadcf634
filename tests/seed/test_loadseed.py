from io import StringIO

import pytest
from django.core.management import call_command
from taggit.models import Tag, TaggedItem

from accounts.models import User
from blog.models import Category, Post
from comments.models import Comment
from tests.builders import make_post, make_user
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
    assert output.strip() == "The database already has posts; seed content not loaded."


def test_loadseed_keeps_an_existing_account_and_its_password():
    admin = make_user(username="admin", password="correct horse battery")

    run_loadseed()

    admin.refresh_from_db()
    assert admin.check_password("correct horse battery")
    assert User.objects.count() == 4


SEEDED_MODELS = (User, Post, Comment, Category, Tag, TaggedItem)


def test_loading_the_seed_twice_duplicates_nothing(seed):
    counts = [model.objects.count() for model in SEEDED_MODELS]

    call_command("loaddata", *SEED_FIXTURES, verbosity=0)

    assert [model.objects.count() for model in SEEDED_MODELS] == counts
