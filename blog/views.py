import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from .models import Category, Post, Publication


def render_post_list(request, posts, context=None):
    """Render one page of a list of posts; a page that does not exist is a 404."""
    paginator = Paginator(posts.for_listing(), settings.BLOG_POSTS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except InvalidPage:
        raise Http404("There is no such page of posts.") from None
    posts = with_links(page.object_list)
    context = {"page_obj": page, "posts": posts, **(context or {})}
    return render(request, "blog/post_list.html", context)


def with_links(posts):
    """
    The posts of a list, each with `url`, and its author, categories and tags
    with theirs, as post_list.html shows them: reverse() runs once per post
    and once per distinct author, category and tag, not once per link.
    """
    posts = list(posts)
    urls = {}

    def link(obj, name, key):
        if (name, key) not in urls:
            urls[name, key] = reverse(name, args=[key])
        obj.url = urls[name, key]

    for post in posts:
        link(post, "blog:post-detail", post.slug)
        link(post.author, "blog:author-archive", post.author.username)
        for category in post.category_list:
            link(category, "blog:category-archive", category.slug)
        for tag in post.tag_list:
            link(tag, "blog:tag-archive", tag.slug)
    return posts


SEARCH_MAX_LENGTH = 200


def post_search(request):
    query = " ".join(request.GET.get("q", "").split())
    if len(query) > SEARCH_MAX_LENGTH:
        return render(
            request,
            "400.html",
            {"problems": [f"Search for at most {SEARCH_MAX_LENGTH} characters."]},
            status=400,
        )
    posts = Post.objects.published().search(query) if query else Post.objects.none()
    title = f"Search results for ‘{query}’" if query else "Search"
    return render_post_list(request, posts, {"title": title, "query": query})


def post_list(request):
    return render_post_list(request, Post.objects.published())


def post_detail(request, slug):
    post = get_object_or_404(
        Post.objects.visible_to(request.user)
        .select_related("author", "first_appeared_in")
        .prefetch_related("categories", "tags"),
        slug=slug,
    )
    return render(request, "blog/post_detail.html", {"post": post})


def category_archive(request, slug):
    category = get_object_or_404(Category, slug=slug)
    posts = Post.objects.published().filter(categories=category)
    return render_post_list(
        request,
        posts,
        {"title": f"Category Archives: {category.name}", "category": category},
    )


def tag_archive(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    posts = Post.objects.published().filter(tags=tag)
    return render_post_list(request, posts, {"title": f"Posts Tagged ‘{tag.name}’"})


def author_archive(request, username):
    author = get_object_or_404(get_user_model(), username=username)
    posts = Post.objects.published().filter(author=author)
    return render_post_list(
        request, posts, {"title": f"Posts by {author.public_name}", "author": author}
    )


def publication_archive(request, slug):
    publication = get_object_or_404(Publication, slug=slug)
    posts = Post.objects.published().filter(first_appeared_in=publication)
    return render_post_list(
        request,
        posts,
        {
            "title": f"First appeared in {publication.name_in_sentence}",
            "publication": publication,
        },
    )


def year_archive(request, year):
    start, end = month_span(year, 1, months=12)
    posts = Post.objects.published().filter(
        published_at__gte=start, published_at__lt=end
    )
    return render_post_list(request, posts, {"title": f"Yearly Archives: {year}"})


def month_archive(request, year, month):
    start, end = month_span(year, month, months=1)
    posts = Post.objects.published().filter(
        published_at__gte=start, published_at__lt=end
    )
    title = f"Monthly Archives: {start:%B} {year}"
    return render_post_list(request, posts, {"title": title})


def month_span(year, month, months):
    """The aware datetimes that bound a run of months, or 404 for a bad date."""
    if not (1 <= month <= 12 and datetime.MINYEAR < year < datetime.MAXYEAR):
        raise Http404("There is no such month.")
    end_month = month - 1 + months
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, month, 1, tzinfo=tz)
    end = datetime.datetime(year + end_month // 12, end_month % 12 + 1, 1, tzinfo=tz)
    return start, end
