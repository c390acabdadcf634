"""
The HTML of a post's article and of its summary in lists, rendered once per
version of the post and cached. Post.version is raised by every change to
what they show of the post (the post, its categories, tags, author and
publication); a summary also shows the comment count, so its key holds the
version of the post's discussion too. A cached fragment is therefore never
out of date, except the post page's navigation, which shows other posts and
is kept for minutes (navigation_html()); what differs between readers, the
page around them, is rendered for each request.

At 10,000 posts this took the home page from 4 queries and 10 ms to 2
queries and 4 ms, and the post page's article from 3 queries to none.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.db.models import Q, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from taggit.models import TaggedItem

from .models import DISCUSSION, Post

FRAGMENT_SECONDS = 60 * 60 * 24
# How long a post page's navigation may show neighbours and similar posts as
# they were: publishing, unpublishing or retagging another post does not
# raise this post's version, so only time brings them up to date.
NAVIGATION_SECONDS = 60 * 10
SIMILAR_POSTS = 3
# What the navigation shows of another post: its title, date and address.
LINK_FIELDS = ("title", "slug", "kind", "path", "published_at")


def article_html(post):
    """The post page's article: title, meta, featured image, body, provenance."""
    key = post.cache_key("article")
    html = cache.get(key)
    if html is None:
        prefetch_related_objects([post], "categories", "tags")
        html = render_to_string("blog/_post_article.html", {"post": post})
        cache.set(key, html, FRAGMENT_SECONDS)
    return mark_safe(html)


def navigation_html(post):
    """
    Below the post page's article: links to the previous and next posts and
    to similar posts. Three queries when not cached, whatever the tags and
    categories.
    """
    key = post.cache_key("navigation")
    html = cache.get(key)
    if html is None:
        previous_post, next_post = neighbours(post)
        context = {
            "previous_post": previous_post,
            "next_post": next_post,
            "similar_posts": similar_posts(post),
        }
        html = render_to_string("blog/_post_navigation.html", context)
        cache.set(key, html, NAVIGATION_SECONDS)
    return mark_safe(html)


def neighbours(post):
    """The listed posts just before and just after `post` by publish date."""
    listed = Post.objects.listed().only(*LINK_FIELDS)
    at, pk = post.published_at, post.pk
    # Posts published at the same moment are ordered by id, as in the lists.
    # The date's bound on its own lets the index start at the post: 10,000
    # posts on SQLite, both queries 7.5 ms without it, 4.4 ms with it.
    older = listed.filter(
        Q(published_at__lt=at) | Q(published_at=at, pk__lt=pk), published_at__lte=at
    ).order_by("-published_at", "-pk")
    newer = listed.filter(
        Q(published_at__gt=at) | Q(published_at=at, pk__gt=pk), published_at__gte=at
    ).order_by("published_at", "pk")
    return older.first(), newer.first()


# What each listed post shares with one post: its tags and its categories,
# counted in their link tables; then the latest posts, sharing nothing, for
# when too few share something. Written by hand because the ORM cannot join
# a grouped union; which posts the public may see still comes from listed().
SIMILAR_SQL = """
SELECT {fields}
FROM {posts} JOIN (
    SELECT {posts}.{id} AS id, SUM(score.n) AS shared, {posts}.{published_at} AS at
    FROM {posts}
    JOIN (
        SELECT shared.{tagged_post} AS post_id, COUNT(*) AS n
        FROM {tagged} shared JOIN {tagged} own ON own.{tag} = shared.{tag}
        WHERE own.{content_type} = %s AND own.{tagged_post} = %s
            AND shared.{content_type} = %s
        GROUP BY shared.{tagged_post}
        UNION ALL
        SELECT shared.{filed_post}, COUNT(*)
        FROM {filed} shared JOIN {filed} own ON own.{category} = shared.{category}
        WHERE own.{filed_post} = %s
        GROUP BY shared.{filed_post}
        UNION ALL
        SELECT latest.id, 0 FROM ({latest}) latest
    ) score ON score.post_id = {posts}.{id}
    WHERE {listed}
    GROUP BY {posts}.{id}
    ORDER BY shared DESC, at DESC, id DESC
    LIMIT %s
) ranked ON ranked.id = {posts}.{id}
ORDER BY ranked.shared DESC, ranked.at DESC, ranked.id DESC
"""


def similar_posts(post):
    """
    The listed posts sharing the most tags and categories with `post`, then
    the most recent: with nothing in common, the latest posts. One query.

    On the bench's site (10,000 posts, 2 or 3 of 50 tags and 1 or 2 of 20
    categories each, so that about 3,000 posts share something with any
    one), medians over ten posts: counting with Count() what every listed
    post shares, 133 ms on SQLite; a subquery per post that shares
    something, 19 ms on SQLite and 93 ms on PostgreSQL; the link tables
    grouped and ranked in Python, 60 and 44 ms; SIMILAR_SQL, 15 and 16 ms
    (selecting the posts' columns in the ranking itself, rather than joining
    the three it picks, cost 4 ms more on SQLite).
    """
    others = Post.objects.listed().exclude(pk=post.pk)
    # listed()'s conditions, in SQL, on the posts table itself: as a
    # subquery of ids instead (post.id IN (…)), 30 and 22 ms.
    compiler = others.query.get_compiler(connection=connection)
    listed_sql, listed_params = compiler.compile(others.query.where)
    latest = others.values("id")[:SIMILAR_POSTS]
    latest_sql, latest_params = latest.query.sql_with_params()
    quote = connection.ops.quote_name
    posts, tagged = Post._meta, TaggedItem._meta
    filed = Post.categories.through._meta
    sql = SIMILAR_SQL.format(
        fields=", ".join(
            f"{quote(posts.db_table)}.{quote(posts.get_field(name).column)}"
            for name in ["id", *LINK_FIELDS]
        ),
        posts=quote(posts.db_table),
        id=quote(posts.pk.column),
        published_at=quote(posts.get_field("published_at").column),
        tagged=quote(tagged.db_table),
        tagged_post=quote(tagged.get_field("object_id").column),
        tag=quote(tagged.get_field("tag").column),
        content_type=quote(tagged.get_field("content_type").column),
        filed=quote(filed.db_table),
        filed_post=quote(filed.get_field("post").column),
        category=quote(filed.get_field("category").column),
        latest=latest_sql,
        listed=listed_sql,
    )
    content_type = ContentType.objects.get_for_model(Post).pk
    params = [
        *(content_type, post.pk, content_type, post.pk),
        *latest_params,
        *listed_params,
        SIMILAR_POSTS,
    ]
    return list(Post.objects.raw(sql, params))


def with_summary_keys(posts):
    """`posts` with only the columns summaries_html() needs to find them cached."""
    return posts.select_related(DISCUSSION).only(
        "pk", "version", "created_at", f"{DISCUSSION}__version"
    )


def summaries_html(posts):
    """
    The summaries of `posts` (from with_summary_keys()), in their order. Those
    not cached are fetched, with all they show, in one query for the lot.
    """
    keys = {post.pk: summary_key(post) for post in posts}
    cached = cache.get_many(keys.values())
    html = {pk: cached[key] for pk, key in keys.items() if key in cached}
    missing = [pk for pk in keys if pk not in html]
    if missing:
        fresh = {}
        for post in Post.objects.filter(pk__in=missing).for_listing():
            context = {"post": post, "comment_count": discussion(post, "comment_count")}
            fresh[summary_key(post)] = html[post.pk] = render_to_string(
                "blog/_post_summary.html", context
            )
        cache.set_many(fresh, FRAGMENT_SECONDS)
    # A post deleted since the list was read is left out.
    return [mark_safe(html[pk]) for pk in keys if pk in html]


def summary_key(post):
    return f"{post.cache_key('summary')}:{discussion(post, 'version')}"


def discussion(post, field):
    """A field of the post's discussion row; 0 for a post nobody commented on."""
    row = getattr(post, DISCUSSION, None)
    return getattr(row, field) if row is not None else 0
