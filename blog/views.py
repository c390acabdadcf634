import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe
from taggit.models import Tag

from .fragments import SUMMARY_KEY_FIELDS, article_html, summaries_html
from .models import Category, Post, Publication


def render_post_list(request, posts, context=None):
    """Render one page of a list of posts; a page that does not exist is a 404."""
    paginator = Paginator(posts.only(*SUMMARY_KEY_FIELDS), settings.BLOG_POSTS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except InvalidPage:
        raise Http404("There is no such page of posts.") from None
    context = {
        "page_obj": page,
        "summaries": summaries_html(page.object_list),
        **(context or {}),
    }
    return render(request, "blog/post_list.html", context)


SEARCH_MAX_LENGTH = 200


@require_safe
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


@require_safe
def post_list(request):
    return render_post_list(request, Post.objects.published())


@require_safe
def post_detail(request, slug):
    post = get_object_or_404(
        Post.objects.visible_to(request.user).select_related(
            "author", "first_appeared_in"
        ),
        slug=slug,
    )
    context = {"post": post, "article": article_html(post)}
    return render(request, "blog/post_detail.html", context)


@require_safe
def category_archive(request, slug):
    category = get_object_or_404(Category, slug=slug)
    posts = Post.objects.published().filter(categories=category)
    return render_post_list(
        request,
        posts,
        {"title": f"Category Archives: {category.name}", "category": category},
    )


@require_safe
def tag_archive(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    posts = Post.objects.published().filter(tags=tag)
    return render_post_list(request, posts, {"title": f"Posts Tagged ‘{tag.name}’"})


@require_safe
def author_archive(request, username):
    author = get_object_or_404(get_user_model(), username=username)
    posts = Post.objects.published().filter(author=author)
    return render_post_list(
        request, posts, {"title": f"Posts by {author.public_name}", "author": author}
    )


@require_safe
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


@require_safe
def year_archive(request, year):
    start, end = month_span(year, 1, months=12)
    posts = Post.objects.published().filter(
        published_at__gte=start, published_at__lt=end
    )
    # The months that have posts, each linked to its archive.
    months = list(posts.datetimes("published_at", "month"))
    return render_post_list(
        request, posts, {"title": f"Yearly Archives: {year}", "archive_months": months}
    )


@require_safe
def month_archive(request, year, month):
    start, end = month_span(year, month, months=1)
    posts = Post.objects.published().filter(
        published_at__gte=start, published_at__lt=end
    )
    title = f"Monthly Archives: {start:%B} {year}"
    return render_post_list(request, posts, {"title": title, "archive_year": year})


def month_span(year, month, months):
    """The aware datetimes that bound a run of months, or 404 for a bad date."""
    if not (1 <= month <= 12 and datetime.MINYEAR < year < datetime.MAXYEAR):
        raise Http404("There is no such month.")
    end_month = month - 1 + months
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, month, 1, tzinfo=tz)
    end = datetime.datetime(year + end_month // 12, end_month % 12 + 1, 1, tzinfo=tz)
    return start, end
