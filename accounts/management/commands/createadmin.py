import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

NO_ADDRESS = (
    "No administrator has an email address, so mail to moderators reaches no "
    "one.\nGive the admin account one at /admin/accounts/user/, or set "
    "DJANGO_ADMIN_EMAIL before the first `make run`."
)


class Command(BaseCommand):
    help = (
        "On a development setup with no administrator yet, create one named "
        "'admin' with a random password and print the password once; its "
        "email address is DJANGO_ADMIN_EMAIL, if set. In production mode it "
        "does nothing."
    )

    def handle(self, *args, **options):
        # `make run` calls this on every start, production mode included,
        # where a printed password must never exist.
        if not settings.DEBUG:
            self.stdout.write(
                "Production mode (DJANGO_DEBUG off): no administrator created; "
                "use 'manage.py createsuperuser'."
            )
            return
        User = get_user_model()
        administrators = User.objects.filter(is_superuser=True)
        if administrators.exists():
            self.stdout.write("An administrator already exists; nothing to do.")
            if not administrators.exclude(email="").exists():
                self.stdout.write(self.style.WARNING(NO_ADDRESS))
            return
        email = admin_email()
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(
            username="admin",
            email=email,
            password=password,
            display_name="Administrator",
            # The operator gave the address, not a visitor: nothing to confirm.
            is_email_verified=bool(email),
        )
        self.stdout.write(
            self.style.SUCCESS(
                "Created the administrator account. It is shown only this once:\n"
                f"  username: admin\n  password: {password}\n"
                f"  email: {email or '(none)'}\n"
                "Log in at /admin/ and change the password."
            )
        )
        if not email:
            self.stdout.write(self.style.WARNING(NO_ADDRESS))


def admin_email():
    """The address in DJANGO_ADMIN_EMAIL, or '' when none is set."""
    email = settings.ACCOUNTS_ADMIN_EMAIL.strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise CommandError(
            f"DJANGO_ADMIN_EMAIL is {email!r}, which is not an email address."
        ) from None
    return email
