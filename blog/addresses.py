from urllib.parse import urljoin

from django.conf import settings


def absolute(url):
    """
    `url` (a path, or an address already absolute, as object storage gives)
    on the site readers use. Every address the site gives out to be stored
    (feeds, sitemap, canonical and preview links) is built from BLOG_SITE_URL:
    Django's default, the request's Host header, would let a request to
    another allowed host or port decide it.
    """
    return urljoin(settings.BLOG_SITE_URL, url)
