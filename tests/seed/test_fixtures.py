import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from taggit.models import Tag

from accounts.models import User
from blog.markup import excerpt_from_html, render_markdown
from blog.models import Category, Post, Publication
from comments.markup import render_body
from comments.models import Comment
from tests.builders import comment_count

pytestmark = pytest.mark.django_db

THREAD_POST = "This intervention is about rehabilitation"

# The thread in reading order: depth, author shown, the comment's first line.
# The third to sixth sit side by side at the source page's third indentation,
# under the second (see fixtures/README.md).
EXPECTED_THREAD = [
    (0, "Brendan", "Mr Rogers,"),
    (1, "Mark Rogers", "Dear Brendan"),
    (2, "Brendan", "Dear Mark,"),
    (2, "Mark Rogers", "Brendan"),
    (2, "Brendan", "Dear Mark,"),
    (2, "Anonymous", "Dear Brendan,"),
    (0, "Anonymous", "Really well written exposition of the dilemma – the fear"),
]


def thread():
    return list(
        Comment.objects.filter(post__title=THREAD_POST)
        .select_related("user", "parent")
        .order_by("tree_id", "lft")
    )


def tree_columns():
    return {c.pk: (c.tree_id, c.lft, c.rght, c.level) for c in Comment.objects.all()}


def test_seed_counts(seed):
    assert Post.objects.published().count() == 9
    assert Comment.objects.approved().count() == 7
    assert sorted(Category.objects.values_list("name", flat=True)) == [
        "Articles",
        "Blog",
    ]
    assert list(Tag.objects.values_list("name", "slug")) == [
        ("children’s services", "childrens-services")
    ]
    assert Publication.objects.count() == 1


def test_seed_thread_has_the_shape_the_source_page_shows(seed):
    comments = thread()

    shape = [(c.level, c.display_name, c.body.splitlines()[0][:56]) for c in comments]
    assert shape == EXPECTED_THREAD
    assert all(reply.parent == comments[1] for reply in comments[2:6])
    assert all(c.status == Comment.Status.APPROVED for c in comments)


def test_seed_thread_replies_come_after_what_they_answer(seed):
    comments = thread()

    for reply in comments:
        if reply.parent:
            assert reply.created_at > reply.parent.created_at
    assert comments[0].created_at > comments[0].post.published_at
    assert comments[-1].created_at > comments[0].created_at


def test_seed_thread_is_no_deeper_than_the_site_allows(seed):
    assert max(c.level for c in thread()) < settings.COMMENTS_MAX_DEPTH


def test_seed_comment_tree_is_what_rebuild_makes(seed):
    stored = tree_columns()

    # MPTT keeps its TreeManager here; Comment.objects is the QuerySet manager.
    Comment._tree_manager.rebuild()

    assert tree_columns() == stored


def test_seed_comment_counts_match_approved_comments(seed):
    for post in Post.objects.all():
        assert comment_count(post) == post.comments.filter(status="approved").count()
    assert comment_count(Post.objects.get(title=THREAD_POST)) == 7


def test_seed_unnamed_commenter_has_no_contact_details(seed):
    guest = thread()[-1]

    assert guest.user is None
    assert (guest.author_email, guest.author_url) == ("", "")


def test_seed_provenance_is_stated_only_where_the_text_states_it(seed):
    with_provenance = Post.objects.exclude(first_appeared_in=None)

    assert [post.provenance for post in with_provenance] == [
        "This article first appeared in the Local Government Chronicle "
        "on 21 January 2016"
    ]
    assert with_provenance.get().title == THREAD_POST


def test_seed_rendered_html_matches_the_markdown(seed):
    for post in Post.objects.all():
        assert post.body_html == render_markdown(post.body), post.title
        assert post.summary == excerpt_from_html(post.body_html), post.title


def test_seed_comment_html_is_what_saving_renders(seed):
    for comment in Comment.objects.all():
        assert comment.body_html == render_body(comment.body), comment.pk


def test_seed_posts_are_published_in_the_past(seed):
    for post in Post.objects.all():
        assert post.status == Post.Status.PUBLISHED
        assert post.published_at < timezone.now()
        assert post.created_at == post.published_at


def test_seed_dates_the_texts_do_not_state_fit_what_they_do_state(seed):
    paris = Post.objects.get(title="Facing up to the post Paris challenges")
    next_in_archive = Post.objects.get(title=THREAD_POST)

    # After the attacks of 13 November 2015 and the minute of silence on the
    # 16th it mentions; before the post that follows it in the archive.
    assert timezone.localdate(paris.published_at) > datetime.date(2015, 11, 16)
    assert paris.published_at < next_in_archive.published_at


def test_seed_authors_cannot_log_in(seed):
    authors = User.objects.filter(posts__isnull=False).distinct()

    assert authors.count() == 3
    for author in authors:
        assert author.is_active
        assert not author.has_usable_password()
        assert not author.is_staff
        assert author.email == ""
