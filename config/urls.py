from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from .media import serve_media

handler400 = "config.http_errors.bad_request"

# Every admin page names the site, never "Django administration".
admin.site.site_header = settings.BLOG_SITE_NAME
admin.site.site_title = f"{settings.BLOG_SITE_NAME} admin"
admin.site.index_title = f"{settings.BLOG_SITE_NAME} administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("blog.urls")),
    path("", include("comments.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve_media,
        ),
    ]
