from django.conf import settings


class ForwardedForMiddleware:
    """
    Behind DJANGO_TRUSTED_PROXY_COUNT reverse proxies, take the client's
    address from X-Forwarded-For into REMOTE_ADDR.

    Login throttling, the comment rate limit and the addresses moderators see
    all read REMOTE_ADDR; without this, behind a proxy every visitor would
    share the proxy's address. Only the entries the trusted proxies appended
    are believed: anything further left was written by the client.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.proxy_count = settings.TRUSTED_PROXY_COUNT

    def __call__(self, request):
        if self.proxy_count:
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
            addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
            if len(addresses) >= self.proxy_count:
                request.META["REMOTE_ADDR"] = addresses[-self.proxy_count]
        return self.get_response(request)
