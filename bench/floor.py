"""
The floor: a thread's approved comments read with one raw SQL query and
written as nested HTML lists with f-strings, with no framework at all (no
ORM, no templates, no cache, no request). No page that shows the thread can
be faster, so each page's time is also given as a multiple of it: machines of
one kind differ by 2 to 3 times, the multiples far less.
"""

import html

from django.db import connection

from comments.models import Comment

THREAD_SQL = f"""
    SELECT id, level, author_name, author_url, body_html, created_at
    FROM {Comment._meta.db_table}
    WHERE post_id = %s AND status = %s
    ORDER BY tree_id, lft
"""


def floor_thread_html(post_pk):
    """The post's approved comments as nested lists, as bytes."""
    with connection.cursor() as cursor:
        cursor.execute(THREAD_SQL, [post_pk, Comment.Status.APPROVED])
        rows = cursor.fetchall()
    parts = ['<ol class="comment-list">']
    previous = None
    for pk, level, name, url, body, created_at in rows:
        if previous is not None:
            if level > previous:
                parts.append('<ol class="comment-children">')
            else:
                parts.append("</li>" + "</ol></li>" * (previous - level))
        name = html.escape(name)
        if url:
            name = (
                f'<a href="{html.escape(url)}" rel="external nofollow ugc">{name}</a>'
            )
        parts.append(
            f'<li id="comment-{pk}" class="comment depth-{level + 1}">'
            f'<article class="comment-body"><footer class="comment-meta">'
            f'<b class="comment-author">{name}</b> '
            f'<a class="comment-permalink" href="#comment-{pk}">'
            f"<time>{created_at}</time></a></footer>"
            f'<div class="comment-content">{body}</div></article>'
        )
        previous = level
    if previous is not None:
        parts.append("</li>" + "</ol></li>" * previous)
    parts.append("</ol>")
    return "".join(parts).encode()
