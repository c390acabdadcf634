"""A site upgraded in place keeps each post's comment count and open state."""

BEFORE = [("blog", "0005_post_published_idx"), ("comments", "0003_comment_in_reply_to")]
AFTER = [("blog", "0006_comments_move_to_discussion"), ("comments", "0004_discussion")]


def test_post_comment_state_moves_into_the_discussion_rows(migrate_to):
    old = migrate_to(BEFORE)
    User = old.get_model("accounts", "User")
    Post = old.get_model("blog", "Post")
    author = User.objects.create(username="writer")
    fields = {"author": author, "body": "", "body_html": "", "summary": ""}
    talked = Post.objects.create(slug="talked", comment_count=4, **fields)
    closed = Post.objects.create(slug="closed", is_commenting_open=False, **fields)
    Post.objects.create(slug="quiet", **fields)

    new = migrate_to(AFTER)

    Discussion = new.get_model("comments", "Discussion")
    rows = {
        row.post_id: (row.is_open, row.comment_count)
        for row in Discussion.objects.all()
    }
    assert rows == {talked.pk: (True, 4), closed.pk: (False, 0)}
    migrate_to(BEFORE)  # and back
    reverted = old.get_model("blog", "Post").objects.get(pk=closed.pk)
    assert reverted.is_commenting_open is False


def test_comments_removed_before_the_upgrade_were_removed_by_moderators(migrate_to):
    old = migrate_to([("comments", "0008_wordpress_import")])
    User = old.get_model("accounts", "User")
    Post = old.get_model("blog", "Post")
    Comment = old.get_model("comments", "Comment")
    author = User.objects.create(username="writer")
    post = Post.objects.create(
        slug="talked", author=author, body="", body_html="", summary=""
    )
    tree = {"post": post, "level": 0, "lft": 1, "rght": 2, "body_html": ""}
    removed = Comment.objects.create(status="removed", tree_id=1, **tree)
    shown = Comment.objects.create(status="approved", tree_id=2, **tree)

    new = migrate_to([("comments", "0009_author_edits")])

    removals = dict(
        new.get_model("comments", "Comment").objects.values_list("pk", "removal")
    )
    assert removals == {removed.pk: "moderator", shown.pk: ""}


def test_each_discussion_counts_its_threads_on_show_after_the_upgrade(migrate_to):
    old = migrate_to([("comments", "0013_subscriptions")])
    User = old.get_model("accounts", "User")
    Post = old.get_model("blog", "Post")
    Comment = old.get_model("comments", "Comment")
    Discussion = old.get_model("comments", "Discussion")
    author = User.objects.create(username="writer")
    post = Post.objects.create(
        slug="talked", author=author, body="", body_html="", summary=""
    )
    Discussion.objects.create(post=post, comment_count=3)
    tree = {"post": post, "body_html": ""}
    for tree_id, status in [(1, "approved"), (2, "removed"), (3, "spam")]:
        removal = "moderator" if status == "removed" else ""
        root = Comment.objects.create(
            status=status,
            removal=removal,
            tree_id=tree_id,
            level=0,
            lft=1,
            rght=4,
            **tree,
        )
        # The removed thread has an approved reply: it is on show.
        Comment.objects.create(
            parent=root,
            status="approved" if tree_id < 3 else "spam",
            tree_id=tree_id,
            level=1,
            lft=2,
            rght=3,
            **tree,
        )

    new = migrate_to([("comments", "0014_discussion_thread_count")])

    discussion = new.get_model("comments", "Discussion").objects.get(post_id=post.pk)
    assert discussion.thread_count == 2
