import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """These tests set and check many passwords; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
