import re

import pytest
from django.core.management import call_command

from comments import moderation_actions
from comments.models import Comment, Discussion
from tests.builders import make_comment, make_known_guest

pytestmark = pytest.mark.django_db


def chain(post, depth):
    """A thread `depth` comments deep; returns its comments from the top."""
    comments = [make_known_guest(post)]  # Ada, whose replies are published
    for _ in range(depth - 1):
        comments.append(make_comment(parent=comments[-1]))
    return comments


def test_reply_below_the_maximum_depth_nests_under_its_parent(
    client, post, send_comment
):
    thread = chain(post, 4)

    send_comment(client, post, parent=thread[-1].pk, body="Fifth level.")

    reply = Comment.objects.get(body="Fifth level.")
    assert reply.parent == thread[-1]
    assert reply.level == 4


def test_reply_at_the_maximum_depth_is_attached_to_the_parent(
    client, post, send_comment
):
    thread = chain(post, 5)

    send_comment(client, post, parent=thread[-1].pk, body="Too deep.")

    reply = Comment.objects.get(body="Too deep.")
    assert reply.parent == thread[-2]
    assert reply.level == 4


def test_reply_moved_up_says_whom_it_answers(client, post, send_comment):
    thread = chain(post, 5)
    thread[-1].author_name = "Deepest Dan"
    thread[-1].save(update_fields=["author_name"])

    send_comment(client, post, parent=thread[-1].pk, body="Too deep.")

    page = client.get(post.get_absolute_url()).text
    reply = Comment.objects.get(body="Too deep.")
    item = page[page.index(f'id="comment-{reply.pk}"') :]
    assert item.index("In reply to") < item.index("Too deep.")
    assert f'In reply to <a href="#comment-{thread[-1].pk}">Deepest Dan</a>' in item


def test_reply_to_the_deepest_comment_under_a_removed_one_is_taken(
    client, post, send_comment, settings
):
    settings.COMMENTS_MAX_DEPTH = 2
    make_known_guest(post)  # Ada is known
    top = make_comment(post=post)
    child = make_comment(parent=top)
    moderation_actions.comment_remove(comment=top)

    response = send_comment(client, post, parent=child.pk, body="Still a reply.")

    assert response.status_code == 302
    reply = Comment.objects.get(body="Still a reply.")
    assert (reply.parent, reply.in_reply_to) == (top, child)
    assert "Still a reply." in client.get(post.get_absolute_url()).text


def test_maximum_depth_is_a_setting(client, post, send_comment, settings):
    settings.COMMENTS_MAX_DEPTH = 2
    thread = chain(post, 2)

    send_comment(client, post, parent=thread[-1].pk, body="Flat.")

    assert Comment.objects.get(body="Flat.").parent == thread[0]


def test_page_never_nests_deeper_than_the_maximum(client, post, send_comment):
    thread = chain(post, 5)
    for n in range(3):
        send_comment(client, post, parent=thread[-1].pk, body=f"Deep {n}.")

    page = client.get(post.get_absolute_url()).text

    assert "depth-5" in page
    assert "depth-6" not in page


def test_top_level_comments_are_numbered_in_order(client, post):
    first = make_comment(post=post)
    make_comment(parent=first)
    make_comment(post=post)
    make_comment(post=post)

    page = client.get(post.get_absolute_url()).text

    assert re.findall(r'class="comment-number">(\d+)\.', page) == ["1", "2", "3"]


def test_a_removed_comment_kept_for_its_replies_takes_no_number(client, post):
    removed = make_comment(post=post, status=Comment.Status.REMOVED)
    make_comment(parent=removed)
    make_comment(post=post)

    page = client.get(post.get_absolute_url()).text

    assert re.findall(r'class="comment-number">(\d+)\.', page) == ["1"]


def test_count_heading_counts_approved_comments_only(client, post):
    make_comment(post=post)
    make_comment(post=post)
    make_comment(post=post, status=Comment.Status.PENDING)
    make_comment(post=post, status=Comment.Status.SPAM)

    page = client.get(post.get_absolute_url()).text

    assert '<h2 id="comments-title">2 Comments</h2>' in page


def test_one_comment_is_counted_in_the_singular(client, post):
    make_comment(post=post)

    page = client.get(post.get_absolute_url()).text

    assert '<h2 id="comments-title">1 Comment</h2>' in page


def test_removed_comment_with_approved_replies_stays_as_a_placeholder(client, post):
    parent = make_comment(post=post, body="Regrettable words.")
    reply = make_comment(parent=parent, body="A measured answer.")
    moderation_actions.comment_remove(comment=parent)

    page = client.get(post.get_absolute_url()).text

    assert "Regrettable words." not in page
    note = "This comment was removed by a moderator."
    assert page.count(note) == 1
    assert page.index(note) < page.index("A measured answer.")
    assert f'id="comment-{reply.pk}" class="comment depth-2"' in page


def test_removed_comment_without_visible_replies_disappears(client, post):
    parent = make_comment(post=post, status=Comment.Status.REMOVED)
    make_comment(parent=parent, status=Comment.Status.PENDING)

    page = client.get(post.get_absolute_url()).text

    assert "This comment was removed" not in page
    assert f'id="comment-{parent.pk}"' not in page


def test_hidden_ancestors_of_an_approved_reply_all_stay_in_place(client, post):
    top = make_comment(post=post)
    removed = make_comment(parent=top, status=Comment.Status.REMOVED)
    waiting = make_comment(parent=removed, status=Comment.Status.PENDING)
    reply = make_comment(parent=waiting, body="Still here.")

    page = client.get(post.get_absolute_url()).text

    assert page.count("This comment was removed by a moderator.") == 1
    assert page.count("This comment is waiting for a moderator.") == 1
    assert f'id="comment-{reply.pk}" class="comment depth-4"' in page


def test_spam_leaves_no_note_and_its_replies_keep_their_place(client, post):
    top = make_comment(post=post, body="Kept.")
    spam = make_comment(parent=top, body="Cheap pills.")
    reply = make_comment(parent=spam, body="Is this spam?")
    moderation_actions.comment_mark_spam(comment=spam)

    page = client.get(post.get_absolute_url()).text

    assert "Cheap pills." not in page and "This comment" not in page
    assert f'<li id="comment-{spam.pk}" class="comment depth-2 comment-hidden">' in page
    assert f'id="comment-{reply.pk}" class="comment depth-3"' in page
    assert '<h2 id="comments-title">2 Comments</h2>' in page


def test_reply_renumbers_only_its_own_thread(post):
    first = make_comment(post=post)
    second = make_comment(post=post)
    second_reply = make_comment(parent=second)
    before = Comment.objects.filter(tree_id=second.tree_id).values_list(
        "pk", "lft", "rght"
    )
    before = list(before)

    make_comment(parent=first)

    after = Comment.objects.filter(tree_id=second.tree_id).values_list(
        "pk", "lft", "rght"
    )
    assert list(after) == before
    assert first.tree_id != second.tree_id == second_reply.tree_id


def test_rebuild_command_repairs_a_tree_and_the_counts(client, post):
    top = make_comment(post=post)
    reply = make_comment(parent=top, body="The reply.")
    # A damaged tree, as after a bad import: numbering and count both wrong.
    Comment.objects.filter(pk=reply.pk).update(lft=40, rght=41, level=7)
    Discussion.objects.filter(post=post).update(comment_count=9)

    call_command("rebuild_comment_trees", stdout=open("/dev/null", "w"))
    page = client.get(post.get_absolute_url()).text

    reply.refresh_from_db()
    assert (reply.lft, reply.rght, reply.level) == (2, 3, 1)
    assert '<h2 id="comments-title">2 Comments</h2>' in page
    assert f'id="comment-{reply.pk}" class="comment depth-2"' in page
