"""
Writing the site's posts and pages as a WordPress eXtended RSS file (WXR
1.2): what WordPress's importer (Tools → Import → WordPress) reads, and what
import_wordpress reads back to the same content.

The file is written piece by piece, the posts read BATCH_SIZE at a time in
the order of their ids and each batch's comments streamed, so that writing
a site needs the memory of one batch, not of the site.

Blog never imports comments: whether a post takes them, and the comments
themselves, come from the callables the comments app passes in
(comments.wordpress.exporting).
"""

from collections import Counter
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import django
from django.contrib.auth import get_user_model
from django.db.models import Max
from django.utils.text import slugify
from taggit.models import Tag

from ..addresses import absolute
from ..models import DISCUSSION, Category, Post
from .elements import (
    as_html,
    comment_element,
    element,
    header,
    item_element,
    text_element,
    wordpress_slug,
)
from .wxr import MARKDOWN_SOURCE

BATCH_SIZE = 100
STATUSES = {Post.Status.DRAFT: "draft", Post.Status.PUBLISHED: "publish"}
GENERATOR = f"Django/{django.get_version()}"


def write(file, posts, *, comment_status=None, comments=None):
    """
    Write `posts` (a queryset of posts and pages) to the text file `file` as
    WXR, with their authors, every category, the tags they use and their
    featured images; returns a Counter of what was written ("posts",
    "pages", "comments", "authors", "categories", "tags", "images").

    comment_status(post) gives "open" or "closed" (else: closed). comments
    (posts) is given each batch of posts, in the order of their ids, and
    yields (post id, wxr.Comment) for their comments in that same order, each
    post's in thread order; a record's content is the comment's HTML.
    """
    return Writer(file, comment_status, comments).write(posts)


class Writer:
    def __init__(self, file, comment_status, comments):
        self.file = file
        self.comment_status = comment_status or (lambda post: "closed")
        self.comments = comments or (lambda posts: ())
        self.counts = Counter()

    def write(self, posts):
        # Featured images are numbered above every post id, and posts added
        # while the file is written are left out, so that no number is both.
        self.highest_pk = Post.objects.aggregate(Max("pk"))["pk__max"] or 0
        posts = posts.filter(pk__lte=self.highest_pk)
        self.file.write(header())
        self.write_authors(posts)
        self.write_categories()
        self.write_tags(posts)
        self.file.write(f"\t{element('generator', GENERATOR)}\n\n")
        self.write_items(posts)
        self.file.write("</channel>\n</rss>\n")
        return self.counts

    def write_authors(self, posts):
        authors = get_user_model().objects.filter(pk__in=posts.values("author_id"))
        for author in authors.order_by("pk"):
            self.file.write(
                "\t<wp:author>"
                + element("wp:author_id", author.pk)
                + text_element("wp:author_login", author.username)
                + text_element("wp:author_email", author.email)
                + text_element("wp:author_display_name", as_html(author.public_name))
                + text_element("wp:author_first_name", as_html(author.first_name))
                + text_element("wp:author_last_name", as_html(author.last_name))
                + "</wp:author>\n"
            )
            self.counts["authors"] += 1

    def write_categories(self):
        """Every category, each after its parent, as WordPress's importer needs."""
        categories = list(Category.objects.order_by("name", "pk"))
        slugs = {category.pk: category.slug for category in categories}
        for category in parents_first(categories):
            self.file.write(
                "\t<wp:category>"
                + element("wp:term_id", category.pk)
                + text_element("wp:category_nicename", wordpress_slug(category.slug))
                + text_element(
                    "wp:category_parent",
                    wordpress_slug(slugs.get(category.parent_id, "")),
                )
                + text_element("wp:cat_name", as_html(category.name))
                + text_element("wp:category_description", as_html(category.description))
                + "</wp:category>\n"
            )
            self.counts["categories"] += 1

    def write_tags(self, posts):
        # WordPress keeps categories and tags in one table: term ids unique.
        self.tag_offset = Category.objects.aggregate(Max("pk"))["pk__max"] or 0
        tags = Tag.objects.filter(post__in=posts).distinct().order_by("pk")
        for tag in tags:
            self.file.write(
                "\t<wp:tag>"
                + element("wp:term_id", self.tag_offset + tag.pk)
                + text_element("wp:tag_slug", wordpress_slug(tag.slug))
                + text_element("wp:tag_name", as_html(tag.name))
                + "</wp:tag>\n"
            )
            self.counts["tags"] += 1

    def write_items(self, posts):
        # With the comments app's row for each post, which comment_status()
        # reads (blog.models.posts.DISCUSSION).
        posts = (
            posts.select_related("author", "parent", DISCUSSION)
            .prefetch_related("categories", "tags")
            .order_by("pk")
        )
        last_pk = 0
        while batch := list(posts.filter(pk__gt=last_pk)[:BATCH_SIZE]):
            records = iter(self.comments(batch))
            try:
                self.write_batch(batch, records)
            finally:
                # Its query's cursor closed now, not once the database is,
                # when a write fails (a full disk).
                if hasattr(records, "close"):
                    records.close()
            last_pk = batch[-1].pk

    def write_batch(self, posts, records):
        record = next(records, None)
        for post in posts:
            self.file.write(self.item(post))
            while record is not None and record[0] == post.pk:
                self.file.write(comment_element(record[1]))
                self.counts["comments"] += 1
                record = next(records, None)
            self.file.write("\t</item>\n")
            self.counts["pages" if post.is_page else "posts"] += 1
            self.write_featured_image(post)
        if record is not None:
            raise ValueError(
                f"comments() gave a comment on post {record[0]} out of order."
            )

    def item(self, post):
        """The post's <item>, up to its comments."""
        if post.body_format == Post.BodyFormat.MARKDOWN:
            content, meta = post.body_html, {MARKDOWN_SOURCE: post.body}
        else:
            content, meta = post.body, {}
        if post.featured_picture is not None:
            meta["_thumbnail_id"] = str(self.image_id(post))
        status = "future" if post.is_scheduled else STATUSES[post.status]
        terms = []
        if not post.is_page:  # pages are filed nowhere, here as at WordPress
            categories = post.categories.all()
            terms += [("category", term.slug, term.name) for term in categories]
            terms += [("post_tag", term.slug, term.name) for term in post.tags.all()]
        return item_element(
            post,
            title=post.title,
            link=absolute(post.get_absolute_url()),
            guid=absolute(f"/?p={post.pk}"),
            content=content,
            excerpt=as_html(post.excerpt),
            post_id=post.pk,
            fields=[
                ("wp:comment_status", self.comment_status(post)),
                ("wp:ping_status", "closed"),
                ("wp:post_name", wordpress_slug(post.slug)),
                ("wp:status", status),
                ("wp:post_parent", post.parent_id or 0),
                ("wp:menu_order", post.menu_order),
                ("wp:post_type", "page" if post.is_page else "post"),
                ("wp:post_password", ""),
                ("wp:is_sticky", int(post.is_sticky)),
            ],
            terms=terms,
            meta=meta,
        )

    def image_id(self, post):
        return self.highest_pk + post.pk

    def write_featured_image(self, post):
        """
        The featured image as an attachment of the post: the picture readers
        see (the largest rendition of an upload, without its EXIF), which
        WordPress's importer fetches.
        """
        picture = post.featured_picture
        if picture is None:
            return
        url = absolute(picture.src)
        name = PurePosixPath(urlsplit(url).path).stem
        meta = {"_wp_attachment_image_alt": post.featured_image_alt}
        if picture.width and picture.height:
            meta["_wp_attachment_metadata"] = (
                f'a:2:{{s:5:"width";i:{picture.width};'
                f's:6:"height";i:{picture.height};}}'
            )
        self.file.write(
            item_element(
                post,
                title=post.featured_image_alt or name,
                link=url,
                guid=url,
                content="",
                excerpt=as_html(post.featured_image_caption),
                post_id=self.image_id(post),
                fields=[
                    ("wp:comment_status", "closed"),
                    ("wp:ping_status", "closed"),
                    ("wp:post_name", slugify(name)),
                    ("wp:status", "inherit"),
                    ("wp:post_parent", post.pk),
                    ("wp:menu_order", 0),
                    ("wp:post_type", "attachment"),
                    ("wp:post_password", ""),
                    ("wp:is_sticky", 0),
                    ("wp:attachment_url", url),
                ],
                terms=[],
                meta=meta,
            )
            + "\t</item>\n"
        )
        self.counts["images"] += 1


def parents_first(categories):
    """The categories, each after its parent; any in a loop of parents last."""
    children = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    ordered, seen = [], set()
    stack = list(reversed(children.get(None, [])))
    while stack:
        category = stack.pop()
        if category.pk in seen:
            continue
        seen.add(category.pk)
        ordered.append(category)
        stack.extend(reversed(children.get(category.pk, [])))
    return ordered + [category for category in categories if category.pk not in seen]
