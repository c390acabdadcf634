import pytest
from django.core.cache import cache

from tests import builders


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads made by a test land in its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached, as on a freshly started site."""
    cache.clear()


@pytest.fixture
def editor(db):
    return builders.make_editor()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def quick_forms(settings):
    """Forms may be sent at once, logins are cheap, and no limit carries over."""
    settings.COMMENTS_MIN_SECONDS = 0
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()
