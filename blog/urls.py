from django.urls import path
from django.views.decorators.http import require_safe

from accounts import converters  # noqa: F401 (registers <name:>)

from . import views
from .feeds import LatestPostsAtomFeed, LatestPostsFeed

app_name = "blog"

urlpatterns = [
    path("", views.post_list, name="post-list"),
    path("search/", views.post_search, name="post-search"),
    path("feed/", require_safe(LatestPostsFeed()), name="post-feed"),
    path("feed/atom/", require_safe(LatestPostsAtomFeed()), name="post-feed-atom"),
    path("posts/<slug:slug>/", views.post_detail, name="post-detail"),
    path("category/<slug:slug>/", views.category_archive, name="category-archive"),
    path("tag/<name:slug>/", views.tag_archive, name="tag-archive"),
    path("author/<name:username>/", views.author_archive, name="author-archive"),
    path(
        "first-appeared-in/<slug:slug>/",
        views.publication_archive,
        name="publication-archive",
    ),
    path("<int:year>/", views.year_archive, name="archive-year"),
    path("<int:year>/<int:month>/", views.month_archive, name="archive-month"),
]
