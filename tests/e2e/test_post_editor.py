"""
An editor writes a post in the admin, in a real browser with JavaScript on:
the Markdown body is previewed as it is typed, leaving with unsaved changes
asks first, "Publish now" puts the post on the site, and the post list fits
the window. axe-core checks the post form and the list. Each test runs at a
desktop and at a phone width (see conftest.py); screenshots go to
test-artifacts/e2e/<device>/.
"""

import pytest
from PIL import Image

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under CI, with the reason
    expect = None

pytestmark = pytest.mark.e2e

TITLE = "What a year of family hubs taught us"
BODY = """## What changed

Families found help in one place. Read [the evaluation](https://example.org/hubs).

<script>document.title = "taken over"</script>
"""


def test_editor_previews_and_publishes_a_post(site, open_tab, device, tmp_path):
    picture = tmp_path / "hub.png"
    Image.new("RGB", (800, 400), (30, 90, 160)).save(picture)
    editor = open_tab()
    page = editor.page
    editor.log_into_admin(site.editor)
    page.goto("/admin/blog/post/add/")
    expect(page.locator(".markdown-preview")).to_be_visible()
    editor.assert_accessible()

    page.get_by_label("Title").fill(TITLE)
    body = page.get_by_label("Body")
    body.click()
    body.press_sequentially(BODY, delay=5)
    preview = page.locator(".markdown-preview-body")
    expect(preview.locator("h2")).to_have_text("What changed")
    expect(preview.get_by_role("link", name="the evaluation")).to_have_attribute(
        "href", "https://example.org/hubs"
    )
    expect(preview.locator("script")).to_have_count(0)
    assert page.title() != "taken over"
    # Beside the body on a desktop, below it on a phone.
    typed, shown = body.bounding_box(), preview.bounding_box()
    if device == "desktop":
        assert shown["x"] >= typed["x"] + typed["width"]
    else:
        assert shown["y"] >= typed["y"] + typed["height"]
    editor.assert_admin_page_sound()
    body.evaluate("textarea => textarea.scrollIntoView()")
    editor.screenshot("post-editor-01-preview")

    # Leaving with the post unsaved asks first; staying keeps what was typed.
    page.once("dialog", lambda dialog: dialog.dismiss())
    with page.expect_event("dialog") as leaving:
        page.get_by_role("link", name="Posts", exact=True).first.click()
    assert leaving.value.type == "beforeunload"
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    assert page.url.endswith("/admin/blog/post/add/")

    page.locator("#id_featured_image").set_input_files(picture)
    page.get_by_label("Featured image alt text").fill("A blue square")
    page.get_by_role("button", name="Publish now").click()
    expect(page.locator(".messagelist")).to_contain_text("Published.")
    expect(page.locator(".field-publishing_status")).to_contain_text("Published on")
    expect(page.get_by_role("button", name="Update")).to_be_visible()
    editor.assert_accessible()
    # No error, and no CSP violation: axe's injection included.
    editor.assert_admin_page_sound()
    editor.screenshot("post-editor-02-published")
    page.locator(".field-publishing_status").evaluate("row => row.scrollIntoView()")
    editor.screenshot("post-editor-03-publishing")
    page.locator(".submit-row").scroll_into_view_if_needed()
    editor.screenshot("post-editor-04-buttons")

    page.goto("/")
    page.get_by_role("main").get_by_role("link", name=TITLE, exact=True).click()
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(".post-body h2")).to_have_text("What changed")
    editor.assert_public_page_sound()


def test_post_list_fits_the_window(site, open_tab, device):
    editor = open_tab()
    page = editor.page
    editor.log_into_admin(site.editor)
    page.goto("/admin/blog/post/")

    headings = page.locator("#result_list thead th")
    expect(headings).to_have_text(
        ["", "Title", "Status", "Date", "Categories", "Comments"],
        use_inner_text=True,
        ignore_case=True,
    )
    editor.assert_accessible()
    editor.assert_admin_page_sound()
    editor.screenshot("post-editor-05-post-list")
    if device == "phone":
        return  # the admin scrolls a wide table inside its own box there
    table, box = page.evaluate(
        """() => {
          const table = document.getElementById("result_list");
          return [table.scrollWidth, table.parentElement.clientWidth];
        }"""
    )
    assert table <= box, f"The post list is {table}px wide in a {box}px box"
    for heading in headings.all():
        expect(heading).to_be_in_viewport()
    # A title takes at most three lines.
    lines = page.evaluate(
        """() => [...document.querySelectorAll("#result_list .field-title a")]
          .map((a) => Math.round(a.getClientRects().length))"""
    )
    assert max(lines) <= 3, f"Titles take {lines} lines"
