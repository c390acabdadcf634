import pytest
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import builders


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads made by a test land in its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


IMMEDIATE_TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
}


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """
    Tasks (mail) run as they are enqueued, so that a test reads the outbox
    after the request; the tests of the database worker (tests/comments/
    test_mail_worker.py) put the site's own backend back.
    """
    settings.TASKS = IMMEDIATE_TASKS


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


@pytest.fixture
def migrate_to(transactional_db):
    """
    Move the test database to the migrations given and return the models
    as they were there; afterwards, bring it back to the latest migrations,
    which the next test's database is expected to have.
    """

    def migrate(targets):
        executor = MigrationExecutor(connection)
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    yield migrate
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
