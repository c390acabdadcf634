"""
What feed readers and crawlers poll (the feeds, the sitemap), most of the
time for nothing new: answered from a version read first, before anything
is rendered. A client that has that version gets 304 Not Modified; another
gets the body rendered once per version and then kept in the cache.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.http import http_date

POLLED_SECONDS = 60 * 60 * 24


def polled_response(request, *, name, version, last_modified, render, content_type):
    """
    The response for `name` as of `version` (anything whose change changes
    it, as a repr()) and `last_modified` (a datetime or None): 304 for a
    client that has it, else render()'s bytes or text, made once.
    """
    digest = hashlib.md5(
        repr((name, settings.BLOG_SITE_URL, version)).encode(), usedforsecurity=False
    ).hexdigest()
    etag = quote_etag(digest)
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        key = f"polled:{name}:{digest}"
        content = cache.get(key)
        if content is None:
            content = render()
            cache.set(key, content, POLLED_SECONDS)
        response = HttpResponse(content, content_type=content_type)
    response.headers["ETag"] = etag
    if timestamp is not None:
        response.headers["Last-Modified"] = http_date(timestamp)
    return response
