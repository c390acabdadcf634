"""
A generated WordPress export for the import benchmark (bench.importing): a
WXR 1.2 file as WordPress 6 writes it (Tools → Export), with authors, a
hierarchy of categories, tags, posts in block-editor HTML with their post
meta and comment threads, a few drafts, pages under pages, and featured
images.

Each post's thread has the shape of generate_thread() (bench.data), seeded
with the post's number; or, given a thread from the comparison script
thread.py, every post carries that one, so that figures compare across
systems. Comment ids are unique across the file, as WordPress's are.

The file is written item by item, so writing it takes the memory of one
post and its thread, however many posts there are.
"""

import datetime
import itertools
import random
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from .data import THREAD_WORDS, generate_thread

SITE = "https://bench.example.org"
FIRST_POST_AT = datetime.datetime(2015, 1, 1, 9, 0)
POST_INTERVAL = datetime.timedelta(hours=8)
# The site's clock, an hour ahead of GMT: WordPress writes both dates.
LOCAL_OFFSET = datetime.timedelta(hours=1)
EMPTY_DATE = "0000-00-00 00:00:00"
BLOCK = "<!-- wp:{name} -->\n{html}\n<!-- /wp:{name} -->"
AUTHORS = ["editor", "alice", "bob", "carol", "dan"]
TOP_CATEGORIES = ["News", "Council", "Schools", "Services", "Opinion"]
SUBCATEGORIES = ["budget", "staff", "review"]  # under each top category
TAGS = 50
# One item in so many: a draft, a page, a post with a featured image, a
# post whose comments are closed, a sticky post; a comment held for
# moderation, one by the post's author, one with a link.
DRAFT_EVERY = 100
PAGE_EVERY = 50
IMAGE_EVERY = 10
CLOSED_EVERY = 50
STICKY_EVERY = 400
PENDING_EVERY = 100
BY_AUTHOR_EVERY = 25
LINK_EVERY = 20
ITEM_DEFAULTS = {
    "author": AUTHORS[0], "content": "", "excerpt": "", "status": "publish",
    "comment_status": "open", "parent_id": 0, "menu_order": 0, "is_sticky": False,
    "attachment_url": "", "filing": "", "meta": {}, "comments": "",
}  # fmt: skip


@dataclass
class Contents:
    """What a generated export holds."""

    posts: int = 0
    drafts: int = 0
    pages: int = 0
    images: int = 0
    comments: int = 0
    pending_comments: int = 0
    authors: int = len(AUTHORS)
    categories: int = len(TOP_CATEGORIES) * (1 + len(SUBCATEGORIES))
    tags: int = TAGS


def write_export(path, *, posts, comments, thread=None):
    """
    Write an export of `posts` posts to `path` and return its Contents. The
    posts carry `comments` comments in threads of generate_thread()'s shape,
    spread as evenly as they go; or, with `thread` (rows in thread.py's
    format), each post carries that thread and `comments` is not used.
    """
    writer = ExportWriter(thread)
    with open(path, "w", encoding="utf-8", newline="\n") as file:
        writer.write(file, posts=posts, comments=comments)
    return writer.contents


def cdata(value):
    """A value as WordPress's wxr_cdata() writes it."""
    return "<![CDATA[" + str(value).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def wp(name, value, *, tabs=2):
    """A line <wp:name><![CDATA[value]]></wp:name>, indented by `tabs`."""
    return "\t" * tabs + f"<wp:{name}>{cdata(value)}</wp:{name}>\n"


class ExportWriter:
    def __init__(self, thread=None):
        self.thread = thread
        self.contents = Contents()
        self.item_ids = itertools.count(1)
        self.comment_ids = itertools.count(1)
        self.page_ids = {}  # page number → WordPress id
        self.categories = category_tree()
        pairs = itertools.permutations(THREAD_WORDS, 2)
        self.tags = [(f"{a}-{b}", f"{a} {b}") for a, b in pairs][:TAGS]

    def write(self, file, *, posts, comments):
        file.write(self.channel_head())
        # Comments over posts as evenly as they go, the first posts one more.
        each, extra = divmod(comments, posts)
        sizes = [each + (number < extra) for number in range(posts)]
        for number, size in enumerate(sizes, 1):
            file.write(self.post(number, size))
            if number % PAGE_EVERY == 0:
                file.write(self.page(number // PAGE_EVERY))
        file.write("</channel>\n</rss>\n")

    def channel_head(self):
        authors = "".join(
            f"\t<wp:author><wp:author_id>{number}</wp:author_id>"
            + "".join(
                f"<wp:author_{key}>{cdata(value)}</wp:author_{key}>"
                for key, value in [
                    ("login", login),
                    ("email", f"{login}@bench.example.org"),
                    ("display_name", login.capitalize()),
                    ("first_name", login.capitalize()),
                    ("last_name", ""),
                ]
            )
            + "</wp:author>\n"
            for number, login in enumerate(AUTHORS, 1)
        )
        categories = "".join(
            f"\t<wp:category>\n\t\t<wp:term_id>{term_id}</wp:term_id>\n"
            + wp("category_nicename", slug)
            + wp("category_parent", parent)
            + wp("cat_name", name)
            + (wp("category_description", f"All about {name}.") if not parent else "")
            + "\t</wp:category>\n"
            for term_id, (slug, name, parent) in enumerate(self.categories, 1)
        )
        tags = "".join(
            f"\t<wp:tag>\n\t\t<wp:term_id>{term_id}</wp:term_id>\n"
            + wp("tag_slug", slug)
            + wp("tag_name", name)
            + "\t</wp:tag>\n"
            for term_id, (slug, name) in enumerate(self.tags, len(self.categories) + 1)
        )
        return f"""<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->
<!-- generator="WordPress/6.4.2" created="2016-03-01 10:00" -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>

<channel>
	<title>The Benchmark Gazette</title>
	<link>{SITE}</link>
	<description>Local services, reported</description>
	<pubDate>Tue, 01 Mar 2016 10:00:00 +0000</pubDate>
	<language>en-GB</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>{SITE}</wp:base_site_url>
	<wp:base_blog_url>{SITE}</wp:base_blog_url>

{authors}{categories}{tags}
	<generator>https://wordpress.org/?v=6.4.2</generator>

"""  # noqa: E501 (the line WordPress writes)

    def post(self, number, size):
        rnd = random.Random(f"post {number}")
        wordpress_id = next(self.item_ids)
        published_at = FIRST_POST_AT + POST_INTERVAL * number
        words = rnd.sample(THREAD_WORDS, 3)
        # Titles are stored with their entities encoded, as WordPress does.
        joiner = " &amp; " if number % 7 == 0 else " "
        title = f"{words[0].capitalize()}{joiner}{' '.join(words[1:])}, part {number}"
        slug = "-".join([*words, "part", str(number)])
        is_draft = number % DRAFT_EVERY == 0
        # A featured image is uploaded with its post: the next item.
        image_id = wordpress_id + 1 if number % IMAGE_EVERY == 0 else None
        filing = [
            f'\t\t<category domain="category" nicename={quoteattr(slug)}>'
            f"{cdata(name)}</category>\n"
            for slug, name, _ in rnd.sample(self.categories, rnd.randint(1, 2))
        ] + [
            f'\t\t<category domain="post_tag" nicename={quoteattr(slug)}>'
            f"{cdata(name)}</category>\n"
            for slug, name in rnd.sample(self.tags, rnd.randint(2, 3))
        ]
        author_id = number % len(AUTHORS) + 1
        meta = {"_edit_last": author_id, "footnotes": ""}
        if image_id:
            meta["_thumbnail_id"] = image_id
        item = item_xml(
            wordpress_id=wordpress_id,
            title=title,
            slug="" if is_draft else slug,
            author=AUTHORS[author_id - 1],
            published_at=published_at,
            content=post_html(rnd),
            status="draft" if is_draft else "publish",
            post_type="post",
            comment_status="closed" if number % CLOSED_EVERY == 0 else "open",
            is_sticky=number % STICKY_EVERY == 0,
            filing="".join(filing),
            meta=meta,
            comments=self.comments(number, size, published_at, author_id),
        )
        self.contents.posts += 1
        self.contents.drafts += is_draft
        if image_id:
            item += self.image(number, image_id, wordpress_id, published_at)
        return item

    def page(self, number):
        rnd = random.Random(f"page {number}")
        wordpress_id = next(self.item_ids)
        # Pages in fours: the first at the top, the other three under it.
        group_first = number - (number - 1) % 4
        parent_id = self.page_ids[group_first] if number != group_first else 0
        self.page_ids[number] = wordpress_id
        words = rnd.sample(THREAD_WORDS, 2)
        self.contents.pages += 1
        return item_xml(
            wordpress_id=wordpress_id,
            title=f"{' '.join(words).capitalize()} page {number}",
            slug="-".join([*words, "page", str(number)]),
            published_at=FIRST_POST_AT + POST_INTERVAL * number * PAGE_EVERY,
            content=post_html(rnd, paragraphs=2),
            post_type="page",
            comment_status="closed",
            parent_id=parent_id,
            menu_order=number,
            meta={"_edit_last": 1, "_wp_page_template": "default"},
        )

    def image(self, number, wordpress_id, post_id, published_at):
        next(self.item_ids)
        self.contents.images += 1
        file_name = f"{published_at:%Y/%m}/photo-{number}.jpg"
        metadata = (
            f'a:3:{{s:5:"width";i:1200;s:6:"height";i:800;'
            f's:4:"file";s:{len(file_name)}:"{file_name}";}}'
        )
        return item_xml(
            wordpress_id=wordpress_id,
            title=f"photo-{number}",
            slug=f"photo-{number}",
            published_at=published_at,
            excerpt=f"Photo for part {number}",
            status="inherit",
            post_type="attachment",
            parent_id=post_id,
            attachment_url=f"{SITE}/wp-content/uploads/{file_name}",
            meta={
                "_wp_attached_file": file_name,
                "_wp_attachment_metadata": metadata,
                "_wp_attachment_image_alt": f"Photo for part {number}",
            },
        )

    def comments(self, number, size, published_at, author_id):
        """The post's thread as <wp:comment> elements, dated after the post."""
        rows = self.thread or generate_thread(size, seed=number)
        ids = {None: 0}
        parts = []
        for row in rows:
            comment_id = ids[row["id"]] = next(self.comment_ids)
            # The thread's own timing, from an hour after the post.
            created_at = published_at + datetime.timedelta(hours=1)
            created_at += thread_moment(row) - thread_moment(rows[0])
            by = author_id if comment_id % BY_AUTHOR_EVERY == 0 else 0
            self.contents.pending_comments += comment_id % PENDING_EVERY == 0
            parts.append(
                comment_xml(comment_id, ids[row["parent"]], row, created_at, by)
            )
        self.contents.comments += len(rows)
        return "".join(parts)


def item_xml(*, wordpress_id, published_at, slug, **fields):
    """An <item>: ITEM_DEFAULTS, with the fields given."""
    item = {**ITEM_DEFAULTS, **fields}
    local = f"{published_at + LOCAL_OFFSET:%Y-%m-%d %H:%M:%S}"
    # WordPress gives a draft no GMT date, and no address but its id.
    gmt = f"{published_at:%Y-%m-%d %H:%M:%S}"
    gmt = EMPTY_DATE if item["status"] == "draft" else gmt
    link = f"{SITE}/{published_at:%Y/%m/%d}/{slug}/" if slug else ""
    link = link or f"{SITE}/?p={wordpress_id}"
    if item["post_type"] == "page":
        link = f"{SITE}/{slug}/"
    if item["attachment_url"]:
        item["filing"] += wp("attachment_url", item["attachment_url"])
    postmeta = "".join(
        "\t\t<wp:postmeta>\n"
        + wp("meta_key", key, tabs=3)
        + wp("meta_value", value, tabs=3)
        + "\t\t</wp:postmeta>\n"
        for key, value in item["meta"].items()
    )
    return f"""	<item>
		<title>{cdata(item["title"])}</title>
		<link>{escape(link)}</link>
		<pubDate>{published_at:%a, %d %b %Y %H:%M:%S} +0000</pubDate>
		<dc:creator>{cdata(item["author"])}</dc:creator>
		<guid isPermaLink="false">{SITE}/?p={wordpress_id}</guid>
		<description></description>
		<content:encoded>{cdata(item["content"])}</content:encoded>
		<excerpt:encoded>{cdata(item["excerpt"])}</excerpt:encoded>
		<wp:post_id>{wordpress_id}</wp:post_id>
		<wp:post_date>{cdata(local)}</wp:post_date>
		<wp:post_date_gmt>{cdata(gmt)}</wp:post_date_gmt>
		<wp:post_modified>{cdata(local)}</wp:post_modified>
		<wp:post_modified_gmt>{cdata(gmt)}</wp:post_modified_gmt>
		<wp:comment_status>{cdata(item["comment_status"])}</wp:comment_status>
		<wp:ping_status>{cdata("open")}</wp:ping_status>
		<wp:post_name>{cdata(slug)}</wp:post_name>
		<wp:status>{cdata(item["status"])}</wp:status>
		<wp:post_parent>{item["parent_id"]}</wp:post_parent>
		<wp:menu_order>{item["menu_order"]}</wp:menu_order>
		<wp:post_type>{cdata(item["post_type"])}</wp:post_type>
		<wp:post_password>{cdata("")}</wp:post_password>
		<wp:is_sticky>{int(item["is_sticky"])}</wp:is_sticky>
{item["filing"]}{postmeta}{item["comments"]}	</item>
"""


def comment_xml(comment_id, parent_id, row, created_at, author_id):
    if author_id:
        login = AUTHORS[author_id - 1]
        name, email, url = login.capitalize(), f"{login}@bench.example.org", SITE
    else:
        name, email = row["author"], row["email"]
        url = f"https://{email.split('@')[0]}.example.net/" if comment_id % 5 else ""
    body = row["body"]
    if comment_id % LINK_EVERY == 0:
        body += f' See <a href="{SITE}/report-{comment_id}/">the report</a>.'
    local = f"{created_at + LOCAL_OFFSET:%Y-%m-%d %H:%M:%S}"
    gmt = f"{created_at:%Y-%m-%d %H:%M:%S}"
    address = f"198.51.100.{comment_id % 250 + 1}"
    status = "0" if comment_id % PENDING_EVERY == 0 else "1"
    return f"""		<wp:comment>
			<wp:comment_id>{comment_id}</wp:comment_id>
			<wp:comment_author>{cdata(name)}</wp:comment_author>
			<wp:comment_author_email>{cdata(email)}</wp:comment_author_email>
			<wp:comment_author_url>{escape(url)}</wp:comment_author_url>
			<wp:comment_author_IP>{cdata(address)}</wp:comment_author_IP>
			<wp:comment_date>{cdata(local)}</wp:comment_date>
			<wp:comment_date_gmt>{cdata(gmt)}</wp:comment_date_gmt>
			<wp:comment_content>{cdata(body)}</wp:comment_content>
			<wp:comment_approved>{cdata(status)}</wp:comment_approved>
			<wp:comment_type>{cdata("comment")}</wp:comment_type>
			<wp:comment_parent>{parent_id}</wp:comment_parent>
			<wp:comment_user_id>{author_id}</wp:comment_user_id>
			<wp:commentmeta>
				<wp:meta_key>{cdata("akismet_result")}</wp:meta_key>
				<wp:meta_value>{cdata("false")}</wp:meta_value>
			</wp:commentmeta>
		</wp:comment>
"""


def thread_moment(row):
    """A thread row's time, naive UTC, whether the file gave a zone or not."""
    moment = datetime.datetime.fromisoformat(row["created"])
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    return moment


def category_tree():
    """(slug, name, parent slug) of each category, parents first."""
    tree = []
    for top in TOP_CATEGORIES:
        tree.append((top.lower(), top, ""))
        tree.extend(
            (f"{top.lower()}-{sub}", f"{top}: {sub}", top.lower())
            for sub in SUBCATEGORIES
        )
    return tree


def post_html(rnd, paragraphs=None):
    """A body of a few paragraphs as WordPress's block editor saves it."""
    blocks = []
    for number in range(paragraphs or rnd.randint(3, 5)):
        words = [rnd.choice(THREAD_WORDS) for _ in range(rnd.randint(40, 90))]
        text = " ".join(words).capitalize()
        text = text.replace(" council ", " <em>council</em> ", 1)
        blocks.append(BLOCK.format(name="paragraph", html=f"<p>{text}.</p>"))
        if number == 1:
            heading = " ".join(rnd.sample(THREAD_WORDS, 3)).capitalize()
            html = f'<h2 class="wp-block-heading">{heading}</h2>'
            blocks.append(BLOCK.format(name="heading", html=html))
    items = "".join(f"<li>{word}</li>" for word in rnd.sample(THREAD_WORDS, 3))
    blocks.append(BLOCK.format(name="list", html=f"<ul>{items}</ul>"))
    return "\n\n".join(blocks)
