import pytest
from django.core.cache import cache

from comments.models import Comment
from tests.builders import make_comment, make_post, make_user
from tests.page_parts import NAVIGATION_QUERIES

pytestmark = pytest.mark.django_db

# The post (with author and provenance), its categories, its tags, the
# whole thread in one query, the categories' rules for comments, the
# previous, next and similar posts, and the menu's and footer's lists; once
# the HTML of all those (and the rules) is cached, the post alone.
POST_PAGE_QUERIES = 8 + NAVIGATION_QUERIES
POST_PAGE_QUERIES_CACHED = 1


def post_with_thread(size, depth=3):
    """A post with `size` comments: threads `depth` deep, some by accounts, some
    held or removed."""
    post = make_post()
    account = make_user()
    top = None
    for n in range(size):
        if n % depth == 0:
            top = parent = make_comment(post=post, user=account if n % 2 else None)
        else:
            status = Comment.Status.REMOVED if n % 7 == 0 else Comment.Status.APPROVED
            parent = make_comment(parent=parent, status=status)
        if n % 11 == 0:
            make_comment(parent=top, status=Comment.Status.PENDING)
    return post


@pytest.mark.parametrize(("size", "depth"), [(10, 3), (500, 3), (60, 10)])
def test_post_page_queries_do_not_grow_with_the_thread(
    client, django_assert_num_queries, settings, size, depth
):
    settings.COMMENTS_MAX_DEPTH = 10
    settings.COMMENTS_PER_PAGE = 0  # one page, however long (see test_comment_pages)
    post = post_with_thread(size, depth)
    cache.clear()

    with django_assert_num_queries(POST_PAGE_QUERIES):
        response = client.get(post.get_absolute_url())

    shown = response.content.count(b'<article class="comment-body">')
    assert shown == Comment.objects.approved().count() > size * 0.8


@pytest.mark.parametrize("size", [10, 500])
def test_post_page_read_again_reads_only_the_post(
    client, django_assert_num_queries, settings, size
):
    settings.COMMENTS_PER_PAGE = 0
    post = post_with_thread(size)
    client.get(post.get_absolute_url())

    with django_assert_num_queries(POST_PAGE_QUERIES_CACHED):
        response = client.get(post.get_absolute_url())

    shown = response.content.count(b'<article class="comment-body">')
    assert shown == Comment.objects.approved().count() > size * 0.8
