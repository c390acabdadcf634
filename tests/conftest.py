import pytest

from tests import builders


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads made by a test land in its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def editor(db):
    return builders.make_editor()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
