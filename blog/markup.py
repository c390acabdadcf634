"""Turning a post's body (Markdown, or WordPress's HTML) into HTML that is safe
to put on a page."""

from html import unescape

import markdown
import nh3
from django.utils.html import strip_tags
from django.utils.text import Truncator

from .wordpress.formatting import wordpress_html

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
    "*": {"id"},
}
EXCERPT_WORDS = 55
# Every id in a body gets this prefix, so that no post can take an id the page
# around it relies on (the comment form's "respond", a comment's "comment-12");
# no id in the site's templates starts with it.
ID_PREFIX = "post-"


def render_body(text, body_format):
    """A post's body in its format (Post.BodyFormat) as safe HTML."""
    if body_format == "html":
        return render_wordpress_html(text)
    return render_markdown(text)


def render_markdown(text):
    """Render Markdown to HTML, then remove anything a browser could run."""
    return sanitize(markdown.markdown(text, extensions=["extra", "sane_lists"]))


def render_wordpress_html(text):
    """
    WordPress's HTML (as imported: paragraphs from blank lines, shortcodes,
    the block editor's comments) as WordPress shows it, then sanitized by
    the rules Markdown's output is.
    """
    return sanitize(wordpress_html(text))


def sanitize(html):
    """Remove from HTML anything a browser could run, and ids pages rely on."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=prefix_ids,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    )


def prefix_ids(tag, attribute, value):
    """
    nh3's attribute filter: prefix every id, and every link to a place in
    the same body, so that footnotes and tables of contents still work. Not
    nh3's own id_prefix, which leaves an id already starting with the prefix
    as it is: `id="post-x"` would stay while its link became `#post-post-x`.
    """
    if attribute == "id":
        return ID_PREFIX + value
    if tag == "a" and attribute == "href" and value.startswith("#") and value != "#":
        return f"#{ID_PREFIX}{value[1:]}"
    return value


def excerpt_from_html(html, words=EXCERPT_WORDS):
    """The first words of a rendered body as plain text, WordPress-style."""
    text = " ".join(unescape(strip_tags(html)).split())
    return Truncator(text).words(words, truncate="…")


def word_count(html):
    """How many words a reader reads in a rendered body."""
    return len(strip_tags(html).split())
