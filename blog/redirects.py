"""
Requests for the addresses a site had before it moved here (OldAddress) are
sent on, for good, to what now stands there: a middleware, like
django.contrib.redirects' fallback, because the old addresses are any shape
(/2016/01/28/slug/, /archives/123) and only a 404 says no route took them.
WordPress's own query addresses (/?p=123) are answered first, as the home
page would otherwise answer them.
"""

from django.http import HttpResponsePermanentRedirect

from .models import OldAddress

# The parameters WordPress finds a post, page, category or tag by.
WORDPRESS_QUERIES = ("p", "page_id", "cat", "tag")


class OldAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        redirect = self.redirect(query_paths(request))
        if redirect is not None:
            return redirect
        response = self.get_response(request)
        if response.status_code == 404:
            return self.redirect(paths(request)) or response
        return response

    def redirect(self, paths):
        if not paths:
            return None
        address = (
            OldAddress.objects.filter(path__in=paths)
            .select_related("post", "category", "tag")
            .first()
        )
        if address is None:
            return None
        return HttpResponsePermanentRedirect(address.target_url())


def query_paths(request):
    """'/?p=123' for a request that names a post as WordPress does."""
    for name in WORDPRESS_QUERIES:
        value = request.GET.get(name)
        if value:
            path = request.path.removesuffix("index.php")
            return [f"{path}?{name}={value}"]
    return []


def paths(request):
    """The request's path, with and without its final slash."""
    path = request.path
    if "\x00" in path:  # in no address, and PostgreSQL refuses it in a query
        return []
    other = path.removesuffix("/") if path.endswith("/") else f"{path}/"
    return [path, other]
