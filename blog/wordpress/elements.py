"""
The elements of a WXR file, written as WordPress writes them: its order,
its prefixes, its CDATA (blog.wordpress.exporting puts them together).
"""

import datetime
import re
from email.utils import format_datetime
from html import escape
from urllib.parse import quote

from django.conf import settings
from django.utils import timezone
from django.utils.translation import to_locale

WXR_VERSION = "1.2"
# In WordPress's order, with its prefixes: its importer's fallback parsers
# match the prefixed names as text.
NAMESPACES = {
    "excerpt": f"http://wordpress.org/export/{WXR_VERSION}/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": f"http://wordpress.org/export/{WXR_VERSION}/",
}
# What XML 1.0 cannot carry even in CDATA (control characters pasted from
# word processors, lone surrogates): left out, or no parser reads the file.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def header():
    declarations = "".join(
        f'\n\txmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        "<!-- A WordPress eXtended RSS file: import it with WordPress's importer "
        "(Tools, Import, WordPress) or with manage.py import_wordpress. -->\n"
        f'<rss version="2.0"{declarations}\n>\n\n<channel>\n'
        + "".join(
            f"\t{element(name, value)}\n"
            for name, value in [
                ("title", settings.BLOG_SITE_NAME),
                ("link", settings.BLOG_SITE_URL),
                ("description", settings.BLOG_SITE_TAGLINE),
                ("pubDate", rfc822(timezone.now())),
                ("language", to_locale(settings.LANGUAGE_CODE).replace("_", "-")),
                ("wp:wxr_version", WXR_VERSION),
                ("wp:base_site_url", settings.BLOG_SITE_URL),
                ("wp:base_blog_url", settings.BLOG_SITE_URL),
            ]
        )
        + "\n"
    )


def item_element(
    post, *, post_id, title, link, guid, content, excerpt, fields, terms, meta
):
    """
    An <item> for a post, page or attachment, left open for its comments:
    its `fields` after the dates, in WordPress's order, then its `terms` and
    `meta`.
    """
    lines = [
        text_element("title", as_html(title)),
        element("link", link),
        element("pubDate", rfc822(post.published_at)),
        text_element("dc:creator", post.author.username),
        f'<guid isPermaLink="false">{escape(guid)}</guid>',
        "<description></description>",
        text_element("content:encoded", content),
        text_element("excerpt:encoded", excerpt),
        element("wp:post_id", post_id),
        text_element("wp:post_date", mysql_date(post.published_at, local=True)),
        text_element("wp:post_date_gmt", mysql_date(post.published_at)),
    ]
    for name, value in fields:
        lines.append(
            element(name, value)
            if isinstance(value, int)
            else text_element(name, value)
        )
    for taxonomy, slug, name in terms:
        lines.append(
            f'<category domain="{taxonomy}" nicename="{escape(wordpress_slug(slug))}">'
            f"{cdata(as_html(name))}</category>"
        )
    for key, value in meta.items():
        lines.append(
            "<wp:postmeta>"
            + text_element("wp:meta_key", key)
            + text_element("wp:meta_value", value)
            + "</wp:postmeta>"
        )
    return "\t<item>\n" + "".join(f"\t\t{line}\n" for line in lines)


def comment_element(comment):
    """A wp:comment from a blog.wordpress.wxr.Comment."""
    return (
        "\t\t<wp:comment>"
        + element("wp:comment_id", comment.wordpress_id)
        + text_element("wp:comment_author", comment.author)
        + text_element("wp:comment_author_email", comment.email)
        + text_element("wp:comment_author_url", comment.url)
        + text_element("wp:comment_author_IP", comment.ip_address)
        + text_element("wp:comment_date", mysql_date(comment.date, local=True))
        + text_element("wp:comment_date_gmt", mysql_date(comment.date))
        + text_element("wp:comment_content", comment.content)
        + text_element("wp:comment_approved", comment.approved)
        + text_element("wp:comment_type", comment.type)
        + element("wp:comment_parent", comment.parent_id or 0)
        + element("wp:comment_user_id", comment.user_id or 0)
        + "</wp:comment>\n"
    )


def element(name, value):
    return f"<{name}>{escape(NOT_XML.sub('', str(value)))}</{name}>"


def text_element(name, value):
    return f"<{name}>{cdata(value)}</{name}>"


def cdata(text):
    """Text as CDATA, split where it holds "]]>" as WordPress splits it."""
    text = NOT_XML.sub("", text)
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def as_html(text):
    """
    Plain text as the HTML WordPress keeps titles, names and excerpts in,
    which it shows as markup and our import unescapes.
    """
    return escape(text, quote=False)


def wordpress_slug(slug):
    """A slug as WordPress stores it: percent-encoded, lowercase, as schüler's."""
    return re.sub(r"%[0-9A-F]{2}", lambda match: match[0].lower(), quote(slug))


def mysql_date(moment, *, local=False):
    """
    A date as WordPress stores it: in UTC for the _gmt fields, and in the
    site's time zone (TIME_ZONE) for the others, which WordPress shows.
    """
    if local:
        moment = timezone.localtime(moment)
    else:
        moment = moment.astimezone(datetime.UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def rfc822(moment):
    return format_datetime(moment.astimezone(datetime.UTC))
