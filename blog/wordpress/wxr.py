"""
Reading a WordPress eXtended RSS file (Tools → Export; WXR 1.0 to 1.2, from
WordPress.org and WordPress.com) one record at a time.

The file is parsed incrementally and each <item> is dropped once read, so a
500 MB export needs the memory of its largest post, not of the file. The
parser is defusedxml's: a DOCTYPE is allowed (some exporters write one), but
an entity declaration is refused, so no external entity is ever fetched and
no "billion laughs" expands.
"""

import codecs
import datetime
import re
from dataclasses import dataclass, field
from html import unescape
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
WORDPRESS_NAMESPACE = "http://wordpress.org/export/"
EMPTY_DATE = "0000-00-00 00:00:00"
# Control characters other than tab and newlines, which XML 1.0 forbids.
FORBIDDEN_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# The post meta in which an export from here keeps a Markdown post's source,
# beside the HTML WordPress shows, so that importing it back restores it.
MARKDOWN_SOURCE = "_markdown_source"
KEPT_AS_WRITTEN = {"content:encoded", "excerpt:encoded"}


class WXRError(Exception):
    """The file cannot be read as WXR; the message says where and why."""


class CleanedSource:
    """
    A WXR file's bytes as the XML parser can take them: WordPress writes
    exports from whatever its database holds, and real ones carry control
    characters pasted in from word processors (which XML 1.0 forbids) and
    bytes that are not UTF-8. Expat would stop at the first; WordPress's own
    importer then falls back to reading with regular expressions. Here they
    are removed, and replaced by U+FFFD, and counted for the report.
    """

    def __init__(self, file):
        self.file = file
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.removed = 0  # characters XML does not allow
        self.replaced = 0  # bytes that were not UTF-8

    def read(self, size=-1):
        raw = self.file.read(size)
        text = self.decoder.decode(raw, final=not raw)
        self.replaced += text.count("\ufffd") - raw.count(b"\xef\xbf\xbd")
        cleaned = FORBIDDEN_IN_XML.sub("", text)
        self.removed += len(text) - len(cleaned)
        return cleaned.encode()

    def tell(self):
        return self.file.tell()


@dataclass
class Site:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""

    @property
    def key(self):
        """
        What names the site across exports: its address without the scheme,
        which a move to https does not change.
        """
        address = self.base_blog_url or self.base_site_url or self.link
        return address.split("://", 1)[-1].rstrip("/").lower()


@dataclass
class Author:
    wordpress_id: int | None
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class Term:
    """A category, a tag, or a term of another taxonomy."""

    taxonomy: str
    slug: str
    name: str
    wordpress_id: int | None = None
    parent_slug: str = ""
    description: str = ""


@dataclass
class Comment:
    wordpress_id: int | None
    parent_id: int | None
    author: str = ""
    email: str = ""
    url: str = ""
    ip_address: str = ""
    date: datetime.datetime | None = None
    content: str = ""
    approved: str = "1"
    type: str = ""
    user_id: int | None = None


@dataclass
class Item:
    """A post, page, attachment or other post type, with its comments."""

    wordpress_id: int | None
    post_type: str
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    date: datetime.datetime | None = None
    slug: str = ""
    status: str = ""
    parent_id: int | None = None
    menu_order: int = 0
    password: str = ""
    is_sticky: bool = False
    comment_status: str = "open"
    attachment_url: str = ""
    # (taxonomy, slug, name) of each category, tag or term the item is in.
    terms: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)

    @property
    def label(self):
        """The item as messages name it: its id and title."""
        title = decoded_title(self.title).strip() or "(no title)"
        return f"{self.post_type} {self.wordpress_id} “{title}”"


def read(source):
    """
    Yield the records of a WXR file (a path or a binary file object): the
    Site first, then Authors, Terms and Items in the file's order. Raises
    WXRError for a file that is not WXR or not well-formed XML.
    """
    site, is_site_given, depth = Site(), False, 0
    channel = None
    try:
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                depth += 1
                if depth == 1 and local_name(element.tag) != "rss":
                    raise WXRError(
                        f"This is not a WordPress export: its root element is "
                        f"<{local_name(element.tag)}>, not <rss>."
                    )
                if depth == 2 and local_name(element.tag) == "channel":
                    channel = element
                continue
            depth -= 1
            if depth != 2 or channel is None:
                continue
            name = prefixed_name(element.tag)
            if name in ("title", "link", "wp:base_site_url", "wp:base_blog_url"):
                setattr(site, name.removeprefix("wp:"), text(element))
            elif name == "wp:wxr_version":
                site.wxr_version = text(element)
            else:
                record = channel_record(name, element)
                if record is not None:
                    if not is_site_given:
                        check_site(site)
                        is_site_given = True
                        yield site
                    yield record
                # What has been read is dropped, to keep memory flat.
                channel.clear()
    except ParseError as error:
        line, column = error.position
        raise WXRError(
            f"The file is not well-formed XML at line {line}, column {column}: "
            f"{str(error).split(':')[0]}."
        ) from None
    except DefusedXmlException as error:
        raise WXRError(
            f"The file declares XML entities, which are refused for safety: {error}."
        ) from None
    if not is_site_given:
        check_site(site)
        yield site


def check_site(site):
    if not site.wxr_version:
        raise WXRError(
            "This is not a WordPress export: its channel has no <wp:wxr_version>."
        )


def channel_record(name, element):
    if name == "wp:author":
        return Author(
            wordpress_id=integer(child_text(element, "wp:author_id")),
            login=child_text(element, "wp:author_login"),
            email=child_text(element, "wp:author_email"),
            display_name=child_text(element, "wp:author_display_name"),
            first_name=child_text(element, "wp:author_first_name"),
            last_name=child_text(element, "wp:author_last_name"),
        )
    if name == "wp:category":
        return Term(
            taxonomy="category",
            slug=child_text(element, "wp:category_nicename"),
            name=child_text(element, "wp:cat_name"),
            wordpress_id=integer(child_text(element, "wp:term_id")),
            parent_slug=child_text(element, "wp:category_parent"),
            description=child_text(element, "wp:category_description"),
        )
    if name == "wp:tag":
        return Term(
            taxonomy="post_tag",
            slug=child_text(element, "wp:tag_slug"),
            name=child_text(element, "wp:tag_name"),
            wordpress_id=integer(child_text(element, "wp:term_id")),
            description=child_text(element, "wp:tag_description"),
        )
    if name == "wp:term":
        return Term(
            taxonomy=child_text(element, "wp:term_taxonomy"),
            slug=child_text(element, "wp:term_slug"),
            name=child_text(element, "wp:term_name"),
            wordpress_id=integer(child_text(element, "wp:term_id")),
            parent_slug=child_text(element, "wp:term_parent"),
            description=child_text(element, "wp:term_description"),
        )
    if name == "item":
        return item_record(element)
    return None


def item_record(element):
    fields = {}
    terms, meta, comments = [], {}, []
    for child in element:
        name = prefixed_name(child.tag)
        if name == "category":
            taxonomy = child.get("domain", "category")
            terms.append((taxonomy, child.get("nicename", ""), text(child)))
        elif name == "wp:postmeta":
            meta[child_text(child, "wp:meta_key")] = child_text(
                child, "wp:meta_value", strip=False
            )
        elif name == "wp:comment":
            comments.append(comment_record(child))
        else:
            # Bodies are kept to the last space, as their writers left them.
            fields[name] = text(child, strip=name not in KEPT_AS_WRITTEN)
    return Item(
        wordpress_id=integer(fields.get("wp:post_id")),
        post_type=fields.get("wp:post_type", ""),
        title=fields.get("title", ""),
        link=fields.get("link", ""),
        guid=fields.get("guid", ""),
        creator=fields.get("dc:creator", ""),
        content=fields.get("content:encoded", ""),
        excerpt=fields.get("excerpt:encoded", ""),
        date=date_of(fields.get("wp:post_date_gmt"), fields.get("wp:post_date")),
        slug=fields.get("wp:post_name", ""),
        status=fields.get("wp:status", ""),
        parent_id=integer(fields.get("wp:post_parent")) or None,
        menu_order=integer(fields.get("wp:menu_order")) or 0,
        password=fields.get("wp:post_password", ""),
        is_sticky=fields.get("wp:is_sticky", "0") == "1",
        comment_status=fields.get("wp:comment_status", "open"),
        attachment_url=fields.get("wp:attachment_url", ""),
        terms=terms,
        meta=meta,
        comments=comments,
    )


def comment_record(element):
    fields = {prefixed_name(child.tag): text(child) for child in element}
    return Comment(
        wordpress_id=integer(fields.get("wp:comment_id")),
        parent_id=integer(fields.get("wp:comment_parent")) or None,
        author=fields.get("wp:comment_author", ""),
        email=fields.get("wp:comment_author_email", ""),
        url=fields.get("wp:comment_author_url", ""),
        ip_address=fields.get("wp:comment_author_IP", ""),
        date=date_of(fields.get("wp:comment_date_gmt"), fields.get("wp:comment_date")),
        content=fields.get("wp:comment_content", ""),
        approved=fields.get("wp:comment_approved", "1"),
        type=fields.get("wp:comment_type", ""),
        user_id=integer(fields.get("wp:comment_user_id")) or None,
    )


def local_name(tag):
    return tag.rsplit("}", 1)[-1]


def prefixed_name(tag):
    """'{http://wordpress.org/export/1.2/}post_id' as 'wp:post_id'."""
    if not tag.startswith("{"):
        return tag
    namespace, name = tag[1:].split("}", 1)
    if namespace.startswith(WORDPRESS_NAMESPACE):
        prefix = "excerpt" if namespace.endswith("/excerpt/") else "wp"
        return f"{prefix}:{name}"
    prefix = NAMESPACES.get(namespace)
    return f"{prefix}:{name}" if prefix else name


def text(element, *, strip=True):
    return (element.text or "").strip() if strip else element.text or ""


def child_text(element, name, *, strip=True):
    for child in element:
        if prefixed_name(child.tag) == name:
            return text(child, strip=strip)
    return ""


def integer(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def date_of(gmt, local):
    """
    A record's date, from its GMT field. Drafts have none ("0000-00-00
    00:00:00"); their local date stands in, read as UTC, as the file does not
    say the site's time zone.
    """
    for value in (gmt, local):
        if not value or value == EMPTY_DATE:
            continue
        try:
            return datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)
        except ValueError:
            continue
    return None


def decoded_title(title):
    """A title as written: WordPress stores some with their entities encoded."""
    return unescape(title)
