from django.conf import settings


def site(request):
    """
    The site's name and tagline, shown by base.html on every page, and its
    address, which absolute links (canonical, feeds) start with.
    """
    return {
        "site_url": settings.BLOG_SITE_URL,
        "site_name": settings.BLOG_SITE_NAME,
        "site_tagline": settings.BLOG_SITE_TAGLINE,
    }
