"""
Threads that read well: a picture or initials beside each name, with no
inline style (the CSP forbids them), and replies past the first few folded
into "n more replies", which opens without JavaScript.
"""

import re

import pytest
from django.test import Client

from accounts.avatars import avatar_from_upload, hue_of
from accounts.services import profile_update
from comments.models import Comment
from comments.thread_html import REPLIES_SHOWN
from tests.builders import image_upload, make_comment, make_user

pytestmark = pytest.mark.django_db


def thread_of(post):
    page = Client().get(post.get_absolute_url()).text
    return page[page.index('<ol class="comment-list">') : page.index("</section>")]


def test_each_name_has_a_picture_or_initials(post):
    pictured = make_user(username="pictured", display_name="Pat Picture")
    profile_update(user=pictured, avatar=avatar_from_upload(image_upload()))
    plain = make_user(username="plain", display_name="Olu Plain")
    make_comment(post=post, user=pictured, body="With a picture.")
    make_comment(post=post, user=plain, body="Without one.")
    make_comment(post=post, author_name="ada lovelace", body="A guest.")

    thread = thread_of(post)

    pictured.refresh_from_db()
    assert (
        f'<img class="comment-avatar" src="{pictured.avatar_small.url}" alt="" '
        'width="40" height="40">'
    ) in thread
    assert (
        f'<span class="comment-avatar comment-initials hue-{hue_of("plain")}" '
        'aria-hidden="true">OP</span>'
    ) in thread
    assert f'hue-{hue_of("ada lovelace")}" aria-hidden="true">AL</span>' in thread
    assert "style=" not in thread


def test_a_new_picture_shows_in_the_thread_at_once(post):
    account = make_user(display_name="Sam Changes")
    make_comment(post=post, user=account)
    assert "comment-initials" in thread_of(post)

    profile_update(user=account, avatar=avatar_from_upload(image_upload()))

    account.refresh_from_db()
    assert f'src="{account.avatar_small.url}"' in thread_of(post)


def test_a_closed_accounts_comments_show_initials_not_its_picture(post):
    account = make_user(display_name="Gone Away")
    profile_update(user=account, avatar=avatar_from_upload(image_upload()))
    make_comment(post=post, user=account)
    account.is_active = False
    account.save()

    thread = thread_of(post)

    assert "<img" not in thread
    assert 'aria-hidden="true">GA</span>' in thread


def replies_to(comment, count, **fields):
    return [
        make_comment(parent=comment, body=f"Reply {n}.", **fields) for n in range(count)
    ]


def test_replies_after_the_first_few_fold_into_n_more(post):
    top = make_comment(post=post, body="Top.")
    replies = replies_to(top, REPLIES_SHOWN + 2)
    make_comment(parent=replies[-1], body="A reply inside the fold.")

    thread = thread_of(post)

    fold = re.search(
        r'<li class="comment-more"><details><summary>(\d+) more replies</summary>'
        r'<ol class="comment-children">(.*?)</ol></details></li>',
        thread,
    )
    assert fold, thread
    assert fold[1] == "3"  # two replies, and the reply to the second
    inside = set(re.findall(r'id="comment-(\d+)"', fold[2]))
    assert inside == {
        str(replies[-2].pk),
        str(replies[-1].pk),
        str(Comment.objects.get(body="A reply inside the fold.").pk),
    }
    before = thread[: fold.start()]
    assert all(
        f'id="comment-{reply.pk}"' in before for reply in replies[:REPLIES_SHOWN]
    )


def test_a_single_reply_more_is_shown_rather_than_folded(post):
    folded = make_comment(post=post)
    replies_to(folded, REPLIES_SHOWN + 2)
    one_more = make_comment(post=post)
    replies_to(one_more, REPLIES_SHOWN + 1)
    few = make_comment(post=post)
    replies_to(few, REPLIES_SHOWN)

    thread = thread_of(post)

    assert thread.count("<details>") == 1
    assert "<summary>2 more replies</summary>" in thread


def test_a_placeholder_in_a_fold_is_not_counted(post):
    top = make_comment(post=post)
    replies_to(top, REPLIES_SHOWN)
    removed = make_comment(parent=top, status=Comment.Status.REMOVED)
    make_comment(parent=removed, body="Kept reply.")
    make_comment(parent=top, body="Last reply.")

    thread = thread_of(post)

    assert "<summary>2 more replies</summary>" in thread
    assert "This comment was removed by a moderator." in thread


def test_folds_nest_and_close_in_order(post):
    top = make_comment(post=post)
    for reply in replies_to(top, REPLIES_SHOWN + 2):
        replies_to(reply, REPLIES_SHOWN + 2)
    make_comment(post=post, body="The next thread.")

    thread = thread_of(post)

    # Every list and fold opened is closed, in order.
    tags = re.findall(r"</?(ol|li|details)\b", thread)
    stack = []
    for tag in re.finditer(r"<(/?)(ol|li|details)\b", thread):
        if tag[1]:
            assert stack.pop() == tag[2]
        else:
            stack.append(tag[2])
    assert stack == [] and tags
    assert thread.count("<details>") == REPLIES_SHOWN + 3
