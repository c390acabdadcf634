from django.urls import path
from django.views.decorators.http import require_safe

from accounts import converters  # noqa: F401 (registers <name:>)

from . import views
from .feeds import LatestPostsAtomFeed, LatestPostsFeed

app_name = "blog"

urlpatterns = [
    path("", views.PostListView.as_view(), name="post-list"),
    path("search/", views.PostSearchView.as_view(), name="post-search"),
    path("feed/", require_safe(LatestPostsFeed()), name="post-feed"),
    path("feed/atom/", require_safe(LatestPostsAtomFeed()), name="post-feed-atom"),
    path("posts/<slug:slug>/", views.post_detail, name="post-detail"),
    path(
        "category/<slug:slug>/",
        views.CategoryArchiveView.as_view(),
        name="category-archive",
    ),
    path("tag/<name:slug>/", views.TagArchiveView.as_view(), name="tag-archive"),
    path(
        "author/<name:username>/",
        views.AuthorArchiveView.as_view(),
        name="author-archive",
    ),
    path(
        "first-appeared-in/<slug:slug>/",
        views.PublicationArchiveView.as_view(),
        name="publication-archive",
    ),
    path("<int:year>/", views.PostYearArchiveView.as_view(), name="archive-year"),
    path(
        "<int:year>/<int:month>/",
        views.PostMonthArchiveView.as_view(),
        name="archive-month",
    ),
]
