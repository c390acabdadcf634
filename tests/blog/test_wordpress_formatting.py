"""WordPress's HTML bodies as pages show them: paragraphs, shortcodes, blocks."""

import pytest
from django.urls import reverse

from blog.markup import render_body
from blog.models import Post
from tests import builders


def html(text):
    return render_body(text, Post.BodyFormat.HTML)


def test_blank_lines_make_paragraphs_and_single_newlines_line_breaks():
    assert html("One\ntwo\n\nThree") == "<p>One<br>\ntwo</p>\n<p>Three</p>"


def test_blocks_are_not_wrapped_in_paragraphs():
    text = "Intro\n<ul>\n<li>One</li>\n</ul>\n<blockquote>Quoted</blockquote>\nEnd"
    assert html(text) == (
        "<p>Intro</p>\n<ul>\n<li>One</li>\n</ul>\n"
        "<blockquote>Quoted</blockquote>\n<p>End</p>"
    )


def test_preformatted_text_keeps_its_blank_lines():
    assert html("<pre>a\n\nb</pre>\n\nAfter") == "<pre>a\n\nb</pre>\n<p>After</p>"


def test_block_editor_content_keeps_its_own_paragraphs():
    text = "<!-- wp:paragraph -->\n<p>One\ntwo</p>\n<!-- /wp:paragraph -->"
    assert html(text).strip() == "<p>One\ntwo</p>"


def test_a_caption_becomes_a_figure():
    text = (
        '[caption id="attachment_5" align="alignright" width="300"]'
        '<img src="https://example.org/a.jpg" alt="A river" width="300" height="200" />'
        " The river in <em>spring</em>[/caption]\n\nAfter"
    )
    assert html(text) == (
        '<figure><img src="https://example.org/a.jpg" alt="A river" width="300" '
        'height="200"><figcaption>The river in <em>spring</em></figcaption>'
        "</figure>\n<p>After</p>"
    )


def test_embeds_and_media_become_links_and_galleries_disappear():
    text = (
        "[embed]https://video.example.org/v/1[/embed]\n\n"
        '[audio src="https://example.org/a.mp3"]\n\n[gallery ids="1,2"]\n\nEnd'
    )
    assert html(text) == (
        '<p><a href="https://video.example.org/v/1" rel="noopener">'
        "https://video.example.org/v/1</a></p>\n"
        '<p><a href="https://example.org/a.mp3" rel="noopener">'
        "https://example.org/a.mp3</a></p>\n<p>End</p>"
    )


def test_unknown_shortcodes_are_shown_as_written():
    assert html('[contact-form-7 id="3"]') == '<p>[contact-form-7 id="3"]</p>'


@pytest.mark.parametrize(
    "dangerous",
    [
        '<script>alert("x")</script>',
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<iframe src="https://evil.example"></iframe>',
        '[caption]<img src="x" onerror="alert(1)"> Caption[/caption]',
        "[embed]javascript:alert(1)[/embed]",
        '<p style="background:url(x)" id="respond">x</p>',
    ],
)
def test_html_bodies_are_sanitized_by_the_rules_markdown_output_is(dangerous):
    rendered = html(dangerous)
    for sign in (
        "<script",
        "onerror",
        'href="javascript:',
        "<iframe",
        "style=",
        'id="respond"',
    ):
        assert sign not in rendered


def test_the_admin_preview_renders_the_format_chosen(editor_client):
    url = reverse("admin:blog_post_preview")
    body = "Line one\nline two"
    as_html = editor_client.post(url, {"body": body, "body_format": "html"})
    as_markdown = editor_client.post(url, {"body": body, "body_format": "markdown"})
    assert as_html.text == "<p>Line one<br>\nline two</p>"
    assert as_markdown.text == "<p>Line one\nline two</p>"


def test_an_html_post_is_shown_by_its_page(client, db):
    post = builders.make_post(body="Hello\n\nWorld & co", body_format="html")
    response = client.get(post.get_absolute_url())
    assert "<p>Hello</p>\n<p>World &amp; co</p>" in response.text
