"""
manage.py export_wordpress and the admin's export action: a WXR file that
WordPress's importer reads and that import_wordpress reads back to the same
site.
"""

import datetime
import io
import os
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from blog.models import Category, OldAddress, Page, Post
from blog.wordpress.wxr import MARKDOWN_SOURCE
from comments.models import Comment, Discussion
from comments.services import reply_parent
from tests.builders import (
    close_comments,
    image_upload,
    make_category,
    make_comment,
    make_page,
    make_post,
    make_user,
)

pytestmark = pytest.mark.django_db

WP = "{http://wordpress.org/export/1.2/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
EXCERPT = "{http://wordpress.org/export/1.2/excerpt/}"
DC = "{http://purl.org/dc/elements/1.1/}"
START = datetime.datetime(2025, 3, 1, 9, 30, 15, 250_000, tzinfo=datetime.UTC)


def at(minutes):
    return START + datetime.timedelta(minutes=minutes)


def reply(answered, **fields):
    """A reply placed as the site places one, under the depth limit."""
    parent = reply_parent(answered)
    return make_comment(
        post=answered.post,
        parent=parent,
        in_reply_to=answered if parent is not answered else None,
        **fields,
    )


@pytest.fixture
def site(settings):
    """
    A site with every kind of thing an export carries: Markdown and HTML
    posts, a draft, a scheduled post, sticky, a three-deep category tree, a
    non-ASCII tag, two authors, pages three deep, and comments of every
    status and kind, one thread ten replies deep.
    """
    settings.COMMENTS_MAX_DEPTH = 5  # the thread is deeper: replies move up
    alice = make_user(
        username="alice",
        email="alice@example.org",
        display_name="Alice & Co",
        first_name="Alice",
        last_name="Adams",
    )
    bob = make_user(username="bob", email="bob@example.org", first_name="Bob")
    news = make_category(name="News", slug="news", description="What & why")
    local = make_category(name="Local", slug="local", parent=news)
    council = make_category(name="Council <chamber>", slug="council", parent=local)
    make_category(name="Arts & Crafts", slug="arts")
    markdown = make_post(
        title="Budgets & “cuts” <2025>",
        slug="budgets",
        author=alice,
        body="# The plan\n\nSome *Markdown* & <b>HTML</b>.\n\n    code with ]]> in it",
        excerpt="The <short> version & more.",
        is_sticky=True,
        published_at=at(0),
        featured_image_url="https://images.example.org/2025/03/chamber.jpg",
        featured_image_alt="The council chamber",
        featured_image_caption="Photo: Jane & John",
        featured_image_width=800,
        featured_image_height=600,
        categories=[council],
        tags=["budget", "Schüler"],
    )
    html = make_post(
        title="Written in HTML",
        slug="in-html",
        author=bob,
        body_format=Post.BodyFormat.HTML,
        body="<p>A CDATA end: ]]> and on.</p>\n\n<p>Second <em>paragraph</em>.</p>",
        published_at=at(60),
        categories=[news, local],
        tags=["budget", "ofsted"],
    )
    make_post(
        title="Half written",
        slug="half-written",
        author=bob,
        status=Post.Status.DRAFT,
        published_at=at(120),
    )
    scheduled = make_post(
        title="Coming soon",
        slug="coming-soon",
        author=alice,
        published_at=timezone.now() + datetime.timedelta(days=30),
        categories=[local],
    )
    close_comments(scheduled)
    about = make_page(title="About", slug="about", author=alice, menu_order=1)
    team = make_page(
        title="Team", slug="team", author=alice, parent=about, menu_order=2
    )
    make_page(title="History", slug="history", author=bob, parent=team)
    contact = make_page(
        title="Contact", slug="contact", author=alice, menu_order=3, published_at=at(5)
    )
    Discussion.objects.create(post=contact, is_open=True)
    make_page(
        title="Plans", slug="plans", author=bob, status=Post.Status.DRAFT, menu_order=4
    )

    minutes = iter(range(1, 1000))
    answered = make_comment(
        post=markdown, body="Depth 1.", created_at=at(next(minutes))
    )
    thread = [answered]
    for depth in range(2, 11):
        answered = reply(answered, body=f"Depth {depth}.", created_at=at(next(minutes)))
        thread.append(answered)
    reply(
        thread[1],
        user=alice,
        author_name="",
        author_email="",
        body="The author answers.",
        created_at=at(next(minutes)),
    )
    make_comment(
        post=markdown,
        body="<b>Not bold</b> & 'quoted'\n\nA second paragraph.",
        author_name="Reader <3> & co",
        author_url="https://reader.example.net/",
        ip_address="203.0.113.9",
        created_at=at(next(minutes)),
    )
    make_comment(
        post=markdown,
        body="Held.",
        status=Comment.Status.PENDING,
        created_at=at(next(minutes)),
    )
    make_comment(
        post=markdown,
        body="Buy pills.",
        status=Comment.Status.SPAM,
        created_at=at(next(minutes)),
    )
    reply(
        thread[0],
        body="Taken down.",
        status=Comment.Status.REMOVED,
        created_at=at(next(minutes)),
    )
    make_comment(
        post=markdown,
        body="[…] linked to this […]",
        kind=Comment.Kind.PINGBACK,
        author_name="Another blog",
        author_email="",
        author_url="https://other.example.net/2025/03/post/",
        created_at=at(next(minutes)),
    )
    make_comment(post=html, body="On the HTML post.", created_at=at(next(minutes)))
    make_comment(post=contact, body="On a page.", created_at=at(next(minutes)))
    return {"markdown": markdown, "html": html, "thread": thread}


def to_second(moment):
    # WXR gives dates to the second.
    return moment.replace(microsecond=0)


def snapshot():
    """What the site holds that an export should carry, keyed by slug."""
    posts = {}
    for post in Post.objects.select_related("author", "parent").prefetch_related(
        "categories", "tags"
    ):
        discussion = Discussion.of(post)
        posts[post.slug] = {
            "kind": post.kind,
            "title": post.title,
            "body": post.body,
            "format": post.body_format,
            "excerpt": post.excerpt,
            "status": post.status,
            "published_at": to_second(post.published_at),
            "is_sticky": post.is_sticky,
            "author": post.author.username,
            "categories": sorted(category.slug for category in post.categories.all()),
            "tags": sorted(tag.name for tag in post.tags.all()),
            "parent": post.parent.slug if post.parent else None,
            "menu_order": post.menu_order,
            "path": post.path,
            "featured_image": (
                post.featured_image_url,
                post.featured_image_alt,
                post.featured_image_caption,
                post.featured_image_width,
                post.featured_image_height,
            ),
            "comments_open": discussion.is_open,
            "approved_comments": discussion.comment_count,
            "comments": [
                comment_state(comment)
                for comment in Comment.objects.thread(post).select_related(
                    "user", "parent", "in_reply_to"
                )
            ],
        }
    return {
        "posts": posts,
        "categories": {
            category.slug: (
                category.name,
                category.description,
                category.parent.slug if category.parent else None,
            )
            for category in Category.objects.select_related("parent")
        },
        "tags": {tag.slug: tag.name for tag in Tag.objects.all()},
    }


def comment_state(comment):
    """A comment as readers and moderators see it, in its thread's order."""
    return {
        "body": comment.body,
        "answers": comment.replied_to.body if comment.replied_to else None,
        "parent": comment.parent.body if comment.parent else None,
        "level": comment.level,
        "status": comment.status,
        "kind": comment.kind,
        "name": comment.display_name,
        "email": comment.notification_email,
        "account": comment.user.username if comment.user else None,
        "url": comment.author_url,
        "ip_address": comment.ip_address,
        "created_at": to_second(comment.created_at),
    }


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Post, Comment, Category, Tag, OldAddress, Discussion)
    }


def delete_site():
    """Everything an import brings back, gone (the accounts stay)."""
    for page in Page.objects.order_by("-path"):  # children before parents
        page.delete()
    Post.objects.all().delete()
    Category.objects.update(parent=None)  # a parent is protected from deletion
    Category.objects.all().delete()
    Tag.objects.all().delete()
    OldAddress.objects.all().delete()


def export(path):
    out = io.StringIO()
    call_command("export_wordpress", str(path), stdout=out)
    return out.getvalue()


def import_file(path):
    out = io.StringIO()
    call_command("import_wordpress", str(path), "--with-pings", stdout=out)
    return out.getvalue()


# The round trip


def test_importing_an_export_restores_the_site(site, tmp_path):
    path = tmp_path / "site.xml"
    export(path)
    before = snapshot()
    assert len(before["posts"]["budgets"]["comments"]) == 16

    delete_site()
    assert not Post.objects.exists()
    import_file(path)

    after = snapshot()
    assert after["categories"] == before["categories"]
    assert after["tags"] == before["tags"]
    assert after["posts"].keys() == before["posts"].keys()
    for slug, state in before["posts"].items():
        assert after["posts"][slug] == state, slug


def test_the_deep_thread_keeps_whom_each_reply_answers(site, tmp_path):
    path = tmp_path / "site.xml"
    export(path)
    delete_site()

    import_file(path)

    deepest = Comment.objects.get(body="Depth 10.")
    assert deepest.replied_to.body == "Depth 9."
    assert deepest.level == 4  # COMMENTS_MAX_DEPTH 5: levels 0 to 4


def test_importing_the_export_twice_changes_nothing(site, tmp_path):
    path = tmp_path / "site.xml"
    export(path)
    delete_site()
    import_file(path)
    before, counted = snapshot(), counts()

    summary = import_file(path)

    assert "created" not in summary
    assert "updated" not in summary
    assert "posts: 4 unchanged" in summary
    assert "pages: 5 unchanged" in summary
    assert "comments: 18 unchanged" in summary
    assert counts() == counted
    assert snapshot() == before


def test_the_command_says_what_it_wrote(site, tmp_path):
    summary = export(tmp_path / "site.xml")

    assert summary == (
        f"Wrote {tmp_path / 'site.xml'}: 4 posts, 5 pages, 18 comments, 2 authors, "
        "4 categories, 3 tags, 1 featured image.\n"
    )


def test_the_command_writes_to_standard_output_and_reports_on_standard_error(site):
    out, err = io.StringIO(), io.StringIO()

    call_command("export_wordpress", "-", stdout=out, stderr=err)

    channel = ET.fromstring(out.getvalue()).find("channel")
    assert len(channel.findall("item")) == 10  # 9 posts and pages, 1 image
    assert err.getvalue().startswith("Wrote standard output: 4 posts, 5 pages")


@pytest.mark.parametrize("where", ["missing-folder/site.xml", "."])
def test_an_unwritable_path_is_a_clear_error(tmp_path, where):
    with pytest.raises(CommandError, match=r"^Cannot write .+: [A-Z][a-z ]+\.$"):
        call_command("export_wordpress", str(tmp_path / where))


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs Linux's /dev/full")
def test_a_full_disk_is_a_clear_error(site):
    with pytest.raises(CommandError, match="No space left on device"):
        call_command("export_wordpress", "/dev/full")


# What WordPress's importer reads


@pytest.fixture
def wxr(site, tmp_path):
    """The export of `site`, as text and parsed."""
    path = tmp_path / "site.xml"
    export(path)
    text = path.read_text(encoding="utf-8")
    return text, ET.fromstring(text).find("channel")


def items(channel, post_type=None):
    """Each <item> by its wp:post_id."""
    return {
        int(item.findtext(f"{WP}post_id")): item
        for item in channel.findall("item")
        if post_type is None or item.findtext(f"{WP}post_type") == post_type
    }


def meta(item):
    return {
        entry.findtext(f"{WP}meta_key"): entry.findtext(f"{WP}meta_value")
        for entry in item.findall(f"{WP}postmeta")
    }


def test_the_file_declares_wordpress_namespaces_and_version(wxr, settings):
    text, channel = wxr

    for prefix, uri in [
        ("excerpt", "http://wordpress.org/export/1.2/excerpt/"),
        ("content", "http://purl.org/rss/1.0/modules/content/"),
        ("wfw", "http://wellformedweb.org/CommentAPI/"),
        ("dc", "http://purl.org/dc/elements/1.1/"),
        ("wp", "http://wordpress.org/export/1.2/"),
    ]:
        assert f'xmlns:{prefix}="{uri}"' in text
    assert text.startswith('<?xml version="1.0" encoding="UTF-8" ?>')
    assert channel.findtext(f"{WP}wxr_version") == "1.2"
    assert channel.findtext("title") == settings.BLOG_SITE_NAME
    assert channel.findtext("link") == settings.BLOG_SITE_URL
    assert channel.findtext(f"{WP}base_site_url") == settings.BLOG_SITE_URL
    assert channel.findtext(f"{WP}base_blog_url") == settings.BLOG_SITE_URL
    assert channel.findtext("language") == "en-GB"


def test_authors_are_listed_with_their_names(wxr):
    _, channel = wxr
    authors = {
        author.findtext(f"{WP}author_login"): author
        for author in channel.findall(f"{WP}author")
    }

    assert authors.keys() == {"alice", "bob"}
    alice = authors["alice"]
    assert (
        int(alice.findtext(f"{WP}author_id"))
        == Post.objects.get(slug="budgets").author_id
    )
    assert alice.findtext(f"{WP}author_email") == "alice@example.org"
    assert alice.findtext(f"{WP}author_display_name") == "Alice &amp; Co"
    assert alice.findtext(f"{WP}author_last_name") == "Adams"


def test_categories_come_after_their_parents(wxr):
    _, channel = wxr
    categories = [
        (
            category.findtext(f"{WP}category_nicename"),
            category.findtext(f"{WP}category_parent"),
            category.findtext(f"{WP}cat_name"),
        )
        for category in channel.findall(f"{WP}category")
    ]

    order = [slug for slug, _, _ in categories]
    assert order.index("news") < order.index("local") < order.index("council")
    assert ("council", "local", "Council &lt;chamber&gt;") in categories
    assert ("arts", "", "Arts &amp; Crafts") in categories


def test_tags_are_the_ones_the_posts_use_with_wordpress_slugs(wxr):
    _, channel = wxr
    tags = {
        tag.findtext(f"{WP}tag_slug"): tag.findtext(f"{WP}tag_name")
        for tag in channel.findall(f"{WP}tag")
    }
    category_ids = {
        category.findtext(f"{WP}term_id")
        for category in channel.findall(f"{WP}category")
    }
    tag_ids = {tag.findtext(f"{WP}term_id") for tag in channel.findall(f"{WP}tag")}

    assert tags == {"budget": "budget", "ofsted": "ofsted", "sch%c3%bcler": "Schüler"}
    assert not category_ids & tag_ids  # one table of terms at WordPress


def test_a_post_item_carries_the_fields_wordpress_reads(wxr, site, settings):
    _, channel = wxr
    post = site["markdown"]
    item = items(channel)[post.pk]

    assert item.findtext("link") == settings.BLOG_SITE_URL + "/posts/budgets/"
    assert item.findtext(f"{DC}creator") == "alice"
    assert item.find("guid").get("isPermaLink") == "false"
    assert item.findtext("guid") == f"{settings.BLOG_SITE_URL}/?p={post.pk}"
    assert item.findtext("title") == "Budgets &amp; “cuts” &lt;2025&gt;"
    assert item.findtext(f"{EXCERPT}encoded") == "The &lt;short&gt; version &amp; more."
    assert item.findtext(f"{WP}post_date") == "2025-03-01 09:30:15"
    assert item.findtext(f"{WP}post_date_gmt") == "2025-03-01 09:30:15"
    assert item.findtext(f"{WP}comment_status") == "open"
    assert item.findtext(f"{WP}ping_status") == "closed"
    assert item.findtext(f"{WP}post_name") == "budgets"
    assert item.findtext(f"{WP}status") == "publish"
    assert item.findtext(f"{WP}post_parent") == "0"
    assert item.findtext(f"{WP}post_type") == "post"
    assert item.findtext(f"{WP}post_password") == ""
    assert item.findtext(f"{WP}is_sticky") == "1"
    assert sorted(
        (term.get("domain"), term.get("nicename"), term.text)
        for term in item.findall("category")
    ) == [
        ("category", "council", "Council &lt;chamber&gt;"),
        ("post_tag", "budget", "budget"),
        ("post_tag", "sch%c3%bcler", "Schüler"),
    ]


def test_statuses_are_wordpress_statuses(wxr):
    _, channel = wxr
    statuses = {
        item.findtext(f"{WP}post_name"): item.findtext(f"{WP}status")
        for item in channel.findall("item")
    }

    assert statuses["budgets"] == "publish"
    assert statuses["half-written"] == "draft"
    assert statuses["coming-soon"] == "future"
    assert statuses["plans"] == "draft"


def test_pages_carry_their_parent_and_order(wxr):
    _, channel = wxr
    pages = {
        item.findtext(f"{WP}post_name"): item
        for item in items(channel, "page").values()
    }

    assert set(pages) == {"about", "team", "history", "contact", "plans"}
    assert pages["team"].findtext(f"{WP}post_parent") == pages["about"].findtext(
        f"{WP}post_id"
    )
    assert pages["history"].findtext(f"{WP}post_parent") == pages["team"].findtext(
        f"{WP}post_id"
    )
    assert pages["team"].findtext(f"{WP}menu_order") == "2"
    assert pages["about"].findtext(f"{WP}comment_status") == "closed"
    assert pages["contact"].findtext(f"{WP}comment_status") == "open"


def test_a_markdown_post_carries_its_html_and_its_source(wxr, site):
    _, channel = wxr
    post = site["markdown"]
    item = items(channel)[post.pk]

    assert item.findtext(f"{CONTENT}encoded") == post.body_html
    assert meta(item)[MARKDOWN_SOURCE] == post.body


def test_an_html_post_is_written_as_it_is(wxr, site):
    _, channel = wxr
    item = items(channel)[site["html"].pk]

    assert item.findtext(f"{CONTENT}encoded") == site["html"].body
    assert MARKDOWN_SOURCE not in meta(item)


def test_a_cdata_end_in_a_body_is_split_as_wordpress_splits_it(wxr, site):
    text, channel = wxr

    assert "A CDATA end: ]]]]><![CDATA[> and on." in text
    assert "]]> and on" not in text.replace("]]]]><![CDATA[>", "")
    assert "code with ]]]]><![CDATA[> in it" in text  # the Markdown source
    assert "]]> and on." in items(channel)[site["html"].pk].findtext(
        f"{CONTENT}encoded"
    )


def test_the_featured_image_is_an_attachment_of_its_post(wxr, site):
    _, channel = wxr
    post = site["markdown"]
    thumbnail_id = int(meta(items(channel)[post.pk])["_thumbnail_id"])
    attachments = items(channel, "attachment")

    assert list(attachments) == [thumbnail_id]
    assert thumbnail_id not in items(channel, "post")
    assert thumbnail_id not in items(channel, "page")
    attachment = attachments[thumbnail_id]
    assert attachment.findtext(f"{WP}status") == "inherit"
    assert attachment.findtext(f"{WP}post_parent") == str(post.pk)
    assert (
        attachment.findtext(f"{WP}attachment_url")
        == "https://images.example.org/2025/03/chamber.jpg"
    )
    assert attachment.findtext(f"{EXCERPT}encoded") == "Photo: Jane &amp; John"
    assert meta(attachment) == {
        "_wp_attachment_image_alt": "The council chamber",
        "_wp_attachment_metadata": 'a:2:{s:5:"width";i:800;s:6:"height";i:600;}',
    }


def test_an_uploaded_featured_image_is_given_by_its_absolute_address(settings):
    post = make_post(featured_image=image_upload(size=(40, 30)))
    out = io.StringIO()

    call_command("export_wordpress", "-", stdout=out, stderr=io.StringIO())

    channel = ET.fromstring(out.getvalue()).find("channel")
    (attachment,) = items(channel, "attachment").values()
    url = attachment.findtext(f"{WP}attachment_url")
    assert url == settings.BLOG_SITE_URL + post.featured_picture.src
    assert meta(attachment)["_wp_attachment_metadata"] == (
        'a:2:{s:5:"width";i:40;s:6:"height";i:30;}'
    )


def test_comments_are_written_in_thread_order_as_wordpress_keeps_them(wxr, site):
    _, channel = wxr
    post, thread = site["markdown"], site["thread"]
    comments = {
        comment.findtext(f"{WP}comment_content"): comment
        for comment in items(channel)[post.pk].findall(f"{WP}comment")
    }
    order = list(comments)

    def field(body, name):
        return comments[body].findtext(f"{WP}{name}")

    assert len(comments) == 16
    assert order.index("Depth 1.") < order.index("Depth 2.") < order.index("Depth 10.")
    # Whom it answers, though the depth limit put it beside that comment.
    assert field("Depth 10.", "comment_parent") == str(thread[8].pk)
    assert field("Depth 1.", "comment_parent") == "0"
    assert field("Depth 1.", "comment_date_gmt") == "2025-03-01 09:31:15"
    escaped = (
        "&lt;b&gt;Not bold&lt;/b&gt; &amp; &#x27;quoted&#x27;\n\nA second paragraph."
    )
    assert field(escaped, "comment_author") == "Reader &lt;3&gt; &amp; co"
    assert field(escaped, "comment_author_url") == "https://reader.example.net/"
    assert field(escaped, "comment_author_IP") == "203.0.113.9"
    assert field("The author answers.", "comment_author") == "Alice &amp; Co"
    assert field("The author answers.", "comment_author_email") == "alice@example.org"
    assert field("The author answers.", "comment_user_id") == str(post.author_id)
    assert field("Depth 1.", "comment_user_id") == "0"
    assert [
        (field(body, "comment_approved"), field(body, "comment_type"))
        for body in [
            "Depth 1.",
            "Held.",
            "Buy pills.",
            "Taken down.",
            "[…] linked to this […]",
        ]
    ] == [
        ("1", "comment"),
        ("0", "comment"),
        ("spam", "comment"),
        ("trash", "comment"),
        ("1", "pingback"),
    ]


def test_more_comments_take_no_more_queries(site, tmp_path):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            export(tmp_path / "site.xml")
        return len(captured)

    few = queries()
    for n in range(30):
        make_comment(post=site["html"], body=f"More {n}.")

    assert queries() == few


# The admin's action


def test_the_admin_exports_the_selected_posts_as_a_download(editor_client, site):
    chosen = [site["markdown"], site["html"]]

    response = editor_client.post(
        reverse("admin:blog_post_changelist"),
        {
            "action": "export_wordpress",
            "_selected_action": [post.pk for post in chosen],
        },
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="childrens-services-notes\.wordpress\.'
        r'\d{4}-\d{2}-\d{2}\.xml"',
        response["Content-Disposition"],
    )
    channel = ET.fromstring(b"".join(response.streaming_content)).find("channel")
    assert {item.findtext("title") for item in items(channel, "post").values()} == {
        "Budgets &amp; “cuts” &lt;2025&gt;",
        "Written in HTML",
    }


def test_the_admins_export_imports_back(editor_client, site, tmp_path):
    chosen = [site["markdown"], site["html"]]
    before = {
        slug: state
        for slug, state in snapshot()["posts"].items()
        if slug in ("budgets", "in-html")
    }
    response = editor_client.post(
        reverse("admin:blog_post_changelist"),
        {
            "action": "export_wordpress",
            "_selected_action": [post.pk for post in chosen],
        },
    )
    path = tmp_path / "download.xml"
    path.write_bytes(b"".join(response.streaming_content))
    Post.objects.filter(pk__in=[post.pk for post in chosen]).delete()

    import_file(path)

    after = snapshot()["posts"]
    assert {slug: after[slug] for slug in before} == before


def test_the_pages_list_exports_pages(editor_client, site):
    page = Page.objects.get(slug="team")

    response = editor_client.post(
        reverse("admin:blog_page_changelist"),
        {"action": "export_wordpress", "_selected_action": [page.pk]},
    )

    channel = ET.fromstring(b"".join(response.streaming_content)).find("channel")
    assert [item.findtext(f"{WP}post_name") for item in channel.findall("item")] == [
        "team"
    ]


def test_staff_who_may_only_view_posts_may_export_them(client, site):
    viewer = make_user(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_post"))
    client.force_login(viewer)

    response = client.post(
        reverse("admin:blog_post_changelist"),
        {"action": "export_wordpress", "_selected_action": [site["html"].pk]},
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_staff_who_may_not_view_posts_cannot_export_them(client, site):
    moderator = make_user(is_staff=True)
    moderator.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(moderator)

    response = client.post(
        reverse("admin:blog_post_changelist"),
        {"action": "export_wordpress", "_selected_action": [site["html"].pk]},
    )

    assert response.status_code == 403
