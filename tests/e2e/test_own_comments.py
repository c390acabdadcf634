"""
A guest changes their mind, in a real browser: edits the comment they just
sent (a moderator sees the first text among its earlier ones), then deletes
it. At a desktop and at a phone width (see conftest.py).
"""

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under CI, with the reason
    expect = None

pytestmark = pytest.mark.e2e

SEED_POST = "This intervention is about rehabilitation"
FIRST = "I think the the council got this mostly right."
SECOND = "I think the council got this mostly right."


def test_a_guest_edits_then_deletes_their_comment(site, open_tab):
    guest = open_tab()
    page = guest.page
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name=SEED_POST, exact=True).click()
    form = page.locator("#respond")
    form.get_by_label("Name").fill("Priya Shah")
    form.get_by_label("Email", exact=True).fill("priya@example.org")
    form.get_by_label("Comment").fill(FIRST)
    form.get_by_role("button", name="Post comment").click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))
    comment_id = page.url.rpartition("#")[2]
    mine = page.locator(f"#{comment_id}")
    expect(mine).to_contain_text("Your comment is awaiting moderation.")

    mine.get_by_role("link", name="Edit").click()
    expect(page.locator("h1")).to_have_text("Edit your comment")
    expect(page.get_by_role("textbox", name="Comment")).to_have_value(FIRST)
    guest.assert_public_page_sound()
    guest.screenshot("own-01-edit-form")

    page.get_by_role("textbox", name="Comment").fill(SECOND)
    page.get_by_role("button", name="Save changes").click()
    mine = page.locator(f"#{comment_id}")
    expect(mine.locator(".comment-content")).to_have_text(SECOND)
    expect(mine.locator(".comment-edited")).to_have_text("(edited)")
    guest.assert_public_page_sound()
    mine.scroll_into_view_if_needed()
    guest.screenshot("own-02-edited")

    moderator = open_tab()
    moderator.log_into_admin(site.moderator)
    pk = comment_id.removeprefix("comment-")
    moderator.page.goto(f"/admin/comments/comment/{pk}/change/")
    earlier = moderator.page.locator("#revisions-group")
    expect(earlier).to_contain_text("Earlier texts")
    expect(earlier).to_contain_text(FIRST)
    moderator.assert_admin_page_sound()
    earlier.scroll_into_view_if_needed()
    moderator.screenshot("own-03-earlier-texts")

    mine.get_by_role("link", name="Delete").click()
    expect(page.locator("h1")).to_have_text("Delete your comment?")
    expect(page.locator(".comment-parent")).to_contain_text(SECOND)
    guest.assert_public_page_sound()
    guest.screenshot("own-04-delete-confirm")

    page.get_by_role("button", name="Delete my comment").click()
    expect(page.locator(".messages")).to_contain_text("Your comment has been deleted.")
    expect(page.locator(f"#{comment_id}")).to_have_count(0)
    guest.assert_public_page_sound()
    guest.screenshot("own-05-deleted")


def test_readers_follow_a_post_and_list_their_subscriptions(site, open_tab):
    guest = open_tab()
    page = guest.page
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name=SEED_POST, exact=True).click()
    follow = page.locator(".comment-follow")
    follow.get_by_label("Follow new comments by email").fill("priya@example.org")
    follow.scroll_into_view_if_needed()
    guest.assert_public_page_sound()
    guest.screenshot("own-06-follow-form")
    follow.get_by_role("button", name="Follow").click()
    expect(page.locator(".messages")).to_contain_text(
        "follow the link we have sent to priya@example.org"
    )

    editor = open_tab()
    editor.log_into_admin(site.editor)
    editor.page.goto("/")
    editor.page.get_by_role("main").get_by_role(
        "link", name=SEED_POST, exact=True
    ).click()
    editor.page.get_by_role("button", name="Follow new comments by email").click()
    expect(editor.page.locator(".messages")).to_contain_text(
        "You will get mail about new comments on this post."
    )
    editor.page.get_by_role("link", name="My subscriptions").click()
    expect(editor.page.locator(".subscriptions")).to_contain_text("You follow it")
    editor.assert_public_page_sound()
    editor.screenshot("own-07-my-subscriptions")
    editor.page.locator(".subscription").first.get_by_role(
        "button", name="Stop"
    ).click()
    expect(editor.page.locator(".messages")).to_contain_text("no more mail about")


def test_a_guest_downloads_and_erases_their_comments(site, open_tab, mailoutbox):
    guest = open_tab()
    page = guest.page
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name=SEED_POST, exact=True).click()
    form = page.locator("#respond")
    form.get_by_label("Name").fill("Priya Shah")
    form.get_by_label("Email", exact=True).fill("priya@example.org")
    form.get_by_label("Comment").fill(FIRST)
    form.get_by_role("button", name="Post comment").click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))

    page.get_by_role("link", name="Your comments here: download or erase them").click()
    page.get_by_label("Your email address").fill("priya@example.org")
    guest.assert_public_page_sound()
    guest.screenshot("own-08-data-request")
    page.get_by_role("button", name="Send me the link").click()
    expect(page.locator(".messages")).to_contain_text("on its way there")
    link = re.search(
        r"https?://[^/\s]+(/comments/your-data/\S+/)", mailoutbox[-1].body
    )[1]

    page.goto(link)
    expect(page.locator("main")).to_contain_text("1 comment written here")
    guest.assert_public_page_sound()
    guest.screenshot("own-09-data")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my comments").click()
    assert FIRST in open(download.value.path(), encoding="utf-8").read()
    page.get_by_label("Erase my comments and what identifies me").check()
    page.get_by_role("button", name="Erase").click()
    expect(page.locator("h1")).to_have_text("Your comments are erased")
    guest.screenshot("own-10-data-erased")
