"""
Bringing a WordPress site's posts and pages in from its export
(blog.wordpress.wxr), with their authors (authors.py), categories and tags
(filing.py), images (images.py), and the old addresses that lead to them
(addresses.py). The comments app brings the comments (comments.wordpress),
and its import_wordpress command drives both in one transaction.

Records are matched on what WordPress identifies them by, so that importing
a file again changes nothing and a newer export of the same site updates
what changed: posts and pages on the site and their WordPress id (kept on
the post), categories and tags on their slug, authors on their login, as
WordPress's own importer does.
"""

import re
from html import unescape
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify

from ..models import Page, Post
from ..navigation import navigation_changed
from .addresses import OldAddresses
from .authors import AuthorImport
from .filing import FilingImport
from .formatting import unrendered_shortcodes
from .images import ImageImport
from .media import MediaLibrary
from .wxr import MARKDOWN_SOURCE, decoded_title

STATUSES = {
    "publish": Post.Status.PUBLISHED,
    "future": Post.Status.PUBLISHED,  # dated in the future: scheduled
    "draft": Post.Status.DRAFT,
    "pending": Post.Status.DRAFT,
    "private": Post.Status.DRAFT,
}
# WordPress's own records of menus, templates, styles and the like, which
# have no place here: skipped, and counted.
WORDPRESS_INTERNAL_TYPES = {
    "nav_menu_item", "revision", "custom_css", "customize_changeset",
    "oembed_cache", "user_request", "wp_block", "wp_template",
    "wp_template_part", "wp_global_styles", "wp_navigation", "wp_font_family",
    "wp_font_face", "jp_pay_order", "jp_pay_product", "feedback",
}  # fmt: skip
TITLE_LENGTH = Post._meta.get_field("title").max_length
SLUG_LENGTH = Post._meta.get_field("slug").max_length


class SiteImport:
    def __init__(self, site, *, report, media_dir=None, is_dry_run=False):
        self.site = site
        self.report = report
        self.media = None
        if media_dir:
            self.media = MediaLibrary(media_dir, report=report, is_dry_run=is_dry_run)
        # The site's own path (a blog at example.com/blog/ has "/blog"), which
        # its old addresses start with.
        self.home = unquote(urlsplit(site.base_blog_url or site.link).path).rstrip("/")
        self.authors = AuthorImport(report=report)
        self.old_addresses = OldAddresses(report=report)
        self.filing = FilingImport(
            report=report, home=self.home, old_addresses=self.old_addresses
        )
        self.pages = {}  # WordPress id → page pk
        self.page_parents = {}  # page pk → its parent's WordPress id
        self.page_links = {}  # page pk → its WordPress id and address there
        self.slugs = None  # every post's and page's, once one is needed
        self.skipped_types = {}
        self.images = ImageImport(report=report, media=self.media)

    def add_item(self, item):
        """
        Import a post or page, or note an attachment; returns the post or
        page, or None for an item that is not one.
        """
        if not item.post_type:
            self.report.note(
                "items",
                f"Item {item.wordpress_id} “{decoded_title(item.title)}” has no "
                "<wp:post_type>; skipped.",
            )
            return None
        if item.post_type == "attachment":
            self.images.add_attachment(item)
            return None
        if item.post_type in WORDPRESS_INTERNAL_TYPES:
            self.skipped_types[item.post_type] = (
                self.skipped_types.get(item.post_type, 0) + 1
            )
            self.report.count(item.post_type, "skipped")
            return None
        if item.post_type not in ("post", "page"):
            self.report.note(
                item.post_type,
                f"{item.label}: the site has no “{item.post_type}” content; skipped.",
            )
            return None
        if item.wordpress_id is None:
            self.report.note("items", f"{item.label} has no <wp:post_id>; skipped.")
            return None
        return self.import_post(item)

    def import_post(self, item):
        kind_name = "pages" if item.post_type == "page" else "posts"
        status = self.status_of(item, kind_name)
        if status is None:
            return None
        model = Page if item.post_type == "page" else Post
        post = model.objects.filter(
            wordpress_site=self.site.key, wordpress_id=item.wordpress_id
        ).first()
        is_new = post is None
        if is_new and self.is_other_kind(item, kind_name):
            return None
        if is_new:
            post = model(
                wordpress_site=self.site.key,
                wordpress_id=item.wordpress_id,
                kind=Post.Kind.PAGE if model is Page else Post.Kind.POST,
            )
        before = post_state(post) if not is_new else None
        self.fill_post(post, item, status=status, kind_name=kind_name)
        post.slug = self.unique_slug(post, item, kind_name)
        categories, tags = self.filing_of(item)
        is_saved = is_new or post_state(post) != before
        if is_saved:
            post.save()
        is_refiled = model is Post and self.file_post(
            post, categories, tags, is_new=is_new
        )
        if is_new:
            self.report.count(kind_name, "created")
        else:
            is_changed = is_saved or is_refiled
            self.report.count(kind_name, "updated" if is_changed else "unchanged")
        if model is Post:
            self.old_addresses_of(post, item.wordpress_id, item.link)
        else:
            # Once the pages are in their places, which give their addresses.
            self.page_links[post.pk] = (item.wordpress_id, item.link)
        self.images.add_featured(post, item)
        if model is Page:
            self.pages[item.wordpress_id] = post.pk
            self.page_parents[post.pk] = item.parent_id
        return post

    def is_other_kind(self, item, kind_name):
        """Whether an earlier import made the item a post and it is now a page."""
        earlier = Post.objects.filter(
            wordpress_site=self.site.key, wordpress_id=item.wordpress_id
        )
        if not earlier.exists():
            return False
        earlier_kind = "page" if kind_name == "posts" else "post"
        self.report.note(
            kind_name,
            f"{item.label} was imported as a {earlier_kind} before; left as it was.",
        )
        return True

    def status_of(self, item, kind_name):
        status = STATUSES.get(item.status)
        if status is None:
            if item.status != "auto-draft":  # WordPress's own importer skips them
                self.report.note(
                    kind_name,
                    f"{item.label}: status “{item.status}” is not imported; skipped.",
                )
            else:
                self.report.count(kind_name, "skipped")
            return None
        if item.status == "private":
            self.report.note(
                kind_name, f"{item.label} was private: imported as a draft."
            )
        if item.password and status == Post.Status.PUBLISHED:
            self.report.note(
                kind_name,
                f"{item.label} was protected by a password: imported as a draft.",
            )
            status = Post.Status.DRAFT
        return status

    def fill_post(self, post, item, *, status, kind_name):
        title = decoded_title(item.title).strip()
        if not title:
            words = strip_tags(unescape(item.content)).split()
            title = Truncator(" ".join(words)).words(8, truncate="…") or "Untitled"
            self.report.note(kind_name, f"{item.label} has no title: titled “{title}”.")
        if len(title) > TITLE_LENGTH:
            self.report.note(
                kind_name, f"{item.label}: title cut to {TITLE_LENGTH} characters."
            )
        post.title = title[:TITLE_LENGTH]
        markdown = item.meta.get(MARKDOWN_SOURCE)
        if markdown:
            post.body, post.body_format = markdown, Post.BodyFormat.MARKDOWN
        else:
            post.body, post.body_format = item.content, Post.BodyFormat.HTML
        if self.media:
            post.body = self.media.rewrite(post.body)
        self.images.add_body(post.body)
        post.excerpt = unescape(strip_tags(item.excerpt)).strip()
        post.author = self.authors.account_for(item.creator or "wordpress")
        post.status = status
        post.published_at = item.date or post.published_at or timezone.now()
        post.is_sticky = item.is_sticky
        post.menu_order = item.menu_order
        post.wordpress_url = checked_url(item.link, max_length=500)
        shortcodes = unrendered_shortcodes(item.content)
        if shortcodes:
            self.report.note(
                kind_name,
                f"{item.label} uses shortcodes shown as written: "
                + ", ".join(f"[{name}]" for name in shortcodes)
                + ".",
            )

    def unique_slug(self, post, item, kind_name):
        """
        The item's slug as an address here: its WordPress slug (which may be
        percent-encoded), else one from its title, made unique among posts and
        pages, and for a page, one no other part of the site answers.
        """
        wanted = slugify(unquote(item.slug)) or slugify(post.title)
        wanted = wanted[: SLUG_LENGTH - 8] or f"{item.post_type}-{item.wordpress_id}"
        if post.slug and re.fullmatch(rf"{re.escape(wanted)}(-\d+)?", post.slug):
            return post.slug  # as an earlier import of the post made it
        if self.slugs is None:
            # Every slug at once: a query for each post took 2.2 s of a 1,000
            # post import, as SQLite cannot serve LIKE 'slug%' from an index.
            self.slugs = set(Post.objects.values_list("slug", flat=True))
        number = 1
        while True:
            slug = wanted if number == 1 else f"{wanted}-{number}"
            if slug not in self.slugs and self.is_free_address(post, slug):
                break
            number += 1
        self.slugs.discard(post.slug)
        self.slugs.add(slug)
        if slug != wanted:
            self.report.note(
                kind_name,
                f"{item.label}: the slug “{wanted}” was taken; it is “{slug}”.",
            )
        return slug

    @staticmethod
    def is_free_address(post, slug):
        if not post.is_page:
            return True
        post.slug = slug
        try:
            post.clean_address()
        except ValidationError:
            return False
        return True

    def filing_of(self, item):
        categories, tags = [], []
        for taxonomy, slug, name in item.terms:
            if not slug and not name:
                continue
            slug = slug or slugify(name, allow_unicode=True)
            if taxonomy == "category":
                categories.append(self.filing.category_for(slug, name))
            elif taxonomy == "post_tag":
                tags.append(self.filing.tag_for(slug, name))
        return categories, tags

    def file_post(self, post, categories, tags, *, is_new):
        """
        Put the post in its categories and tags; returns whether they changed
        (blog.signals then raises its version).
        """
        if is_new:
            self.filing.file_new_post(post, categories, tags)
            return False
        category_pks = {category.pk for category in categories}
        tag_pks = {tag.pk for tag in tags}
        same_categories = category_pks == set(
            post.categories.values_list("pk", flat=True)
        )
        same_tags = tag_pks == set(post.tags.values_list("pk", flat=True))
        if same_categories and same_tags:
            return False
        post.categories.set(category_pks)
        post.tags.set(tags)
        return True

    # Old addresses

    def old_addresses_of(self, post, wordpress_id, link):
        query = "page_id" if post.is_page else "p"
        paths = [f"{self.home}/?{query}={wordpress_id}"]
        if link:
            link = urlsplit(link)
            path = unquote(link.path) or "/"
            paths.append(f"{path}?{link.query}" if link.query else path)
        for path in dict.fromkeys(paths):
            self.old_addresses.add(path, post=post)

    def finish(self):
        """
        What needed every record read first: categories' and pages' parents,
        which may come after them, featured images (attachments come after
        the posts they illustrate) and the categories' and tags' old
        addresses.
        """
        self.filing.finish()
        self.place_pages()
        for page in Page.objects.filter(pk__in=self.page_links):
            self.old_addresses_of(page, *self.page_links[page.pk])
        self.images.finish()
        self.old_addresses.save()
        # The footer lists posts, categories and tags, which new posts joined
        # without a signal.
        navigation_changed()
        for post_type, count in self.skipped_types.items():
            self.report.messages.append(
                f"{count} {post_type} item(s) are WordPress's own records "
                "(menus, templates, styles): skipped."
            )

    def place_pages(self):
        """Give each page its parent, parents first, so addresses are right."""
        pages = Page.objects.in_bulk(self.page_parents)
        placed = set()

        def place(pk, seen=()):
            if pk in placed or pk in seen:
                return
            page = pages[pk]
            parent_pk = self.pages.get(self.page_parents[pk])
            if self.page_parents[pk] and parent_pk is None:
                self.report.note(
                    "pages",
                    f"Page {page.wordpress_id} “{page.title}”: its parent "
                    f"{self.page_parents[pk]} is not in the file; left at the top.",
                )
            if parent_pk is not None and parent_pk in pages:
                place(parent_pk, (*seen, pk))
            if parent_pk in seen:
                parent_pk = None
            placed.add(pk)
            if page.parent_id != parent_pk:
                page.parent = pages.get(parent_pk)
                page.save()

        for pk in pages:
            place(pk)


def post_state(post):
    """The fields an import sets, to tell whether a post changed."""
    return (
        post.title, post.slug, post.body, post.body_format, post.excerpt,
        post.author_id, post.status, post.published_at, post.is_sticky,
        post.menu_order, post.wordpress_url, post.parent_id, post.featured_image_url,
        post.featured_image_alt, post.featured_image_caption,
        post.featured_image_width, post.featured_image_height,
        post.featured_image.name,
    )  # fmt: skip


def checked_url(url, *, max_length):
    """The address, if it is a web address that fits in `max_length`; else ""."""
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return ""
    return url if len(url) <= max_length else ""
