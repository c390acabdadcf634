"""
Where files are kept (the STORAGES setting). Uploads and the renditions made
of them go to this host's disk by default; a site on several hosts keeps
them in S3-compatible object storage that all hosts share, with
DJANGO_STORAGE_BACKEND=s3 and django-storages (pip install '.[s3]').
"""

import importlib.util
import os

from django.core.exceptions import ImproperlyConfigured

# django-storages' S3Storage options, each read from the environment variable
# named as django-storages' own setting for it. Unset, its default applies
# (for the keys, boto3's: the instance's role, ~/.aws, …).
S3_OPTIONS = {
    "bucket_name": "AWS_STORAGE_BUCKET_NAME",
    "endpoint_url": "AWS_S3_ENDPOINT_URL",
    "region_name": "AWS_S3_REGION_NAME",
    "custom_domain": "AWS_S3_CUSTOM_DOMAIN",
    "access_key": "AWS_ACCESS_KEY_ID",
    "secret_key": "AWS_SECRET_ACCESS_KEY",
    "location": "AWS_LOCATION",
}


def storages(*, debug):
    return {
        "default": default_storage(),
        "staticfiles": {
            "BACKEND": (
                "django.contrib.staticfiles.storage.StaticFilesStorage"
                if debug
                else "whitenoise.storage.CompressedManifestStaticFilesStorage"
            )
        },
    }


def default_storage():
    backend = os.environ.get("DJANGO_STORAGE_BACKEND", "") or "filesystem"
    if backend == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if backend != "s3":
        raise ImproperlyConfigured(
            f"DJANGO_STORAGE_BACKEND must be filesystem or s3, not {backend!r}."
        )
    if importlib.util.find_spec("storages") is None:
        raise ImproperlyConfigured(
            "DJANGO_STORAGE_BACKEND=s3 needs django-storages: pip install '.[s3]'."
        )
    options = {
        option: os.environ[variable]
        for option, variable in S3_OPTIONS.items()
        if os.environ.get(variable)
    }
    if "bucket_name" not in options:
        raise ImproperlyConfigured(
            "DJANGO_STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME, the bucket "
            "that holds the uploads."
        )
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            # As on disk: a second photo.jpg gets a name of its own instead
            # of replacing the first.
            "file_overwrite": False,
            # Plain URLs, not signed ones: signed URLs expire, and pages and
            # the HTML cached for them (a day) outlive them.
            "querystring_auth": False,
            **options,
        },
    }
