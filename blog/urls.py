from django.urls import path
from django.views.decorators.http import require_safe

from accounts import converters  # noqa: F401 (registers <name:>)

from . import converters as blog_converters  # noqa: F401 (registers <page_path:>)
from . import views
from .feeds import (
    AuthorAtomFeed,
    AuthorFeed,
    CategoryAtomFeed,
    CategoryFeed,
    LatestPostsAtomFeed,
    LatestPostsFeed,
    PublicationAtomFeed,
    PublicationFeed,
    TagAtomFeed,
    TagFeed,
)

app_name = "blog"

urlpatterns = [
    path("", views.HomeView.as_view(), name="post-list"),
    path("search/", views.PostSearchView.as_view(), name="post-search"),
    path("feed/", require_safe(LatestPostsFeed()), name="post-feed"),
    path("feed/atom/", require_safe(LatestPostsAtomFeed()), name="post-feed-atom"),
    path("posts/<slug:slug>/", views.post_detail, name="post-detail"),
    path(
        "category/<slug:slug>/",
        views.CategoryArchiveView.as_view(),
        name="category-archive",
    ),
    path(
        "category/<slug:slug>/feed/",
        require_safe(CategoryFeed()),
        name="category-feed",
    ),
    path(
        "category/<slug:slug>/feed/atom/",
        require_safe(CategoryAtomFeed()),
        name="category-feed-atom",
    ),
    path("tag/<name:slug>/", views.TagArchiveView.as_view(), name="tag-archive"),
    path("tag/<name:slug>/feed/", require_safe(TagFeed()), name="tag-feed"),
    path(
        "tag/<name:slug>/feed/atom/",
        require_safe(TagAtomFeed()),
        name="tag-feed-atom",
    ),
    path(
        "author/<name:username>/",
        views.AuthorArchiveView.as_view(),
        name="author-archive",
    ),
    path(
        "author/<name:username>/feed/",
        require_safe(AuthorFeed()),
        name="author-feed",
    ),
    path(
        "author/<name:username>/feed/atom/",
        require_safe(AuthorAtomFeed()),
        name="author-feed-atom",
    ),
    path(
        "first-appeared-in/<slug:slug>/",
        views.PublicationArchiveView.as_view(),
        name="publication-archive",
    ),
    path(
        "first-appeared-in/<slug:slug>/feed/",
        require_safe(PublicationFeed()),
        name="publication-feed",
    ),
    path(
        "first-appeared-in/<slug:slug>/feed/atom/",
        require_safe(PublicationAtomFeed()),
        name="publication-feed-atom",
    ),
    path("<int:year>/", views.PostYearArchiveView.as_view(), name="archive-year"),
    path(
        "<int:year>/<int:month>/",
        views.PostMonthArchiveView.as_view(),
        name="archive-month",
    ),
    # Last: a page's address is whatever no route above answers
    # (Page.clean_address refuses the others).
    path("<page_path:path>/", views.page_detail, name="page-detail"),
]
