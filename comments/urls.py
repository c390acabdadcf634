from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("posts/<slug:slug>/comments/", views.comment_create, name="comment-create"),
    path(
        "posts/<slug:slug>/comments/<int:pk>/reply/",
        views.comment_reply,
        name="comment-reply",
    ),
    path("comments/mine/", views.comment_mine, name="comment-mine"),
    path(
        "comments/unsubscribe/<str:token>/",
        views.subscription_delete,
        name="subscription-delete",
    ),
    path(
        "comments/confirm-address/<str:token>/",
        views.address_confirm,
        name="address-confirm",
    ),
]
