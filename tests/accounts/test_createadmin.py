import pytest
from django.core.management import call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_first_run_creates_an_administrator_and_prints_the_password_once(
    settings, capsys
):
    settings.DEBUG = True

    call_command("createadmin")
    first = capsys.readouterr().out
    call_command("createadmin")
    second = capsys.readouterr().out

    password = first.split("password: ")[1].split()[0]
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password)
    assert "already exists" in second and password not in second
