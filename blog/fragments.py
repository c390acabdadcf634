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
from django.db.models import Func, OuterRef, Q, Subquery, prefetch_related_objects
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


def similar_posts(post):
    """
    The listed posts sharing the most tags and categories with `post`, then
    the most recent: with nothing in common, the latest posts. One query.
    """
    tagged = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Post), tag__in=post.tags.all()
    )
    filed = Post.categories.through.objects.filter(category__in=post.categories.all())
    listed = Post.objects.listed().exclude(pk=post.pk)
    # Only the posts that share something, and the latest for when too few
    # do, are ranked. On the bench's site (10,000 posts, 2 or 3 of 50 tags
    # and 1 or 2 of 20 categories each, so that about 3,000 posts share
    # something with any one) on SQLite, medians over ten posts: counting
    # with Count() what every listed post shares, 133 ms; this, 19 ms;
    # grouping the link tables and ranking in Python, 60 ms; the same ranked
    # in one raw SQL query, 13 ms, not worth SQL written by hand.
    candidates = listed.filter(
        Q(pk__in=tagged.values("object_id"))
        | Q(pk__in=filed.values("post"))
        | Q(pk__in=listed.values("pk")[:SIMILAR_POSTS])
    )
    shared = how_many(tagged.filter(object_id=OuterRef("pk"))) + how_many(
        filed.filter(post=OuterRef("pk"))
    )
    return list(
        candidates.annotate(shared=shared)
        .only(*LINK_FIELDS)
        .order_by("-shared", "-published_at", "-pk")[:SIMILAR_POSTS]
    )


def how_many(rows):
    """The number of `rows`, as a subquery."""
    return Subquery(
        rows.order_by().annotate(n=Func("pk", function="COUNT")).values("n")
    )


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
