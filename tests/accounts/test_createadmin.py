import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from tests.config.test_settings import manage

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


def test_the_administrator_takes_the_address_from_the_environment(settings, capsys):
    settings.DEBUG = True
    settings.ACCOUNTS_ADMIN_EMAIL = "boss@example.org"

    call_command("createadmin")

    admin = User.objects.get(username="admin")
    assert admin.email == "boss@example.org"
    out = capsys.readouterr().out
    assert "email: boss@example.org" in out
    assert "reaches no one" not in out


def test_without_an_address_the_command_says_moderator_mail_reaches_no_one(
    settings, capsys
):
    settings.DEBUG = True
    settings.ACCOUNTS_ADMIN_EMAIL = ""

    call_command("createadmin")

    assert User.objects.get(username="admin").email == ""
    assert (
        "No administrator has an email address, so mail to moderators reaches no "
        "one. Give the admin account one at /admin/accounts/user/, or set "
        "DJANGO_ADMIN_EMAIL before the first `make run`."
    ) in " ".join(capsys.readouterr().out.split())


def test_an_existing_administrator_without_an_address_is_reminded(settings, capsys):
    settings.DEBUG = True
    settings.ACCOUNTS_ADMIN_EMAIL = ""
    call_command("createadmin")
    capsys.readouterr()

    call_command("createadmin")

    out = capsys.readouterr().out
    assert "already exists" in out
    assert "mail to moderators reaches no" in out


def test_an_address_that_is_not_one_is_refused(settings):
    settings.DEBUG = True
    settings.ACCOUNTS_ADMIN_EMAIL = "not an address"

    with pytest.raises(CommandError, match="DJANGO_ADMIN_EMAIL"):
        call_command("createadmin")

    assert not User.objects.exists()


def test_make_run_gives_the_administrator_the_address_in_the_environment(tmp_path):
    env = {"DJANGO_VAR_DIR": str(tmp_path), "DJANGO_ADMIN_EMAIL": "boss@example.org"}
    assert manage("migrate", "--noinput", env=env).returncode == 0

    result = manage("createadmin", env=env)

    assert result.returncode == 0, result.stderr
    assert "email: boss@example.org" in result.stdout
