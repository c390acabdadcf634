import pytest
from django.conf import settings
from django.core.management import call_command

SEED_FIXTURES = sorted((settings.BASE_DIR / "fixtures").glob("seed-*.json"))


@pytest.fixture
def seed(db):
    """The site's seed content, loaded as `loadseed` loads it."""
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)
