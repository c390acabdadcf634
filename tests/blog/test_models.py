import datetime

import pytest
from django.utils import timezone

from blog.models import Post
from tests.builders import make_post

pytestmark = pytest.mark.django_db


def test_published_includes_posts_dated_now_or_earlier():
    post = make_post()

    assert list(Post.objects.published()) == [post]


def test_published_excludes_drafts():
    make_post(status=Post.Status.DRAFT)

    assert not Post.objects.published().exists()


def test_published_excludes_future_posts():
    make_post(published_at=timezone.now() + datetime.timedelta(hours=1))

    assert not Post.objects.published().exists()
