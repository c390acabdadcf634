from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from blog import sitemaps

from .media import serve_media
from .robots import robots_txt

handler400 = "config.http_errors.bad_request"

# Every admin page names the site, never "Django administration".
admin.site.site_header = settings.BLOG_SITE_NAME
admin.site.site_title = f"{settings.BLOG_SITE_NAME} admin"
admin.site.index_title = f"{settings.BLOG_SITE_NAME} administration"


urlpatterns = [
    path("robots.txt", robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path(
        "sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap-section"
    ),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("comments.urls")),
    # Last: blog ends with the standalone pages' catch-all, /<path>/.
    path("", include("blog.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve_media,
        ),
    ]
