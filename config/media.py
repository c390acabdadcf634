from django.conf import settings
from django.views.static import serve


def serve_media(request, path):
    """Uploaded files, for setups with nothing else in front to serve them."""
    # MEDIA_ROOT is read per request, not when the URLs load, so a changed
    # setting (as in tests) is followed.
    return serve(request, path, document_root=settings.MEDIA_ROOT)
