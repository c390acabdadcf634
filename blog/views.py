import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, render
from django.utils.formats import date_format
from django.views.decorators.http import require_safe
from django.views.generic import ListView
from django.views.generic.dates import MonthArchiveView, YearArchiveView
from taggit.models import Tag

from .feeds import feed_links
from .fragments import article_html, navigation_html, summaries_html, with_summary_keys
from .models import Category, Page, Post, Publication
from .navigation import sticky_post_pks
from .splicing import render_spliced


@require_safe
def post_detail(request, slug):
    post = get_object_or_404(
        Post.objects.visible_to(request.user).for_page(),
        slug=slug,
        kind=Post.Kind.POST,
    )
    context = {
        "post": post,
        "article": article_html(post),
        "navigation": navigation_html(post),
    }
    # The comments app's {% comment_thread %} splices its cached thread in.
    return render_spliced(request, "blog/post_detail.html", context)


class PostSummariesMixin:
    """
    A page of published posts, newest first, each shown by its cached summary
    (blog.fragments). The archives narrow posts() and name themselves in
    title().
    """

    template_name = "blog/post_list.html"
    http_method_names = ["get", "head"]

    def get_paginate_by(self, queryset):
        return settings.BLOG_POSTS_PER_PAGE

    def get_queryset(self):
        return with_summary_keys(self.posts())

    def posts(self):
        return Post.objects.listed()

    def title(self):
        return ""

    def summarized(self, context):
        """The posts of the page to show as summaries in the list."""
        return context["object_list"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summaries"] = summaries_html(self.summarized(context))
        context["title"] = self.title()
        return context


class PostListView(PostSummariesMixin, ListView):
    pass


class HomeView(PostListView):
    """The newest posts; on the first page, the sticky ones above them."""

    def summarized(self, context):
        posts = context["object_list"]
        sticky_pks = sticky_post_pks() if context["page_obj"].number == 1 else []
        if not sticky_pks:
            return posts
        sticky = with_summary_keys(Post.objects.filter(pk__in=sticky_pks))
        context["sticky_summaries"] = summaries_html(
            sorted(sticky, key=lambda post: sticky_pks.index(post.pk))
        )
        # Shown once, at the top, as WordPress does.
        return [post for post in posts if post.pk not in sticky_pks]


class PostsFiledUnderView(PostListView):
    """
    The posts filed under one thing the address names: a category, a tag, an
    author or a publication, given to the template as `context_name`.
    """

    filed_under_queryset = None  # the things that have such an archive
    lookup = "slug"  # its field, and the address's keyword for it
    posts_field = ""  # Post's relation to it
    title_format = ""  # str.format(), given the thing
    context_name = None
    feed_name = ""  # the route of its RSS feed; its Atom one ends "-atom"

    def posts(self):
        lookup = {self.lookup: self.kwargs[self.lookup]}
        self.filed_under = get_object_or_404(self.filed_under_queryset, **lookup)
        return super().posts().filter(**{self.posts_field: self.filed_under})

    def title(self):
        return self.title_format.format(self.filed_under)

    def get_context_data(self, **kwargs):
        if self.context_name:
            kwargs[self.context_name] = self.filed_under
        address = {self.lookup: getattr(self.filed_under, self.lookup)}
        kwargs["feeds"] = feed_links(self.title(), self.feed_name, **address)
        return super().get_context_data(**kwargs)


class CategoryArchiveView(PostsFiledUnderView):
    filed_under_queryset, posts_field = Category.objects.all(), "categories"
    context_name, feed_name = "category", "blog:category-feed"
    title_format = "Category Archives: {0.name}"


class TagArchiveView(PostsFiledUnderView):
    filed_under_queryset, posts_field = Tag.objects.all(), "tags"
    title_format, feed_name = "Posts Tagged ‘{0.name}’", "blog:tag-feed"


class AuthorArchiveView(PostsFiledUnderView):
    filed_under_queryset, posts_field = get_user_model().objects.public(), "author"
    lookup, context_name = "username", "author"
    title_format, feed_name = "Posts by {0.public_name}", "blog:author-feed"


class PublicationArchiveView(PostsFiledUnderView):
    filed_under_queryset, posts_field = Publication.objects.all(), "first_appeared_in"
    context_name, feed_name = "publication", "blog:publication-feed"
    title_format = "First appeared in {0.name_in_sentence}"


class PostYearArchiveView(PostSummariesMixin, YearArchiveView):
    date_field = "published_at"
    make_object_list = True
    # An empty year says so, as the other lists do, rather than 404.
    allow_empty = True

    def title(self):
        return f"Yearly Archives: {self.kwargs['year']}"

    def get_context_data(self, **kwargs):
        # date_list: the months of the year that have posts, each linked.
        context = super().get_context_data(**kwargs)
        return {**context, "archive_months": context["date_list"]}


class PostMonthArchiveView(PostSummariesMixin, MonthArchiveView):
    date_field = "published_at"
    month_format = "%m"
    allow_empty = True

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        # The days of the month that have posts: the page links none, so it
        # does not ask the database for them.
        return []

    def title(self):
        month = datetime.date(self.kwargs["year"], self.kwargs["month"], 1)
        return f"Monthly Archives: {date_format(month, 'F Y')}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(archive_year=self.kwargs["year"], **kwargs)


SEARCH_MAX_LENGTH = 200


class PostSearchView(PostListView):
    def get(self, request, *args, **kwargs):
        self.query = " ".join(request.GET.get("q", "").split())
        if len(self.query) > SEARCH_MAX_LENGTH:
            problem = f"Search for at most {SEARCH_MAX_LENGTH} characters."
            return render(request, "400.html", {"problems": [problem]}, status=400)
        return super().get(request, *args, **kwargs)

    def posts(self):
        if not self.query:
            return Post.objects.none()
        return super().posts().search(self.query)

    def title(self):
        return f"Search results for ‘{self.query}’" if self.query else "Search"

    def get_context_data(self, **kwargs):
        # is_search: post_list.html asks search engines not to index results.
        return super().get_context_data(query=self.query, is_search=True, **kwargs)


@require_safe
def page_detail(request, path):
    page = get_object_or_404(
        Page.objects.visible_to(request.user).for_page(), path=path
    )
    context = {
        "page": page,
        "ancestors": page.ancestors(),
        "subpages": list(
            Page.objects.published()
            .filter(parent=page)
            .only("title", "slug", "kind", "path", "summary")
        ),
    }
    # The comments app's {% comment_thread %} splices its thread in.
    return render_spliced(request, "blog/page_detail.html", context)
