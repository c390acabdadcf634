"""
The site as a reader finds their way round it, in a real browser at a
desktop and a phone width: the header menu, the footer's lists, a
standalone page, a category with its feed, and a post with its neighbours.
"""

import pytest

from bench import data as benchdata
from blog.models import Category
from comments.thread_html import REPLIES_SHOWN
from tests import builders

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails under CI, with the reason
    expect = None

pytestmark = pytest.mark.e2e

SEED_POST = "This intervention is about rehabilitation"


@pytest.fixture
def pages(site):
    """An About page with a subpage, put first in the menu by an editor."""
    about = builders.make_page(
        title="About", slug="about", body="Notes on children’s services."
    )
    builders.make_page(title="Who writes here", slug="authors", parent=about)
    builders.make_menu_item(page=about, order=1)
    builders.make_menu_item(label="Home", url="/", order=0)
    for category in Category.objects.order_by("name"):
        builders.make_menu_item(category=category, order=2)


def test_a_reader_finds_their_way_by_the_menu_and_the_footer(site, pages, open_tab):
    reader = open_tab()
    page = reader.page

    page.goto("/")
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link")).to_have_text(["Home", "About", "Articles", "Blog"])
    footer = page.get_by_role("navigation", name="Around the blog")
    for heading in ["Recent posts", "Recent comments", "Categories", "Archives"]:
        expect(footer.get_by_role("heading", name=heading)).to_be_visible()
    expect(footer.get_by_role("link", name="Posts (RSS)")).to_be_visible()
    reader.assert_public_page_sound()
    reader.assert_accessible()
    reader.screenshot("readers-01-home-menu")
    footer.scroll_into_view_if_needed()
    reader.screenshot("readers-02-home-footer")

    menu.get_by_role("link", name="About").click()
    expect(page.locator("h1")).to_have_text("About")
    page.get_by_role("link", name="Who writes here").click()
    expect(page.get_by_role("navigation", name="Breadcrumbs")).to_contain_text("About")
    reader.assert_public_page_sound()
    reader.assert_accessible()
    reader.screenshot("readers-03-subpage")

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Articles"
    ).click()
    expect(page.locator("h1")).to_have_text("Category Archives: Articles")
    feed = page.locator('link[rel="alternate"][href$="/category/articles/feed/"]')
    expect(feed).to_have_count(1)
    reader.assert_public_page_sound()
    reader.screenshot("readers-04-category")

    page.get_by_role("main").get_by_role("link", name=SEED_POST, exact=True).click()
    expect(page.locator(".post-meta").first).to_contain_text("min read")
    similar = page.get_by_role("heading", name="Similar articles")
    similar.scroll_into_view_if_needed()
    reader.assert_public_page_sound()
    reader.assert_accessible()
    reader.screenshot("readers-05-post-neighbours")


def test_an_editor_writes_a_page_and_puts_it_in_the_menu(site, open_tab):
    editor = open_tab()
    page = editor.page
    editor.log_into_admin(site.editor)

    page.goto("/admin/blog/page/add/")
    page.get_by_label("Title").fill("Contact")
    page.get_by_label("Body").fill("Write to *us* at the council offices.")
    page.get_by_role("button", name="Publish now").click()
    expect(page.locator(".messagelist")).to_contain_text("Published.")
    editor.assert_accessible()
    editor.assert_admin_page_sound()
    editor.screenshot("readers-06-page-form")

    page.goto("/admin/blog/menuitem/add/")
    page.get_by_label("Page").select_option(label="Contact")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    editor.assert_admin_page_sound()
    editor.screenshot("readers-07-menu-items")

    page.goto("/")
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link")).to_have_text(["Contact"])
    menu.get_by_role("link", name="Contact").click()
    expect(page.locator(".post-body em")).to_have_text("us")
    editor.assert_public_page_sound()


@pytest.fixture
def long_discussion(site, settings):
    """A post with 800 comments in about 80 threads: two pages of 50."""
    settings.COMMENTS_PER_PAGE = 50
    post = builders.make_post(title="A long discussion", slug="a-long-discussion")
    comments = benchdata.thread_bulk_create(
        post=post, rows=benchdata.generate_thread(800, seed=4)
    )
    replies = {}
    for comment in comments:
        replies.setdefault(comment.parent_id, []).append(comment)
    # A reply folded away: past the first few below its comment, on page 2.
    folded = next(
        siblings[REPLIES_SHOWN]
        for parent, siblings in replies.items()
        if parent and len(siblings) > REPLIES_SHOWN + 1 and siblings[0].tree_id > 60
    )
    return post, folded, folded.get_absolute_url()


def test_a_reader_follows_a_link_to_a_folded_reply_on_page_two(
    site, long_discussion, open_tab
):
    post, folded, permalink = long_discussion
    reader = open_tab()
    page = reader.page
    assert "?comment-page=2#" in permalink

    page.goto(post.get_absolute_url())
    expect(page.locator(".comment-pages")).to_contain_text("2")
    expect(page.locator(".comment-avatar").first).to_be_visible()
    page.locator(".comment-more summary").first.scroll_into_view_if_needed()
    reader.assert_public_page_sound()
    reader.screenshot("41-thread-avatars-and-folds")
    page.locator(".comment-pages").scroll_into_view_if_needed()
    reader.screenshot("42-comment-pages")

    page.goto(permalink)
    target = page.locator(f"#comment-{folded.pk} > .comment-body")
    expect(page.locator(f"details:has(#comment-{folded.pk})")).to_have_attribute(
        "open", ""
    )
    expect(target).to_be_visible()
    expect(page.locator('.comment-pages [aria-current="page"]')).to_have_text("2")
    reader.screenshot("43-folded-reply-opened")
