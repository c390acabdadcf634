"""Where uploads are kept, as the environment chooses (config/storage.py)."""

import importlib.util

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.storage import default_storage
from tests.config.test_settings import manage

S3 = {
    "DJANGO_STORAGE_BACKEND": "s3",
    "AWS_STORAGE_BUCKET_NAME": "blog-media",
    "AWS_S3_ENDPOINT_URL": "https://objects.example.org",
    "AWS_S3_REGION_NAME": "eu-west-2",
    "AWS_S3_CUSTOM_DOMAIN": "media.example.org",
    "AWS_ACCESS_KEY_ID": "key-id",
    "AWS_SECRET_ACCESS_KEY": "secret",
}


@pytest.fixture
def storages_installed(monkeypatch):
    """As if the s3 extra were installed: the tests need no boto3."""
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: object() if name == "storages" else find_spec(name, *args),
    )


def test_uploads_stay_on_disk_by_default(monkeypatch):
    monkeypatch.delenv("DJANGO_STORAGE_BACKEND", raising=False)

    assert default_storage() == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }


def test_s3_storage_takes_django_storages_settings_from_the_environment(
    monkeypatch, storages_installed
):
    for name, value in S3.items():
        monkeypatch.setenv(name, value)

    assert default_storage() == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "file_overwrite": False,
            "querystring_auth": False,
            "bucket_name": "blog-media",
            "endpoint_url": "https://objects.example.org",
            "region_name": "eu-west-2",
            "custom_domain": "media.example.org",
            "access_key": "key-id",
            "secret_key": "secret",
        },
    }


def test_s3_storage_needs_a_bucket(monkeypatch, storages_installed):
    monkeypatch.setenv("DJANGO_STORAGE_BACKEND", "s3")
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)

    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        default_storage()


def test_an_unknown_storage_backend_is_named_in_the_error(monkeypatch):
    monkeypatch.setenv("DJANGO_STORAGE_BACKEND", "ftp")

    with pytest.raises(ImproperlyConfigured, match="filesystem or s3, not 'ftp'"):
        default_storage()


def test_s3_storage_without_the_extra_says_what_to_install(tmp_path):
    if importlib.util.find_spec("storages"):
        pytest.skip("django-storages is installed here.")

    result = manage("check", env={**S3, "DJANGO_VAR_DIR": str(tmp_path)})

    assert result.returncode != 0
    assert "pip install '.[s3]'" in result.stderr
