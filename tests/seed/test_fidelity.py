"""
The seed content against the texts it comes from (fixtures/sources/), both
ways: nothing in the fixtures that the texts do not say, and nothing the
texts say, other than the page chrome listed here, missing from the fixtures.
"""

import html
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.html import strip_tags
from django.utils.timezone import localtime
from taggit.models import Tag

from accounts.models import User
from blog.models import Category, Post
from comments.models import Comment
from tests.builders import comment_count

pytestmark = pytest.mark.django_db

SOURCES = sorted((settings.BASE_DIR / "fixtures" / "sources").glob("*.txt"))

# Everything in the texts that belongs to the pages around the articles.
CHROME = {
    # WordPress (Mark Rogers' blog): the comment form and its login prompts.
    "Leave a Reply",
    "Fill in your details below or click an icon to log in:",
    "Fill in your details below or click an icon to log in: Logo",
    "WordPress.com Logo",
    "You are commenting using your WordPress.com account. Log Out / Change )",
    "You are commenting using your account. Log Out / Change )",
    "Twitter picture",
    "You are commenting using your Twitter account. Log Out / Change )",
    "Facebook photo",
    "You are commenting using your Facebook account. Log Out / Change )",
    "Google+ photo",
    "You are commenting using your Google+ account. Log Out / Change )",
    "Connecting to %s",
    "%d bloggers like this:",
    # The Chamberlain Files: site header, related links, newsletter, sidebar.
    "The Chamberlain Files | Homepage",
    "Similar Articles",
    "Game: I don’t live in a 90% (or 100%) Labour city",
    "Game: I don’t live in a 90% (or 100%) Labour city 0",
    "Well, last week certainly had its excitements, didn’t it? First, that "
    "penalty shoot-out business. Then",
    "You know the Meriden Gap – well, here’s the West Midlands Goodwill Gap",
    "I see in last week’s Solihull Observer that there’s a campaign to have the "
    "Meriden",
    "Council: ‘time is running out,’ but when?",
    '"Time is running out and we need to see real progress." So says John '
    "Crabtree OBE,",
    "Council: this time we’re serious",
    "Birmingham City Council today publishes an Improvement 'Stocktake Report' "
    "outlining the current position relating to",
    "Culture: time for Mayoral leadership?",
    "As the crisis in the cultural sector deepens, Andy Howell asks is it time for",
    "About Author",
    "Chamberlain Files Weekly",
    "Don't miss a thing! Sign up for our free weekly summary of the Chamberlain "
    "Files from RJF Public Affairs.",
    "* = required field",
    "powered by MailChimp!",
    "Our latest tweets",
    "Published by",
    "Our community",
}
# WordPress numbers top-level comments and bullets replies; the markers are
# list chrome in front of the comment's first line.
COMMENT_MARKER = re.compile(r"^\s+(?:\d+\.|•)\s+")

# Lines in the pages' own format whose facts (date, categories, comment count)
# are data: each must equal the line built from the fixtures' values.
FACT_LINES = {
    # WordPress, below a single post.
    "Posted on {date:F j, Y}, in {categories}. Bookmark the permalink. {comments}.",
    # The Chamberlain Files, under the headline.
    "🕔{date:d.M Y}",
    # The tag archive, under each title.
    "{date:l, F jS, Y}",
}
# The neutral name given to a commenter the texts do not name.
GUEST_NAMES = {"Anonymous"}


def normalise(text):
    return " ".join(text.split())


def undo_markdown_escaping(text):
    """The inverse of the escaping in the fixtures' Markdown bodies."""
    text = re.sub(r"\\([\\`*_{}\[\]()>#+\-.!|])", r"\1", text)
    return text.replace("&lt;", "<").replace("&amp;", "&")


def text_paragraphs(path):
    """The paragraphs of one text in order, list markers removed."""
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", path.read_text(encoding="utf-8")):
        block = COMMENT_MARKER.sub("", block.strip("\n"))
        if block.strip():
            paragraphs.append(block)
    return paragraphs


def source_paragraphs():
    """Every paragraph of every text, list markers removed."""
    return [paragraph for path in SOURCES for paragraph in text_paragraphs(path)]


def body_paragraphs(post):
    return [
        normalise(undo_markdown_escaping(p))
        for p in post.body.split("\n\n")
        if p.strip()
    ]


def comment_paragraphs(comment):
    return [normalise(p) for p in comment.body.split("\n\n") if p.strip()]


def fact_lines(post):
    comments = comment_count(post)
    values = {
        "categories": ", ".join(c.name for c in post.categories.order_by("name")),
        "comments": f"{comments} Comments" if comments else "Leave a comment",
    }
    date = localtime(post.published_at)
    lines = set()
    for template in FACT_LINES:
        filled = re.sub(
            r"\{date:([^}]*)\}", lambda m: format_date(date, m[1]), template
        )
        lines.add(filled.format(**values))
    return lines


def archive_headings(client):
    """The headings of the category and tag archive pages, as the site shows them."""
    urls = [c.get_absolute_url() for c in Category.objects.all()] + [
        reverse("blog:tag-archive", args=[tag.slug]) for tag in Tag.objects.all()
    ]
    headings = set()
    for url in urls:
        page = client.get(url).content.decode()
        headings.update(
            normalise(html.unescape(strip_tags(h)))
            for h in re.findall(r"<h1>(.*?)</h1>", page, re.S)
        )
    return headings


def seed_texts():
    """Everything the fixtures say in words, as normalised paragraphs."""
    texts = set()
    for post in Post.objects.all():
        texts.add(post.title)
        texts.update(body_paragraphs(post))
        if post.provenance:
            texts.add(post.provenance)
        if post.featured_image_caption:
            texts.add(post.featured_image_caption)
    for comment in Comment.objects.all():
        texts.update(comment_paragraphs(comment))
    texts.update(
        Category.objects.exclude(description="").values_list("description", flat=True)
    )
    return {normalise(text) for text in texts}


def test_every_seed_paragraph_occurs_verbatim_in_a_source(seed):
    sources = {normalise(p) for p in source_paragraphs()}

    missing = seed_texts() - sources

    assert not missing


def test_every_post_body_is_a_run_of_consecutive_paragraphs_of_one_source(seed):
    texts = [[normalise(p) for p in text_paragraphs(path)] for path in SOURCES]

    def runs_in(paragraphs, run):
        return any(
            paragraphs[start : start + len(run)] == run
            for start in range(len(paragraphs) - len(run) + 1)
        )

    out_of_order = [
        post.title
        for post in Post.objects.all()
        if not any(runs_in(text, body_paragraphs(post)) for text in texts)
    ]

    assert not out_of_order


def test_every_bio_and_category_description_is_the_words_of_a_source(seed):
    sources = [
        " ".join(normalise(p) for p in text_paragraphs(path)) for path in SOURCES
    ]
    texts = [
        *User.objects.exclude(bio="").values_list("bio", flat=True),
        *Category.objects.exclude(description="").values_list("description", flat=True),
    ]

    # A full stop may close words quoted from inside a sentence.
    invented = [
        text
        for text in texts
        if not any(normalise(text).removesuffix(".") in source for source in sources)
    ]

    assert texts
    assert not invented


def test_every_source_paragraph_is_in_the_seed_or_is_chrome(seed, client):
    known = seed_texts() | archive_headings(client) | CHROME
    for post in Post.objects.all():
        known |= fact_lines(post)

    unaccounted = [
        paragraph
        for paragraph in source_paragraphs()
        if normalise(paragraph) not in known
        # A block of several lines may be several pieces of chrome.
        and not all(normalise(line) in known for line in paragraph.splitlines())
    ]

    assert not unaccounted


def test_chrome_list_holds_only_what_the_sources_contain():
    sources = "\n".join(normalise(p) for p in source_paragraphs())

    assert [line for line in CHROME if line not in sources] == []


def test_every_stated_fact_line_matches_a_post(seed):
    stated = set()
    for post in Post.objects.all():
        stated |= fact_lines(post)
    patterns = [
        re.compile(r"^Posted on .*Bookmark the permalink"),
        re.compile(r"^🕔"),
        re.compile(r"^(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, "),
    ]
    fact_paragraphs = [
        normalise(p)
        for p in source_paragraphs()
        if any(pattern.match(p.strip()) for pattern in patterns)
    ]

    assert len(fact_paragraphs) == 8
    assert [p for p in fact_paragraphs if p not in stated] == []


def test_names_are_the_texts_own_or_the_declared_guest_name(seed):
    sources = " ".join(normalise(p) for p in source_paragraphs())
    names = {user.public_name for user in User.objects.filter(posts__isnull=False)}
    names |= {c.display_name for c in Comment.objects.select_related("user")}

    assert {name for name in names if name not in sources} == GUEST_NAMES


def test_post_pages_show_every_paragraph_as_written(seed, client):
    for post in Post.objects.all():
        page = client.get(post.get_absolute_url()).content.decode()
        text = normalise(html.unescape(strip_tags(page)))

        for paragraph in [post.title, *body_paragraphs(post), post.provenance]:
            assert paragraph in text, (post.title, paragraph[:60])
