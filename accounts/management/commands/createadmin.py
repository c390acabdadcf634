import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "On a development setup with no administrator yet, create one named "
        "'admin' with a random password and print the password once. In "
        "production mode it does nothing."
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
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An administrator already exists; nothing to do.")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(
            username="admin", email="", password=password, display_name="Administrator"
        )
        self.stdout.write(
            self.style.SUCCESS(
                "Created the administrator account. It is shown only this once:\n"
                f"  username: admin\n  password: {password}\n"
                "Log in at /admin/ and change the password."
            )
        )
