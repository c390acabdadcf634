from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from .media import serve_media

handler400 = "config.http_errors.bad_request"

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
