"""
Readers' mail about comments: following a post, the links mailed to start
and stop it, and the page that lists what a reader gets mail about.

A mailed link's signed token is what authorises its change, not a cookie:
anyone can type anyone's address, so a guest's following starts only from
the link mailed to the address. A GET of a mailed link changes nothing
(mail scanners open links); its page has the button.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from blog.models import Post

from . import notifications, services
from .forms import AddressForm
from .models import Comment, Subscription
from .moderation import is_open_for_comments, is_rate_limited
from .views import bad_request, too_many_requests

# The posts a reader's own posts add to their list, newest first.
OWN_POSTS_LISTED = 50


@require_POST
def post_follow(request, slug):
    """Follow a post's new comments: an account at once, a guest by mail."""
    post = get_object_or_404(Post.objects.published(), slug=slug)
    if not is_open_for_comments(post):
        return bad_request(request, "Comments are closed on this post.")
    if is_rate_limited(request.META.get("REMOTE_ADDR")):
        return too_many_requests(request)
    back = post.get_absolute_url() + "#comments"
    if request.user.is_authenticated:
        services.post_follow(post=post, user=request.user)
        text = "You will get mail about new comments on this post."
        if not request.user.is_email_verified:
            text += " It starts once you confirm your address."
        messages.success(request, text)
        return redirect(back)
    form = AddressForm(request.POST)
    if not form.is_valid():
        return bad_request(request, *form.errors["email"])
    email = form.cleaned_data["email"]
    services.post_follow(post=post, email=email)
    # The same answer whether or not the address follows already.
    messages.info(
        request, f"To start the mail, follow the link we have sent to {email}."
    )
    return redirect(back)


@require_POST
def post_unfollow(request, slug):
    """A signed-in reader stops the mail about a post's comments."""
    post = get_object_or_404(Post.objects.published(), slug=slug)
    if request.user.is_authenticated:
        services.thread_unsubscribe(post=post, user=request.user)
        messages.success(request, "You will get no more mail about this post.")
    return redirect(post.get_absolute_url() + "#comments")


@require_http_methods(["GET", "HEAD", "POST"])
def follow_confirm(request, token):
    data = notifications.signed_value(
        token,
        salt=notifications.FOLLOW_SALT,
        max_age=settings.COMMENTS_CONFIRMATION_MAX_AGE,
    )
    subscription = None
    if data:
        subscription = (
            Subscription.objects.select_related("post")
            .filter(pk=data.get("subscription"), email__iexact=data.get("email", ""))
            .first()
        )
    if subscription is None:
        return bad_request(
            request,
            "This link is not valid or has expired. Ask to follow the post again "
            "for a new one.",
        )
    if request.method == "POST":
        services.follow_confirm(subscription=subscription)
    is_done = subscription.is_active and subscription.confirmed_at is not None
    return render(
        request,
        "comments/follow_confirm.html",
        {"subscription": subscription, "post": subscription.post, "is_done": is_done},
    )


# Mail programs send the one-click POST (RFC 8058) without a CSRF token.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def thread_unsubscribe(request, token):
    """Stop all mail to an address about one post's comments."""
    data = notifications.signed_value(token, salt=notifications.THREAD_UNSUBSCRIBE_SALT)
    post = Post.objects.filter(pk=(data or {}).get("post")).first() if data else None
    if post is None or not isinstance(data.get("email"), str):
        return bad_request(request, "This unsubscribe link is not valid.")
    if request.method == "POST":
        services.thread_unsubscribe(post=post, email=data["email"])
    return render(
        request,
        "comments/thread_unsubscribe.html",
        {"post": post, "is_done": request.method == "POST"},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def subscriptions_mine(request):
    """What a signed-in reader gets mail about, each with a Stop button."""
    return subscriptions_page(request, request.user.email, user=request.user)


@require_http_methods(["GET", "HEAD", "POST"])
def subscriptions_by_mail(request, token):
    """The same list for an address, reached from the link in every mail."""
    data = notifications.signed_value(token, salt=notifications.SUBSCRIPTIONS_SALT)
    if not data or not isinstance(data.get("email"), str):
        return bad_request(request, "This link is not valid.")
    return subscriptions_page(request, data["email"])


def subscriptions_page(request, email, user=None):
    if request.method == "POST":
        chosen = request.POST.get("post", "")
        post = None
        if chosen.isdigit() and len(chosen) <= 18:
            post = Post.objects.filter(pk=chosen).first()
        if post is None:
            return bad_request(request, "That post does not exist.")
        services.thread_unsubscribe(post=post, email=email, user=user)
        messages.success(request, f"You will get no more mail about “{post.title}”.")
        return redirect(request.path)
    context = {"email": email, "posts": mailed_posts(email, user=user)}
    return render(request, "comments/subscriptions.html", context)


def mailed_posts(email, user=None):
    """
    The posts whose comments are mailed to `email`, newest first, each with
    why: followed, replies to the reader's comments, or the reader's own.
    """
    reasons = {}
    reader = Q(user=user) if user is not None else Q(pk__in=[])
    if email:
        reader |= Q(email__iexact=email)
    followed = Subscription.objects.mailed().filter(reader)
    for post_id in followed.values_list("post", flat=True):
        reasons.setdefault(post_id, []).append("You follow it")
    own_comments = (
        Q(user=user) if user else Q(user__isnull=True, author_email__iexact=email)
    )
    answered = Comment.objects.filter(own_comments, is_subscribed_to_replies=True)
    for post_id in answered.values_list("post", flat=True).distinct():
        reasons.setdefault(post_id, []).append("Replies to your comments")
    if user is not None:
        stopped = Subscription.objects.filter(user=user, is_active=False).values("post")
        written = (
            Post.objects.published()
            .filter(author=user)
            .exclude(pk__in=stopped)
            .values_list("pk", flat=True)[:OWN_POSTS_LISTED]
        )
        for post_id in written:
            reasons.setdefault(post_id, []).append("You wrote it")
    posts = Post.objects.filter(pk__in=reasons).only("pk", "title", "slug", "kind")
    return [(post, reasons[post.pk]) for post in posts.order_by("-published_at")]
