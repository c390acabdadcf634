import pytest

from tests.builders import make_post

pytestmark = pytest.mark.django_db


def test_markdown_body_is_rendered_to_html(client):
    post = make_post(body="A *quiet* word.\n\n## A heading\n\n- one\n- two")

    html = client.get(post.get_absolute_url()).content.decode()

    assert "<p>A <em>quiet</em> word.</p>" in html
    assert "<h2>A heading</h2>" in html
    assert "<li>one</li>" in html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert('x')</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        '<iframe src="https://example.com"></iframe>',
        "<style>body{display:none}</style>",
    ],
)
def test_nothing_runnable_in_a_body_reaches_the_page(client, hostile):
    post = make_post(body=f"Before.\n\n{hostile}\n\nAfter.")

    html = client.get(post.get_absolute_url()).content.decode()
    body = html[html.index('<div class="post-body">') :]

    assert "<script>alert" not in body
    assert "onerror" not in body
    assert "javascript:" not in body
    assert "<iframe" not in body
    assert "<style>" not in body
    assert "After." in body


def test_body_html_is_rerendered_when_the_body_changes():
    post = make_post(body="First *version*.")

    post.body = "Second **version**."
    post.save()

    assert post.body_html == "<p>Second <strong>version</strong>.</p>"


def test_excerpt_is_derived_from_the_body_when_left_blank():
    words = " ".join(f"word{n}" for n in range(80))
    post = make_post(body=f"**Opening** {words}", excerpt="")

    assert post.summary.startswith("Opening word0 word1")
    assert post.summary.endswith("…")
    assert len(post.summary.split()) == 55
    assert "**" not in post.summary


def test_excerpt_written_by_the_editor_is_used_as_it_is(client):
    post = make_post(body="The long body.", excerpt="A hand-written summary.")

    html = client.get("/").content.decode()

    assert post.summary == "A hand-written summary."
    assert "A hand-written summary." in html


def test_derived_excerpt_follows_later_edits_of_the_body():
    post = make_post(body="Old opening.", excerpt="")

    post.body = "New opening."
    post.save()

    assert post.summary == "New opening."


def test_ids_in_a_body_are_prefixed_so_they_cannot_take_the_pages_ids():
    post = make_post(body='<div id="respond">Mine.</div>\n\n<h2 id="comment-1">Hi</h2>')

    assert '<div id="post-respond">Mine.</div>' in post.body_html
    assert '<h2 id="post-comment-1">Hi</h2>' in post.body_html


def test_a_hand_written_contents_link_leads_to_its_prefixed_heading():
    post = make_post(body='See [the notes](#notes).\n\n<h2 id="notes">Notes</h2>')

    assert post.body_html == (
        '<p>See <a href="#post-notes" rel="noopener">the notes</a>.</p>\n'
        '<h2 id="post-notes">Notes</h2>'
    )


def test_footnote_links_lead_to_the_prefixed_note_and_back():
    post = make_post(body="Said so.[^1]\n\n[^1]: Minutes, 3 May.")

    assert '<sup id="post-fnref:1"><a href="#post-fn:1"' in post.body_html
    assert '<li id="post-fn:1">' in post.body_html
    assert '<a href="#post-fnref:1"' in post.body_html


def test_an_id_that_already_has_the_prefix_is_prefixed_like_its_link():
    post = make_post(body='<h2 id="post-x">X</h2>\n\n[To X](#post-x)')

    assert 'id="post-post-x"' in post.body_html
    assert 'href="#post-post-x"' in post.body_html


@pytest.mark.parametrize(
    "href", ["#", "/about/#team", "https://example.com/page#part", "mailto:a@b.org"]
)
def test_links_that_are_not_to_a_place_in_the_body_are_left_alone(href):
    post = make_post(body=f"[Link]({href})")

    assert f'href="{href}"' in post.body_html
