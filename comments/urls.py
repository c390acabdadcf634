from django.urls import path
from django.views.decorators.http import require_safe

from . import data_views, subscription_views, views
from .feeds import (
    CommentsAtomFeed,
    CommentsFeed,
    PostCommentsAtomFeed,
    PostCommentsFeed,
)

app_name = "comments"

urlpatterns = [
    path("posts/<slug:slug>/comments/", views.comment_create, name="comment-create"),
    path(
        "posts/<slug:slug>/comments/<int:pk>/reply/",
        views.comment_reply,
        name="comment-reply",
    ),
    path(
        "posts/<slug:slug>/comments/<int:pk>/edit/",
        views.comment_edit,
        name="comment-edit",
    ),
    path(
        "posts/<slug:slug>/comments/<int:pk>/delete/",
        views.comment_delete,
        name="comment-delete",
    ),
    path(
        "posts/<slug:slug>/follow/",
        subscription_views.post_follow,
        name="post-follow",
    ),
    path(
        "posts/<slug:slug>/unfollow/",
        subscription_views.post_unfollow,
        name="post-unfollow",
    ),
    path(
        "posts/<slug:slug>/comments/feed/",
        require_safe(PostCommentsFeed()),
        name="post-comments-feed",
    ),
    path(
        "posts/<slug:slug>/comments/feed/atom/",
        require_safe(PostCommentsAtomFeed()),
        name="post-comments-feed-atom",
    ),
    path("comments/feed/", require_safe(CommentsFeed()), name="comment-feed"),
    path(
        "comments/feed/atom/",
        require_safe(CommentsAtomFeed()),
        name="comment-feed-atom",
    ),
    path("comments/mine/", views.comment_mine, name="comment-mine"),
    path(
        "comments/unsubscribe/<str:token>/",
        views.subscription_delete,
        name="subscription-delete",
    ),
    path(
        "comments/stop/<str:token>/",
        subscription_views.thread_unsubscribe,
        name="thread-unsubscribe",
    ),
    path(
        "comments/follow/<str:token>/",
        subscription_views.follow_confirm,
        name="follow-confirm",
    ),
    path(
        "comments/subscriptions/",
        subscription_views.subscriptions_mine,
        name="subscriptions-mine",
    ),
    path(
        "comments/subscriptions/<str:token>/",
        subscription_views.subscriptions_by_mail,
        name="subscriptions-by-mail",
    ),
    path("comments/your-data/", data_views.data_request, name="data-request"),
    path("comments/your-data/<str:token>/", data_views.data, name="data"),
    path(
        "comments/your-data/<str:token>/download/",
        data_views.data_download,
        name="data-download",
    ),
    path(
        "comments/confirm-address/<str:token>/",
        views.address_confirm,
        name="address-confirm",
    ),
]
