"""The admin's "Export to WordPress (WXR)" action, on the posts and the pages."""

import io
import tempfile

from django.conf import settings
from django.contrib import admin
from django.http import FileResponse
from django.utils import timezone
from django.utils.text import slugify

from . import exporting


@admin.action(description="Export to WordPress (WXR)", permissions=["view"])
def export_wordpress(modeladmin, request, queryset):
    """
    The selected posts or pages, with their comments, as a WXR file to
    download. Written to a temporary file first and sent from there, so that
    a large selection is never held in memory and no query runs once the
    response has started.
    """
    file = tempfile.TemporaryFile()
    text = io.TextIOWrapper(file, encoding="utf-8")
    exporting.write(text, queryset)
    text.flush()
    text.detach()
    file.seek(0)
    site = slugify(settings.BLOG_SITE_NAME) or "site"
    return FileResponse(
        file,
        as_attachment=True,
        filename=f"{site}.wordpress.{timezone.localdate():%Y-%m-%d}.xml",
        content_type="application/rss+xml; charset=utf-8",
    )
