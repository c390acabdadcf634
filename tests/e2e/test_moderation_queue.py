"""
A moderator works through a queue of 30 held comments in Chromium: one
click per comment, then the keyboard alone, then a thread and a reply. Runs
at a desktop and at a phone width (see conftest.py).

The comments are made before the browser starts: no ORM calls can run
while Playwright's loop does.
"""

import re

import pytest

from blog.models import Post
from comments.models import Comment
from tests import builders

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under CI, with the reason
    expect = None

pytestmark = pytest.mark.e2e

HELD = 30
SEED_POST = "This intervention is about rehabilitation"


@pytest.fixture
def queue(site):
    """30 comments held for different reasons, and two caught as spam."""
    post = Post.objects.get(title__startswith=SEED_POST)
    first_reply_to = post.comments.order_by("created_at").first()
    reasons = [
        (Comment.Reason.FIRST_COMMENT, ""),
        (Comment.Reason.TOO_MANY_LINKS, "4 links"),
        (Comment.Reason.MODERATION_WORD, "casino"),
    ]
    for n in range(HELD):
        reason, detail = reasons[n % len(reasons)]
        words = " ".join(["A long and careful argument"] * (20 if n % 7 == 0 else 2))
        builders.make_comment(
            post=post,
            parent=first_reply_to if n % 4 == 0 else None,
            author_name=f"Reader {n:02d}",
            author_email=f"reader{n}@example.org",
            body=f"Held comment {n:02d}. {words}",
            status=Comment.Status.PENDING,
            moderation_reason=reason,
            moderation_detail=detail,
            ip_address="192.0.2.10",
        )
    for reason, detail in [
        (Comment.Reason.TOO_FAST, "1.2 seconds"),
        (Comment.Reason.HONEYPOT, ""),
    ]:
        builders.make_comment(
            post=post,
            body=f"Caught by the {reason} rule.",
            status=Comment.Status.SPAM,
            moderation_reason=reason,
            moderation_detail=detail,
        )
    return post


def pending_count(page):
    tab = page.locator(".queue-tabs a", has_text="Pending")
    return int(tab.locator(".queue-count").inner_text())


def current_comment(page):
    """The number of the comment in the row the keyboard is on."""
    text = page.locator("#result_list tr.queue-current .queue-body").inner_text()
    return re.search(r"Held comment (\d+)", text)[1]


def assert_table_fits(tab):
    """The queue's table is no wider than its box, and every column is in view."""
    page = tab.page
    overflow = page.evaluate(
        """() => {
          const table = document.getElementById("result_list");
          const box = table.closest(".results");
          return [table.scrollWidth, box.clientWidth];
        }"""
    )
    assert overflow[0] <= overflow[1], f"Queue table {overflow[0]}px in {overflow[1]}px"
    width = page.viewport_size["width"]
    cells = page.locator("#result_list tbody tr").first.locator("td")
    for index in range(cells.count()):
        box = cells.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (
            f"Column {index} at {box} is outside the {width}px window"
        )
    tab.assert_no_sideways_scrolling()


def test_moderator_works_through_a_queue_of_held_comments(site, queue, open_tab):
    moderator = open_tab()
    page = moderator.page
    moderator.log_into_admin(site.moderator)
    waiting = page.locator(".comments-waiting")
    expect(waiting).to_contain_text(f"{HELD} comments waiting for moderation")
    expect(waiting).to_contain_text("2 caught as spam in the last day")
    expect(waiting).to_contain_text("submitted too fast")
    moderator.screenshot("20-admin-index-counts")

    page.get_by_role("link", name=f"{HELD} comments waiting for moderation").click()
    expect(page.locator("h1")).to_have_text("Pending comments")
    assert pending_count(page) == HELD
    assert_table_fits(moderator)
    moderator.screenshot("21-queue")
    moderator.assert_accessible()

    # One click a comment: the page comes back at the comment below.
    for action, label in [
        ("Approve", "Approved"),
        ("Spam", "Marked as spam"),
        ("Remove", "Removed"),
        ("Approve & trust", "trusted once they confirm their address"),
    ]:
        row = page.locator("#result_list tbody tr").first
        below = row.locator("xpath=following-sibling::tr[1]")
        next_number = re.search(r"Held comment (\d+)", below.inner_text())[1]
        row.get_by_role("button", name=action, exact=True).click()
        expect(page.locator(".messagelist")).to_contain_text(label)
        assert current_comment(page) == next_number
    assert pending_count(page) == HELD - 4
    moderator.screenshot("22-queue-after-clicks")

    # The keyboard alone: k, j move; a, s, r, t act on the current comment.
    for key in ["a", "s", "r", "t"]:
        before = current_comment(page)
        page.keyboard.press("j")
        page.keyboard.press("k")
        assert current_comment(page) == before
        page.keyboard.press(key)
        page.wait_for_load_state()
        expect(page.locator(".messagelist")).to_contain_text(f"Held comment {before}")
    assert pending_count(page) == HELD - 8
    assert_table_fits(moderator)
    moderator.assert_admin_page_sound()
    moderator.screenshot("23-queue-after-keys")

    # Spam: what the rules caught, the too-fast and honeypot ones marked.
    page.locator(".queue-tabs a", has_text="Spam").click()
    expect(page.locator(".queue-reason-too-fast")).to_contain_text(
        "Submitted too fast: 1.2 seconds"
    )
    expect(page.locator(".queue-reason-honeypot")).to_contain_text("Honeypot")
    expect(page.locator("#result_list tbody tr")).to_have_count(4)
    assert_table_fits(moderator)
    moderator.screenshot("24-spam-tab")
    page.locator(".queue-tabs a", has_text="Removed").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(2)


def test_moderator_answers_in_the_thread_view(site, queue, open_tab):
    moderator = open_tab()
    page = moderator.page
    moderator.log_into_admin(site.moderator)
    page.goto("/admin/comments/comment/?status__exact=pending")
    row = page.locator("#result_list tbody tr", has_text="Held comment 00")
    row.get_by_role("link", name="Thread").click()
    held = page.locator(".comment-thread-item:target")
    expect(held).to_contain_text("Held comment 00")
    expect(page.locator("ol.breadcrumbs")).to_contain_text(SEED_POST)
    moderator.screenshot("25-thread")
    moderator.assert_accessible()

    held.get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Approved")
    held = page.locator(".comment-thread-item:target")
    expect(held).to_contain_text("Approved")
    held.locator("summary", has_text="Reply to Reader 00").click()
    held.get_by_label("Published at once, under your name").fill(
        "Thank you, Reader 00: a moderator's answer."
    )
    held.get_by_role("button", name="Publish").click()
    expect(page.locator(".messagelist")).to_contain_text("Your reply is published.")
    answer = page.locator(".comment-thread-item:target")
    expect(answer).to_contain_text("a moderator's answer")
    moderator.assert_admin_page_sound()
    moderator.screenshot("26-thread-reply")

    page.goto(queue.get_absolute_url())
    expect(page.locator(".comment-list")).to_contain_text("a moderator's answer")


def test_moderator_undoes_a_mistake_from_the_log(site, queue, open_tab):
    moderator = open_tab()
    page = moderator.page
    moderator.log_into_admin(site.moderator)
    page.goto("/admin/comments/comment/?status__exact=pending")
    row = page.locator("#result_list tbody tr").first
    number = re.search(r"Held comment (\d+)", row.inner_text())[1]
    row.get_by_role("button", name="Spam", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Marked as spam")

    page.goto("/admin/comments/moderationevent/?action__exact=spam")
    entry = page.locator("#result_list tbody tr").first
    expect(entry).to_contain_text(f"Held comment {number}")
    expect(entry).to_contain_text("Pending → Spam")
    moderator.assert_admin_page_sound()
    moderator.screenshot("25-moderation-log")

    entry.get_by_role("link", name=re.compile(f"Held comment {number}")).click()
    history = page.locator("#moderation_events-group")
    expect(history).to_contain_text("Marked as spam")
    page.get_by_role("button", name="Undo").scroll_into_view_if_needed()
    moderator.assert_admin_page_sound()
    moderator.screenshot("26-comment-history")

    page.get_by_role("button", name="Undo").click()
    expect(page.locator(".messagelist")).to_contain_text("Undone: “Marked as spam”")
    expect(history).to_contain_text("(undone)")
    expect(page.locator(".field-status")).to_contain_text("Pending")
    moderator.screenshot("27-undone")

    page.get_by_label("A word or domain").fill("careful argument")
    page.get_by_role("button", name="Always hold").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "From now on, comments with “careful argument” are held for a moderator."
    )
    moderator.assert_admin_page_sound()
    moderator.screenshot("28-follow-up-word")
    page.goto("/admin/comments/moderationword/")
    expect(page.locator("#result_list")).to_contain_text("careful argument")
    moderator.assert_admin_page_sound()
    moderator.screenshot("29-moderation-words")


@pytest.fixture
def troll(queue):
    """An approved comment someone answered, from an address about to be banned."""
    answered = builders.make_comment(
        post=queue,
        author_name="Loud Reader",
        author_email="loud@example.org",
        body="Something rude about everyone here.",
        ip_address="192.0.2.99",
    )
    builders.make_comment(
        parent=answered, author_name="Calm Reader", body="Let us keep it civil."
    )
    return answered


def test_moderator_bans_an_address_and_lifts_the_ban(site, troll, open_tab):
    moderator = open_tab()
    page = moderator.page
    moderator.log_into_admin(site.moderator)
    page.goto(f"/admin/comments/comment/{troll.pk}/change/")
    page.get_by_role("link", name="Ban 192.0.2.99").click()
    expect(page.get_by_label("IP address or range")).to_have_value("192.0.2.99")
    page.get_by_label("Reason").fill("Insults other readers")
    page.get_by_label("Hide their past comments").check()
    moderator.assert_admin_page_sound()
    moderator.screenshot("30-ban-form")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("1 of their comments hidden.")
    expect(page.locator("#result_list")).to_contain_text("In force, without end")
    moderator.assert_admin_page_sound()
    moderator.screenshot("31-bans")

    reader = open_tab()
    reader.page.goto(troll.post.get_absolute_url() + f"#comment-{troll.pk}")
    placeholder = reader.page.locator(f"#comment-{troll.pk}")
    expect(placeholder).to_contain_text("hidden: its author is banned")
    expect(reader.page.locator(".comments")).to_contain_text("Let us keep it civil.")
    expect(reader.page.locator(".comments")).not_to_contain_text("Something rude")
    placeholder.scroll_into_view_if_needed()
    reader.screenshot("32-thread-with-a-banned-authors-comment")

    page.locator("#result_list").get_by_role("link", name="192.0.2.99").click()
    page.get_by_role("button", name="Lift the ban now").click()
    expect(page.locator(".messagelist")).to_contain_text("1 comment(s) shown again.")
    expect(page.locator(".field-state")).to_contain_text("Lifted by moderator")
    moderator.screenshot("33-ban-lifted")
    reader.page.reload()
    expect(reader.page.locator(".comments")).to_contain_text("Something rude")


def test_editor_sets_a_categorys_rules_for_comments(site, open_tab):
    editor = open_tab()
    page = editor.page
    editor.log_into_admin(site.editor)
    page.goto("/admin/blog/category/")
    page.locator("#result_list tbody a").first.click()
    rules = page.locator("#discussion_rules-0")
    rules.get_by_label("Close comments after (days)").fill("30")
    rules.get_by_label("Hold every comment").check()
    rules.get_by_label("Deepest reply level").fill("3")
    editor.assert_admin_page_sound()
    editor.screenshot("34-category-rules")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(rules.get_by_label("Deepest reply level")).to_have_value("3")
