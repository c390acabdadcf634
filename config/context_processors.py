from django.conf import settings


def site(request):
    """The site's name and tagline, shown by base.html on every page."""
    return {
        "site_name": settings.BLOG_SITE_NAME,
        "site_tagline": settings.BLOG_SITE_TAGLINE,
    }
