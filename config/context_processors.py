from django.conf import settings


def site(request):
    """
    The site's name and tagline, shown by base.html on every page, and its
    address, which absolute links (canonical, feeds) start with.

    Not `site_name`: Django's LoginView and LogoutView put the request's host
    in the context under that name, over whatever a context processor gave.
    """
    return {
        "site_url": settings.BLOG_SITE_URL,
        "blog_name": settings.BLOG_SITE_NAME,
        "site_tagline": settings.BLOG_SITE_TAGLINE,
    }
