from django.contrib.messages import get_messages
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import (
    add_never_cache_headers,
    has_vary_header,
    patch_cache_control,
)
from django.utils.http import split_directive_names


class PersonalResponseCacheControlMiddleware:
    """
    Tell browsers and shared caches which responses belong to one visitor.

    - A signed-in visitor's page (it shows their name, their held comments,
      their account) and a page showing flash messages (which may hold an
      email address) are never stored: Django's never-cache headers, which
      include `private, no-store`.
    - A response that sets a cookie is `private`. Cookie-based CSRF sends its
      cookie whenever the page used the form token (get_token's documented
      side effect), so a page embedding a per-visitor token is covered too; a
      shared cache must not hand out one visitor's token or Set-Cookie.

    Anything else keeps the headers its view chose: the post lists stay
    cacheable (with Vary: Cookie), and static files, media, feeds and the
    avatar placeholders keep their own freshness, even for signed-in
    visitors, because they do not depend on the cookies (no Vary: Cookie,
    which the session middleware adds whenever the visitor was looked up).

    It must sit above the session, CSRF, authentication and messages
    middleware in MIDDLEWARE, so that it sees the response after they have
    set their cookies and Vary headers and read the messages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A middleware that answered early (e.g. a rejected request) may
        # have stopped before the user or the messages were attached.
        user = getattr(request, "user", None)
        is_signed_in_page = (
            user is not None
            and has_vary_header(response, "Cookie")
            and user.is_authenticated
        )
        # "used" is set when the messages were iterated, as base.html does
        # only when there are some; it is the flag the messages framework
        # documents for keeping them.
        shows_messages = getattr(get_messages(request), "used", False)
        if is_signed_in_page or shows_messages:
            # Django's never-cache rather than only no-store: it also sets
            # Expires, the one header an HTTP/1.0 cache reads.
            add_never_cache_headers(response)
        elif response.cookies:
            patch_cache_control(response, private=True)
        return response


class SharedResponseConditionalGetMiddleware(ConditionalGetMiddleware):
    """
    Django's ConditionalGetMiddleware (an ETag made from the content, and 304
    for a request that repeats it) for responses that are the same for
    everyone. A response that sets a cookie or is private belongs to one
    visitor (a form token, their held comments): it gets no validator, which
    a browser or proxy could use to keep one person's copy.

    It must sit above PersonalResponseCacheControlMiddleware, so that it sees
    the Cache-Control that middleware sets.
    """

    def needs_etag(self, response):
        directives = split_directive_names(response.get("Cache-Control", ""))
        return (
            super().needs_etag(response)
            and not response.cookies
            and "private" not in directives
        )
