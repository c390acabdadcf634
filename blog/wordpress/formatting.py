"""
WordPress's HTML as WordPress shows it: the classic editor's paragraphs made
from blank lines (wpautop) and the core shortcodes that have an HTML form.
Block-editor content already has its paragraphs; its <!-- wp: --> comments
are left for the sanitizer to drop. A port of the parts of
wp-includes/formatting.php and media.php that decide what readers see.
"""

import re
from html import escape

BLOCKS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li"
    "|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset"
    "|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption"
    "|details|menu|summary"
)
BLOCK_OPEN = re.compile(rf"(<(?:{BLOCKS})[\s/>])", re.IGNORECASE)
BLOCK_CLOSE = re.compile(rf"(</(?:{BLOCKS})>)", re.IGNORECASE)
BLOCK_TAG = rf"</?(?:{BLOCKS})[^>]*>"
PRE = re.compile(r"<pre[\s>].*?</pre>", re.IGNORECASE | re.DOTALL)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
KEPT = re.compile(r'<div data-kept="(\d+)"></div>')

# [name attrs]content[/name] or [name attrs /]; WordPress's shortcode grammar,
# without the escaped [[name]] form.
SHORTCODE = re.compile(
    r"\[(?P<name>[a-z_][\w-]*)(?P<attrs>(?:\s[^\]]*)?)\]"
    r"(?:(?P<content>.*?)\[/(?P=name)\])?",
    re.IGNORECASE | re.DOTALL,
)
# An image, linked or not, then its caption: media.php's img_caption_shortcode().
CAPTIONED = re.compile(
    r"(?P<image>(?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(?P<caption>.*)",
    re.IGNORECASE | re.DOTALL,
)
ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
# Core shortcodes whose output needs the media library: shown as nothing.
DROPPED_SHORTCODES = {"gallery", "playlist"}
RENDERED_SHORTCODES = {"caption", "wp_caption", "embed", "audio", "video"}


def wordpress_html(text):
    """The HTML WordPress would show for a post's content."""
    if "<!-- wp:" in text:
        return expand_shortcodes(HTML_COMMENT.sub("", text))
    # Blocks autop must leave whole (preformatted text, shortcodes' figures)
    # wait outside as placeholders that autop sees as empty blocks.
    kept = []

    def keep(html):
        kept.append(html)
        return f'\n\n<div data-kept="{len(kept) - 1}"></div>\n\n'

    text = PRE.sub(lambda match: keep(match[0]), HTML_COMMENT.sub("", text))
    text = expand_shortcodes(text, keep=keep)
    return KEPT.sub(lambda match: kept[int(match[1])], autop(text))


def unrendered_shortcodes(text):
    """The names of shortcodes in `text` that pages show as written."""
    return sorted(
        {
            match["name"].lower()
            for match in SHORTCODE.finditer(text)
            if match["name"].lower() not in RENDERED_SHORTCODES | DROPPED_SHORTCODES
        }
    )


def expand_shortcodes(text, keep=lambda html: html):
    """The core shortcodes that have an HTML form, as that; `keep` takes it."""

    def replace(match):
        name = match["name"].lower()
        attrs = shortcode_attributes(match["attrs"])
        content = match["content"] or ""
        if name in {"caption", "wp_caption"}:
            return keep(caption_html(attrs, content))
        if name == "embed":
            return keep(link_paragraph(content.strip()))
        if name in {"audio", "video"}:
            source = attrs.get("src") or attrs.get("mp3") or attrs.get("mp4", "")
            return keep(link_paragraph(source)) if source else ""
        if name in DROPPED_SHORTCODES:
            return ""
        return match[0]

    return SHORTCODE.sub(replace, text)


def shortcode_attributes(text):
    return {
        name.lower(): next(value for value in values if value is not None)
        for name, *values in ATTRIBUTE.findall(text)
    }


def caption_html(attrs, content):
    """[caption]<img …> The caption[/caption] as a figure, as WordPress 5 does."""
    match = CAPTIONED.match(content.strip())
    if match is None:
        return content
    image, caption = match["image"], match["caption"].strip()
    caption = caption or attrs.get("caption", "")
    if not caption:
        return f"<figure>{image}</figure>"
    return f"<figure>{image}<figcaption>{caption}</figcaption></figure>"


def link_paragraph(url):
    url = escape(url)
    return f'<p><a href="{url}">{url}</a></p>'


def autop(text):
    """
    Paragraphs from blank lines and line breaks from single newlines, around
    the HTML blocks already there: WordPress's wpautop().
    """
    if not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text)
    text = BLOCK_OPEN.sub(r"\n\n\1", text)
    text = BLOCK_CLOSE.sub(r"\1\n\n", text)
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text)]
    text = "".join(f"<p>{part}</p>\n" for part in paragraphs if part)
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(rf"<p>\s*({BLOCK_TAG})\s*</p>", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(rf"<p>\s*({BLOCK_TAG})", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(rf"({BLOCK_TAG})\s*</p>", r"\1", text, flags=re.IGNORECASE)
    # Single newlines inside paragraphs are line breaks, except beside blocks.
    text = re.sub(r"(?<!<br />)(?<!>)\s*\n(?!<)", "<br />\n", text)
    text = re.sub(rf"({BLOCK_TAG})\s*<br />", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(
        r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text
    )
    return text.strip()
