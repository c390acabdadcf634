"""
A WordPress site after `import_wordpress`, in a real browser at a desktop and
a phone width: its sticky post leading the home page, a post with its
featured image and a thread ten replies deep, its pages, an old address,
and the old addresses in the admin.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from tests import builders

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under CI, with the reason
    expect = None

pytestmark = pytest.mark.e2e

SITE_FILE = Path(__file__).parents[1] / "comments" / "data" / "wordpress-site.xml"
TITLE = "Tom & Jerry’s “big” day — 🎉 עברית"


@pytest.fixture
def imported(site, tmp_path):
    """The export imported with a copy of its uploads, so its images show."""
    uploads = tmp_path / "uploads" / "2016" / "01"
    uploads.mkdir(parents=True)
    (uploads / "council.jpg").write_bytes(
        builders.photo_upload(name="council.jpg").read()
    )
    call_command(
        "import_wordpress",
        str(SITE_FILE),
        "--media-dir",
        str(tmp_path / "uploads"),
        stdout=io.StringIO(),
    )


def test_a_reader_finds_the_imported_site_whole(site, imported, open_tab):
    reader = open_tab()
    page = reader.page

    page.goto("/")
    featured = page.get_by_role("region", name="Featured")
    expect(featured.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    reader.assert_public_page_sound()
    reader.assert_accessible()
    reader.screenshot("wordpress-01-home-featured")

    page.goto("/?p=101")  # the post's old address
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(".featured-image img")).to_have_attribute(
        "alt", "The council chamber"
    )
    expect(page.locator(".post-body figcaption")).to_have_text("The chamber in January")
    reader.assert_public_page_sound()
    reader.assert_accessible()
    reader.screenshot("wordpress-02-post")

    # Past the site's depth, the replies stand side by side at its deepest
    # level, where all but the first three fold into "n more replies".
    page.locator("details:has-text('Reply at depth 10.') > summary").click()
    deepest = page.get_by_text("Reply at depth 10.")
    deepest.scroll_into_view_if_needed()
    expect(deepest).to_be_visible()
    reader.assert_no_sideways_scrolling()
    reader.screenshot("wordpress-03-deep-thread")

    page.goto("/about/team/history/")
    expect(page.get_by_role("navigation", name="Breadcrumbs")).to_contain_text("Team")
    reader.assert_public_page_sound()
    reader.screenshot("wordpress-04-subpage")


def test_an_editor_finds_the_old_addresses_in_the_admin(site, imported, open_tab):
    editor = open_tab()
    page = editor.page
    editor.log_into_admin(site.editor)
    page.goto("/admin/blog/oldaddress/?q=2016")
    expect(page.locator("#result_list")).to_contain_text("/2016/01/28/tom-jerry/")
    editor.assert_admin_page_sound()
    editor.screenshot("wordpress-05-old-addresses")
