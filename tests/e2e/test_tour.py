"""
The site as people use it, in a real browser with JavaScript on: a guest
replies inline and waits for a moderator, the moderator approves the reply in
the admin, and an editor publishes a post with a featured image. Each test
runs at a desktop and at a phone width (see conftest.py).

No ORM calls here: they cannot run while Playwright's loop does. What the
database holds shows through the pages.
"""

import re

import pytest
from PIL import Image, ImageDraw

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under CI, with the reason
    expect = None

pytestmark = pytest.mark.e2e

SEED_POST = "This intervention is about rehabilitation"
REPLY = "Thank you both: the point about rehabilitation is well made."


def test_guest_reply_is_moderated_then_shown_under_its_comment(site, open_tab):
    guest = open_tab()
    page = guest.page

    page.goto("/")
    page.get_by_role("main").get_by_role("link", name=SEED_POST, exact=True).click()
    post_url = page.url
    expect(page.locator("#comments-title")).to_have_text("7 Comments")
    guest.assert_public_page_sound()
    guest.screenshot("01-post")

    # Mark Rogers' "Dear Brendan", the seed thread's first reply.
    parent = page.locator(
        "li.comment:has(> .comment-body [aria-label='Reply to Mark Rogers'])"
    ).first
    expect(parent.locator(":scope > .comment-body")).to_contain_text("Dear Brendan")
    parent_id = parent.get_attribute("id")
    # JavaScript moves the form under the comment instead of following the link.
    parent.locator(":scope > .comment-body .comment-reply-link").click()
    form = parent.locator(":scope > #respond")
    expect(form).to_be_visible()
    expect(form.locator("#reply-title")).to_have_text("Reply to Mark Rogers")
    assert page.url == post_url
    form.get_by_label("Name").fill("Priya Shah")
    form.get_by_label("Email", exact=True).fill("priya@example.org")
    form.get_by_label("Comment").fill(REPLY)
    guest.assert_public_page_sound()
    guest.screenshot("02-reply-form-inline")

    form.get_by_role("button", name="Post comment").click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))
    reply_id = page.url.rpartition("#")[2]
    assert page.url == f"{post_url}#{reply_id}"
    # Shown to its writer alone, already where it will appear: under Mark's,
    # his fifth reply, so in the fold of his last two, which the link opened.
    fold = page.locator(f"#{parent_id} > .comment-children > .comment-more")
    expect(fold.locator("summary")).to_have_text("2 more replies")
    held = fold.locator(f"#{reply_id}.comment-held")
    expect(held).to_be_visible()
    expect(held).to_contain_text("Your comment is awaiting moderation.")
    expect(held).to_contain_text(REPLY)
    expect(page.locator("#comments-title")).to_have_text("7 Comments")
    guest.assert_public_page_sound()
    guest.screenshot("03-awaiting-moderation")

    moderator = open_tab()
    moderator.log_into_admin(site.moderator)
    admin = moderator.page
    moderator.assert_admin_page_sound()
    admin.get_by_role("link", name="1 comment waiting for moderation").click()
    expect(admin.locator("#result_list")).to_contain_text("Thank you both")
    moderator.assert_admin_page_sound()
    pk = reply_id.removeprefix("comment-")
    row = admin.locator(f"#result_list tr:has(input[value='{pk}'])")
    thread = row.get_by_role("link", name="Thread").get_attribute("href")
    row.locator("input[name=_selected_action]").check()
    admin.locator("select[name=action]").select_option("approve")
    admin.get_by_role("button", name="Run").click()
    expect(admin.locator(".messagelist")).to_contain_text("1 comment(s) approved.")
    moderator.assert_admin_page_sound()
    moderator.screenshot("04-moderator-approved")

    admin.goto(thread)
    expect(admin.locator(f"#comment-{pk}")).to_contain_text("Approved")
    moderator.assert_admin_page_sound()
    moderator.screenshot("04b-moderator-thread")

    page.reload()
    expect(page.locator("#comments-title")).to_have_text("8 Comments")
    nested = parent.locator(f":scope > .comment-children > .comment-more #{reply_id}")
    expect(nested).to_contain_text(REPLY)
    expect(nested.locator(".comment-author")).to_have_text("Priya Shah")
    expect(page.locator(".comment-held")).to_have_count(0)
    guest.assert_public_page_sound()
    nested.scroll_into_view_if_needed()
    guest.screenshot("05-reply-published")


def test_editor_publishes_post_with_featured_image(site, open_tab, tmp_path):
    picture = tmp_path / "harbour.png"
    image = Image.new("RGB", (1200, 600), (30, 90, 160))
    ImageDraw.Draw(image).rectangle((100, 350, 1100, 500), fill=(240, 200, 60))
    image.save(picture)
    title = "Family hubs one year on"
    editor = open_tab()
    page = editor.page

    editor.log_into_admin(site.editor)
    editor.assert_admin_page_sound()
    page.locator("a.addlink[href$='/admin/blog/post/add/']").click()
    editor.assert_admin_page_sound()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Body").fill("What the first year of **family hubs** taught us.")
    page.locator("#id_featured_image").set_input_files(picture)
    page.get_by_label("Featured image alt text").fill("A yellow band on blue")
    editor.screenshot("06-editor-post-form")
    # The comments app's settings for the post, at the foot of its form.
    comments_open = page.locator("#id_discussion-0-is_open")
    expect(comments_open).to_be_checked()
    comments_open.scroll_into_view_if_needed()
    editor.screenshot("06b-editor-post-comments")
    page.get_by_role("button", name="Publish now").click()
    expect(page.locator(".messagelist")).to_contain_text("Published.")
    editor.assert_admin_page_sound()
    editor.screenshot("07-editor-saved")

    page.goto("/")
    expect(page.locator(".post-summary h2").first).to_have_text(title)
    editor.assert_public_page_sound()
    editor.screenshot("08-home-with-new-post")

    page.get_by_role("main").get_by_role("link", name=title, exact=True).click()
    expect(page.locator("h1")).to_have_text(title)
    figure_image = page.locator(".featured-image img")
    expect(figure_image).to_have_attribute("alt", "A yellow band on blue")
    figure_image.scroll_into_view_if_needed()
    # A WebP rendition, chosen for the column's width (sizes) and shown at it.
    expect(figure_image).to_have_js_property("complete", True)
    natural, shown = figure_image.evaluate("img => [img.naturalWidth, img.width]")
    assert natural == shown
    assert figure_image.evaluate("img => img.currentSrc").endswith("-800w.webp")
    editor.assert_public_page_sound()
    editor.screenshot("09-new-post")


def mailed_path(message, route):
    """The path of the site link in a mail (its host is BLOG_SITE_URL's)."""
    return re.search(rf"https?://[^/\s]+(/{route}/\S+/)", message.body)[1]


def test_guest_confirms_reply_notifications_by_the_mailed_link(
    site, open_tab, mailoutbox
):
    guest = open_tab()
    page = guest.page
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name=SEED_POST, exact=True).click()
    form = page.locator("#respond")
    form.get_by_label("Name").fill("Priya Shah")
    form.get_by_label("Email", exact=True).fill("priya@example.org")
    form.get_by_label("Comment").fill("I would like to hear what others think.")
    form.get_by_label("Notify me of replies by email").check()
    form.get_by_role("button", name="Post comment").click()

    page.wait_for_url(re.compile(r"#comment-\d+$"))
    expect(page.locator(".messages")).to_contain_text(
        "To hear of replies, follow the link we have sent to priya@example.org."
    )
    guest.assert_public_page_sound()
    guest.screenshot("10-notify-link-sent")
    # Besides the moderators' notice of a held comment, one mail to Priya.
    (confirmation,) = [m for m in mailoutbox if m.to == ["priya@example.org"]]

    # Opening the link, as a mail scanner would, confirms nothing by itself.
    page.goto(mailed_path(confirmation, "comments/confirm-address"))
    expect(page.locator("main")).to_contain_text("Press the button to confirm")
    guest.assert_public_page_sound()
    guest.screenshot("11-confirm-address")
    page.get_by_role("button", name="Confirm my address").click()
    expect(page.locator("main")).to_contain_text("Thank you: replies to your comments")
    guest.assert_public_page_sound()
    guest.screenshot("12-address-confirmed")


def test_new_account_confirms_its_address_by_the_mailed_link(
    site, open_tab, mailoutbox
):
    person = open_tab()
    page = person.page
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("sam@example.org")
    page.get_by_label("Username").fill("sam")
    page.locator("#id_password1").fill("a long new passphrase 5930")
    page.locator("#id_password2").fill("a long new passphrase 5930")
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator(".messages")).to_contain_text("We have sent a link to")

    page.goto(mailed_path(mailoutbox[0], "accounts/verify-email"))
    expect(page.locator("main")).to_contain_text("sam@example.org")
    person.assert_public_page_sound()
    person.screenshot("13-verify-email")
    page.get_by_role("button", name="Confirm my address").click()
    expect(page.locator(".messages")).to_contain_text(
        "Thank you: sam@example.org is confirmed."
    )
    person.assert_public_page_sound()
    person.screenshot("14-email-confirmed")
