BEFORE = [("blog", "0006_comments_move_to_discussion")]
AFTER = [("blog", "0007_post_body_html_prefixed_ids")]


def test_stored_bodies_are_rendered_again_with_prefixed_ids(migrate_to):
    old = migrate_to(BEFORE)
    author = old.get_model("accounts", "User").objects.create(username="writer")
    Post = old.get_model("blog", "Post")
    with_ids = Post.objects.create(
        slug="with-ids",
        author=author,
        body='See [the notes](#notes).\n\n<h2 id="notes">Notes</h2>',
        body_html='<p>See <a href="#notes" rel="noopener">the notes</a>.</p>\n'
        '<h2 id="notes">Notes</h2>',
    )
    plain = Post.objects.create(
        slug="plain", author=author, body="Just words.", body_html="<p>Just words.</p>"
    )

    new = migrate_to(AFTER)

    Post = new.get_model("blog", "Post")
    with_ids = Post.objects.get(pk=with_ids.pk)
    assert with_ids.body_html == (
        '<p>See <a href="#post-notes" rel="noopener">the notes</a>.</p>\n'
        '<h2 id="post-notes">Notes</h2>'
    )
    assert with_ids.version == 1
    plain = Post.objects.get(pk=plain.pk)
    assert (plain.body_html, plain.version) == ("<p>Just words.</p>", 0)
