import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, render
from django.utils.formats import date_format
from django.views.decorators.http import require_safe
from django.views.generic import ListView
from django.views.generic.dates import MonthArchiveView, YearArchiveView
from taggit.models import Tag

from .fragments import article_html, summaries_html, with_summary_keys
from .models import Category, Post, Publication
from .splicing import render_spliced


@require_safe
def post_detail(request, slug):
    post = get_object_or_404(
        Post.objects.visible_to(request.user).for_page(), slug=slug
    )
    context = {"post": post, "article": article_html(post)}
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
        return Post.objects.published()

    def title(self):
        return ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summaries"] = summaries_html(context["object_list"])
        context["title"] = self.title()
        return context


class PostListView(PostSummariesMixin, ListView):
    pass


class CategoryArchiveView(PostListView):
    def posts(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().posts().filter(categories=self.category)

    def title(self):
        return f"Category Archives: {self.category.name}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


class TagArchiveView(PostListView):
    def posts(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().posts().filter(tags=self.tag)

    def title(self):
        return f"Posts Tagged ‘{self.tag.name}’"


class AuthorArchiveView(PostListView):
    def posts(self):
        self.author = get_object_or_404(
            get_user_model(), username=self.kwargs["username"]
        )
        return super().posts().filter(author=self.author)

    def title(self):
        return f"Posts by {self.author.public_name}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class PublicationArchiveView(PostListView):
    def posts(self):
        self.publication = get_object_or_404(Publication, slug=self.kwargs["slug"])
        return super().posts().filter(first_appeared_in=self.publication)

    def title(self):
        return f"First appeared in {self.publication.name_in_sentence}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(publication=self.publication, **kwargs)


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
        return super().get_context_data(query=self.query, **kwargs)
