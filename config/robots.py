from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe


def url_folder(name, **kwargs):
    """The folder a named URL is in: /accounts/ for accounts:login."""
    return reverse(name, kwargs=kwargs).rsplit("/", 2)[0] + "/"


@require_safe
def robots_txt(request):
    """What crawlers should skip: pages for one visitor, and forms."""
    disallow = [
        reverse("blog:post-search"),
        reverse("admin:index"),
        url_folder("accounts:login"),
        url_folder("comments:comment-mine"),
        # Every post's reply-form pages, which each comment links to.
        reverse("comments:comment-create", kwargs={"slug": "-"}).replace("/-/", "/*/"),
    ]
    # The public profiles, in the accounts folder, stay open to crawlers.
    allow = [url_folder("accounts:profile-detail", username="-")]
    context = {"disallow": disallow, "allow": allow}
    return render(request, "robots.txt", context, content_type="text/plain")
