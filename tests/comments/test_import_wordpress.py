"""
manage.py import_wordpress, on a WordPress export written for these tests
(data/wordpress-site.xml: every status, a thread ten replies deep, three
levels of categories and of pages, a featured image, entities, CDATA, the
tricky Unicode, and bad records), asserted through the models and the
public pages.
"""

import io
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import User
from blog.models import Category, OldAddress, Page, Post
from comments.models import Comment, Discussion
from tests import builders
from tests.page_parts import main_content

pytestmark = pytest.mark.django_db

SITE_FILE = Path(__file__).parent / "data" / "wordpress-site.xml"
FIRST_TITLE = "Tom & Jerry’s “big” day — 🎉 עברית"


def import_wordpress(path=SITE_FILE, *options):
    output = io.StringIO()
    call_command("import_wordpress", str(path), *options, stdout=output)
    return output.getvalue()


@pytest.fixture
def imported():
    return import_wordpress()


def post(wordpress_id):
    return Post.objects.get(wordpress_id=wordpress_id)


def thread(post):
    return {
        comment.wordpress_id: comment
        for comment in Comment.objects.filter(post=post).select_related("in_reply_to")
    }


def assert_trees_valid(post):
    """Nested-set numbers as django-mptt keeps them, replies in date order."""
    comments = list(Comment.objects.filter(post=post).order_by("tree_id", "lft"))
    by_pk = {comment.pk: comment for comment in comments}
    trees = {}
    for comment in comments:
        trees.setdefault(comment.tree_id, []).append(comment)
        if comment.parent_id is None:
            assert (comment.level, comment.lft) == (0, 1)
            continue
        parent = by_pk[comment.parent_id]
        assert comment.tree_id == parent.tree_id
        assert comment.level == parent.level + 1
        assert parent.lft < comment.lft < comment.rght < parent.rght
    for tree in trees.values():
        numbers = sorted(n for comment in tree for n in (comment.lft, comment.rght))
        assert numbers == list(range(1, 2 * len(tree) + 1))
        for comment in tree:
            siblings = [other for other in tree if other.parent_id == comment.pk]
            dates = [sibling.created_at for sibling in siblings]
            assert dates == sorted(dates)
    roots = [comment.tree_id for comment in comments if comment.parent_id is None]
    assert len(roots) == len(set(roots))
    others = Comment.objects.exclude(post=post).filter(tree_id__in=roots)
    assert not others.exists(), "a tree id is shared with another post"


# Posts


def test_titles_are_kept_as_written_with_entities_decoded_once(imported):
    assert post(101).title == FIRST_TITLE
    # Combining accents, right-to-left embedding marks and Arabic ligatures.
    assert post(108).title == "Cafe\u0301 \u202bשלום\u202c e\u0308 ﷺ"
    page = Client().get("/posts/tom-jerry/")
    assert "Tom &amp; Jerry’s “big” day — 🎉 עברית" in page.text
    assert "&amp;amp;" not in page.text


def test_statuses_become_published_scheduled_or_draft(imported):
    assert post(101).is_published
    assert post(102).is_scheduled
    for wordpress_id in (103, 104, 105):
        assert post(wordpress_id).status == Post.Status.DRAFT
    assert not Post.objects.filter(wordpress_id=109).exists()  # in the trash
    assert "post 104 “Private thoughts” was private: imported as a draft." in imported
    assert "post 105 “Members only” was protected by a password" in imported
    assert "post 109 “Thrown away”: status “trash” is not imported" in imported


def test_a_draft_without_a_date_or_slug_gets_them_from_its_local_date_and_title(
    imported,
):
    draft = post(103)
    assert draft.slug == "a-draft-without-a-slug"
    assert draft.published_at.isoformat() == "2016-02-01T09:30:00+00:00"
    assert draft.author.username == "bob-smith"


def test_the_body_is_kept_as_html_and_shown_sanitized(imported):
    first = post(101)
    assert first.body_format == Post.BodyFormat.HTML
    assert "<!-- wp:paragraph -->" in first.body  # the editor keeps editing it
    html = Client().get("/posts/tom-jerry/").text
    assert "<p>Budgets &amp; cuts: the council’s plan" in html
    assert "wp:paragraph" not in html
    assert "alert" not in html
    assert "javascript:" not in html
    assert "<figcaption>The chamber in January</figcaption>" in html
    assert "[caption" not in html
    # A shortcode the site does not render is shown as written, and reported.
    assert '[contact-form-7 id="12"]' in html
    assert "uses shortcodes shown as written: [contact-form-7]" in imported


def test_classic_editor_paragraphs_and_cdata_survive(imported):
    draft = post(103)
    assert "]]>" in draft.body
    assert "<p>First paragraph of a classic post.<br>\nA line break in it.</p>" in (
        draft.body_html
    )
    assert "<p>Second paragraph with <strong>bold</strong> &amp; an entity.</p>" in (
        draft.body_html
    )
    assert "<p>Text after the list. CDATA end split: ]]&gt; stays.</p>" in (
        draft.body_html
    )


def test_excerpt_sticky_and_comment_status(imported):
    first = post(101)
    assert first.excerpt == "The <short> version."
    assert first.is_sticky
    assert Discussion.objects.get(post=first).is_open
    assert not Discussion.objects.get(post=post(102)).is_open


def test_a_sticky_post_leads_the_home_page_once(imported):
    html = main_content(Client().get("/"))
    featured = html.split('<section class="sticky-posts"')[1].split("</section>")[0]
    assert "/posts/tom-jerry/" in featured
    assert html.count('href="/posts/tom-jerry/"') == featured.count(
        'href="/posts/tom-jerry/"'
    )


def test_duplicate_slugs_and_missing_titles_are_mended_and_reported(imported):
    assert post(106).slug == "tom-jerry-2"
    assert "the slug “tom-jerry” was taken; it is “tom-jerry-2”" in imported
    assert post(107).title == "A post whose writer forgot the title entirely."
    assert "post 107 “(no title)” has no title" in imported


def test_bad_and_unknown_items_are_skipped_and_named(imported):
    assert "product 501 “A product”: the site has no “product” content" in imported
    assert "Item 601 “No type at all” has no <wp:post_type>; skipped." in imported
    assert "1 nav_menu_item item(s) are WordPress's own records" in imported
    assert not Post.objects.filter(wordpress_id__in=[401, 501, 601]).exists()
    assert "posts: 8 created, 6 reported" in imported


# Filing and authors


def test_categories_keep_their_hierarchy_and_descriptions(imported):
    council = Category.objects.get(slug="council")
    assert council.parent.slug == "local"
    assert council.parent.parent.slug == "news"
    assert council.parent.parent.parent is None
    assert council.description == "Town hall & the chamber"
    assert list(post(101).categories.values_list("slug", flat=True)) == ["council"]


def test_tags_keep_non_ascii_names_and_slugs(imported):
    assert sorted(post(101).tags.values_list("name", "slug")) == [
        ("Budget", "budget"),
        ("Schüler", "schüler"),
    ]
    assert Client().get("/tag/sch%C3%BCler/").status_code == 200


def test_authors_become_accounts_that_cannot_sign_in(imported):
    alice = User.objects.get(username="alice")
    assert (alice.email, alice.display_name) == ("alice@example.org", "Alice Adams")
    assert not alice.has_usable_password()
    assert User.objects.get(username="bob-smith").display_name == "Bob & Co"
    assert "Author bob smith: signs in as bob-smith." in imported
    assert post(101).author == alice


def test_an_author_matches_an_existing_account_by_email(db):
    existing = builders.make_user(username="alice.adams", email="ALICE@example.org")
    output = import_wordpress()
    assert post(101).author == existing
    assert "Author alice: given to the existing account alice.adams" in output


# Pages


def test_pages_keep_their_hierarchy_order_and_addresses(imported):
    history = Page.objects.get(wordpress_id=203)
    assert history.path == "about/team/history"
    assert [page.title for page in history.ancestors()] == ["About", "Team"]
    assert Page.objects.get(wordpress_id=202).menu_order == 2
    response = Client().get("/about/team/history/")
    assert response.status_code == 200
    assert "Since 1999." in response.text


def test_a_page_whose_address_another_route_answers_gets_another(imported):
    page = Page.objects.get(wordpress_id=204)
    assert page.path == "feed-2"
    assert "page 204 “Feed”: the slug “feed” was taken; it is “feed-2”." in imported
    assert Client().get("/feed-2/").status_code == 200


def test_pages_take_comments_only_where_wordpress_let_them(imported):
    assert not Discussion.objects.get(post__wordpress_id=201).is_open
    assert Discussion.objects.get(post__wordpress_id=203).is_open


# Comments


def test_a_ten_deep_thread_keeps_whom_each_reply_answers(imported, settings):
    comments = thread(post(101))
    deepest = settings.COMMENTS_MAX_DEPTH - 1
    for number in range(1, 11):
        assert comments[number].level == min(number - 1, deepest)
    for number in range(2, 11):
        replied_to = comments[number].replied_to
        assert replied_to.wordpress_id == number - 1
    assert comments[7].parent.wordpress_id == deepest
    assert_trees_valid(post(101))


def test_the_thread_page_shows_the_comments_and_whom_replies_answer(imported):
    html = Client().get("/posts/tom-jerry/").text
    for number in range(1, 11):
        assert f"Reply at depth {number}." in html
    answer = re.search(r'id="comment-(\d+)"[^>]*>(?:(?!<li).)*Reply at depth 7', html)
    assert answer and "In reply to" in answer[0]
    assert "Buy cheap pills" not in html
    assert "Held for moderation" not in html


def test_comment_statuses_map_to_moderation_states(imported):
    comments = thread(post(101))
    assert comments[1].status == Comment.Status.APPROVED
    assert comments[11].status == Comment.Status.PENDING
    assert comments[12].status == Comment.Status.SPAM
    assert comments[13].status == Comment.Status.REMOVED
    assert Discussion.objects.get(post=post(101)).comment_count == 14


def test_pings_are_skipped_by_default(imported):
    assert 14 not in thread(post(101))
    assert "pingbacks: 1 skipped" in imported


def test_pings_are_marked_as_such_with_the_option(db):
    import_wordpress(SITE_FILE, "--with-pings")
    ping = thread(post(101))[14]
    assert ping.kind == Comment.Kind.PINGBACK
    assert ping.body == "[…] a pingback excerpt […]"
    html = Client().get("/posts/tom-jerry/").text
    assert "Pingback from " in html
    assert 'href="https://another.example.net/post/"' in html


def test_comment_details_come_across_and_bad_ones_are_dropped(imported):
    comments = thread(post(101))
    reader = comments[3]
    assert (reader.author_name, reader.author_email) == (
        "Reader 3",
        "reader3@example.org",
    )
    assert reader.ip_address == "203.0.113.9"
    assert reader.created_at.isoformat() == "2016-01-29T10:03:00+00:00"
    assert comments[17].user.username == "alice"
    assert comments[17].author_name == ""
    bad = comments[18]
    assert (bad.author_email, bad.author_url, bad.ip_address) == ("", "", None)


def test_comment_html_becomes_the_plain_text_comments_are_written_in(imported):
    linker = thread(post(101))[16]
    assert linker.body == (
        "I agree with the report (https://example.net/report) & more.\nSecond line."
    )
    assert '<a href="https://example.net/report" rel="nofollow ugc">' in (
        linker.body_html
    )


def test_a_comment_whose_parent_is_missing_starts_a_thread(imported):
    orphan = thread(post(101))[15]
    assert orphan.parent is None
    assert (
        "Comment 15 on post 101 “Tom & Jerry’s “big” day — 🎉 עברית” answers "
        "comment 999, which is not in the file" in imported
    )


# Images


def test_the_featured_image_is_shown_from_its_address_with_alt_and_caption(imported):
    first = post(101)
    assert first.featured_image_url == (
        "https://oldblog.example.org/wp-content/uploads/2016/01/council.jpg"
    )
    assert (first.featured_image_alt, first.featured_image_caption) == (
        "The council chamber",
        "Photo: Jane Doe",
    )
    html = Client().get("/posts/tom-jerry/").text
    assert (
        '<img src="https://oldblog.example.org/wp-content/uploads/2016/01/council.jpg"'
        ' width="800" height="600" alt="The council chamber"' in html
    )
    assert "<figcaption>Photo: Jane Doe</figcaption>" in html
    assert (
        '<meta property="og:image" content="https://oldblog.example.org/wp-content/'
        'uploads/2016/01/council.jpg">' in html
    )


def test_media_dir_brings_the_files_in(tmp_path, media_root):
    uploads = tmp_path / "uploads" / "2016" / "01"
    uploads.mkdir(parents=True)
    (uploads / "council.jpg").write_bytes(builders.photo_upload().read())
    output = import_wordpress(SITE_FILE, "--media-dir", str(tmp_path / "uploads"))
    first = post(101)
    assert first.featured_image.name.startswith("posts/")
    assert first.featured_image_renditions["files"]
    assert (media_root / "wordpress/2016/01/council.jpg").exists()
    assert 'src="/media/wordpress/2016/01/council.jpg"' in first.body
    assert "files: 1 created" in output
    # Again: the same files, not copies of them.
    assert "files: 1 unchanged" in import_wordpress(
        SITE_FILE, "--media-dir", str(tmp_path / "uploads")
    )
    assert post(101).featured_image.name == first.featured_image.name


# Old addresses


@pytest.mark.parametrize(
    "old, new",
    [
        ("/2016/01/28/tom-jerry/", "/posts/tom-jerry/"),
        ("/2016/01/28/tom-jerry", "/posts/tom-jerry/"),
        ("/2016/02/02/tom-jerry/", "/posts/tom-jerry-2/"),
        ("/?p=101", "/posts/tom-jerry/"),
        ("/index.php?p=106", "/posts/tom-jerry-2/"),
        ("/2016/01/28/caf%C3%A9-shalom/", "/posts/cafe-shalom/"),
        ("/?page_id=202", "/about/team/"),
        ("/feed-page/", "/feed-2/"),
        ("/category/news/local/council/", "/category/council/"),
        ("/?cat=5", "/category/council/"),
        ("/?tag=budget", "/tag/budget/"),
    ],
)
def test_old_addresses_redirect_permanently(imported, old, new):
    response = Client().get(old)
    assert (response.status_code, response["Location"]) == (301, new)
    assert Client().get(new).status_code == 200


def test_a_redirect_follows_a_later_change_of_slug(imported):
    first = post(101)
    first.slug = "tom-and-jerry"
    first.save()
    response = Client().get("/2016/01/28/tom-jerry/")
    assert response["Location"] == "/posts/tom-and-jerry/"


# Importing again


def snapshot():
    return {
        "posts": list(Post.objects.order_by("pk").values_list("pk", "version", "slug")),
        "comments": list(
            Comment.objects.order_by("pk").values_list(
                "pk", "tree_id", "lft", "rght", "status", "body"
            )
        ),
        "discussions": list(
            Discussion.objects.order_by("pk").values_list("pk", "version")
        ),
        "categories": list(Category.objects.values_list("pk", "parent_id", "name")),
        "users": User.objects.count(),
        "old addresses": OldAddress.objects.count(),
    }


def test_importing_the_same_file_again_changes_nothing(imported):
    before = snapshot()
    output = import_wordpress()
    assert snapshot() == before
    assert "posts: 8 unchanged" in output
    assert "comments: 17 unchanged" in output
    assert "created" not in output.replace("0 created", "")


def test_a_newer_export_updates_what_changed_and_adds_what_is_new(imported, tmp_path):
    newer = SITE_FILE.read_text()
    newer = newer.replace("Scheduled for later", "Scheduled, renamed")
    newer = newer.replace(
        "<wp:comment_approved><![CDATA[0]]></wp:comment_approved>",
        "<wp:comment_approved><![CDATA[1]]></wp:comment_approved>",
    )
    reply = re.search(
        r"\t\t<wp:comment>\s*<wp:comment_id>3</wp:comment_id>.*?</wp:comment>\n",
        newer,
        re.DOTALL,
    )[0]
    new_reply = (
        reply.replace("<wp:comment_id>3<", "<wp:comment_id>19<")
        .replace("Reply at depth 3.", "A late reply to the second comment.")
        .replace("2016-01-29 10:03:00", "2016-03-01 08:00:00")
    )
    newer = newer.replace(reply, reply + new_reply)
    path = tmp_path / "newer.xml"
    path.write_text(newer)
    version = post(101).version
    output = import_wordpress(path)
    assert post(102).title == "Scheduled, renamed"
    assert "posts: 1 updated, 7 unchanged" in output
    comments = thread(post(101))
    assert comments[11].status == Comment.Status.APPROVED
    late = comments[19]
    assert late.parent == comments[2]
    assert late.body == "A late reply to the second comment."
    assert_trees_valid(post(101))
    assert post(101).version == version
    assert Discussion.objects.get(post=post(101)).comment_count == 16


# Dry runs, bad files, one transaction


def test_a_dry_run_reports_and_changes_nothing(db):
    output = import_wordpress(SITE_FILE, "--dry-run")
    assert "Would import (dry run, nothing changed):" in output
    assert "posts: 8 created, 6 reported" in output
    assert not Post.objects.exists()
    assert not Comment.objects.exists()
    assert not User.objects.exists()


def test_a_file_that_breaks_halfway_leaves_the_database_as_it_was(db, tmp_path):
    text = SITE_FILE.read_text()
    broken = text.replace("<title><![CDATA[About]]></title>", "<title>About</titel>")
    path = tmp_path / "broken.xml"
    path.write_text(broken)
    line = broken[: broken.index("</titel>")].count("\n") + 1
    with pytest.raises(CommandError) as error:
        import_wordpress(path)
    assert f"not well-formed XML at line {line}, column" in str(error.value)
    assert "Nothing was imported." in str(error.value)
    assert not Post.objects.exists()
    assert not Comment.objects.exists()
    assert not Category.objects.exists()


@pytest.mark.parametrize(
    "content, message",
    [
        ("<html><body>Hello</body></html>", "its root element is <html>, not <rss>"),
        (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>A feed'
            "</title><item><title>Post</title></item></channel></rss>",
            "its channel has no <wp:wxr_version>",
        ),
        ("", "not well-formed XML at line 1, column 0"),
        (
            '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM '
            '"file:///etc/passwd">]><rss><channel><title>&xxe;</title>'
            "</channel></rss>",
            "declares XML entities, which are refused",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><rss>&lol2;</rss>',
            "declares XML entities, which are refused",
        ),
    ],
)
def test_files_that_are_not_wxr_are_refused_with_the_reason(
    db, tmp_path, content, message
):
    path = tmp_path / "export.xml"
    path.write_text(content)
    with pytest.raises(CommandError) as error:
        import_wordpress(path)
    assert message in str(error.value)
    assert not Post.objects.exists()


def test_a_missing_file_is_named(db, tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*missing.xml"):
        import_wordpress(tmp_path / "missing.xml")


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_older_wxr_versions_import_the_same(db, tmp_path, version):
    older = SITE_FILE.read_text().replace("export/1.2/", f"export/{version}/")
    path = tmp_path / "older.xml"
    path.write_text(older.replace("<wp:wxr_version>1.2", f"<wp:wxr_version>{version}"))
    output = import_wordpress(path)
    assert "posts: 8 created" in output
    assert len(thread(post(101))) == 17


def test_images_left_on_the_old_host_are_named_for_the_security_policy(imported):
    assert (
        "Images are shown from https://oldblog.example.org, which browsers block "
        'until the site allows them: set DJANGO_CSP_IMG_SOURCES="https://oldblog'
        '.example.org", or import again with --media-dir.' in imported
    )


def test_no_note_once_the_old_host_is_allowed(db, settings):
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "img-src": ["'self'", "https://oldblog.example.org"],
    }
    assert "Images are shown from" not in import_wordpress()


def test_a_terminal_sees_a_progress_bar(tmp_path):
    """Run as a person would, on a terminal: the bar is drawn on it."""
    env = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "DJANGO_DEBUG": "true",
    }
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, timeout=120)
    terminal, terminal_end = pty.openpty()
    try:
        result = subprocess.run(
            [*manage, "import_wordpress", str(SITE_FILE), "--dry-run"],
            env=env,
            stderr=terminal_end,
            stdout=subprocess.PIPE,
            timeout=120,
            check=True,
        )
        os.close(terminal_end)
        drawn = b""
        while chunk := read_terminal(terminal):
            drawn += chunk
    finally:
        os.close(terminal)
    assert b"Importing: 100%" in drawn
    assert b"Would import" in result.stdout


def read_terminal(terminal):
    try:
        return os.read(terminal, 65536)
    except OSError:  # the other end is closed: all is read
        return b""


def test_a_post_that_became_a_page_is_left_as_it_was(imported, tmp_path):
    newer = SITE_FILE.read_text()
    item = newer.index("<wp:post_id>104</wp:post_id>")
    newer = newer[:item] + newer[item:].replace(
        "<wp:post_type><![CDATA[post]]>", "<wp:post_type><![CDATA[page]]>", 1
    )
    path = tmp_path / "newer.xml"
    path.write_text(newer)
    output = import_wordpress(path)
    assert "page 104 “Private thoughts” was imported as a post before" in output
    assert post(104).kind == Post.Kind.POST


LOOPED_FILE = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Loops</title><link>https://loops.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version>
<item><title>Round and round</title><dc:creator>ann</dc:creator>
<content:encoded>Text.</content:encoded><wp:post_id>1</wp:post_id>
<wp:post_date_gmt>2016-01-01 10:00:00</wp:post_date_gmt>
<wp:post_name>round</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
{comments}
</item></channel></rss>"""
COMMENT = """<wp:comment><wp:comment_id>{id}</wp:comment_id>
<wp:comment_author>Reader {id}</wp:comment_author>
<wp:comment_date_gmt>2016-01-02 10:0{id}:00</wp:comment_date_gmt>
<wp:comment_content>Comment {id}.</wp:comment_content>
<wp:comment_approved>1</wp:comment_approved>
<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"""


def test_replies_that_answer_each_other_in_a_loop_still_form_a_thread(db, tmp_path):
    comments = "".join(
        COMMENT.format(id=number, parent=parent)
        for number, parent in [(1, 2), (2, 1), (3, 2), (4, 0)]
    )
    path = tmp_path / "looped.xml"
    path.write_text(LOOPED_FILE.format(comments=comments))
    output = import_wordpress(path)
    assert "Comment 1 on post 1 “Round and round” is in a loop of replies" in output
    looped = Post.objects.get(slug="round")
    assert_trees_valid(looped)
    by_id = thread(looped)
    assert by_id[1].parent is None
    assert by_id[2].parent == by_id[1]
    assert by_id[3].parent == by_id[2]
    assert "Comment 3." in Client().get("/posts/round/").text


def test_control_characters_and_stray_bytes_do_not_stop_the_import(db, tmp_path):
    """As real exports carry them, pasted in from word processors."""
    data = SITE_FILE.read_bytes()
    data = data.replace(b"Not yet.", b"Not\x0b yet\x1f.")
    data = data.replace(b"Since 1999.", b"Since 1999 \xe9t\xe9.")
    path = tmp_path / "dirty.xml"
    path.write_bytes(data)
    output = import_wordpress(path)
    assert post(102).body == "Not yet."
    assert Page.objects.get(wordpress_id=203).body == "Since 1999 \ufffdt\ufffd."
    assert "2 control character(s), which XML does not allow" in output
    assert "2 byte(s) that were not UTF-8 were shown as �." in output
