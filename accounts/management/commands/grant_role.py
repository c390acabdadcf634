from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from accounts.roles import registry
from accounts.services import user_role_set


class Command(BaseCommand):
    help = (
        "Make a person an editor or a moderator (or, with --revoke, no longer one). "
        "Anyone holding a staff role may use the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("person", help="The person's username or email address.")
        parser.add_argument("role", help=f"One of: {', '.join(registry)}.")
        parser.add_argument(
            "--revoke", action="store_true", help="Take the role away instead."
        )

    def handle(self, *args, person, role, revoke, **options):
        if role not in registry:
            raise CommandError(
                f"Unknown role {role!r}; choose one of: {', '.join(registry)}."
            )
        group_name = registry[role].group_name
        if not Group.objects.filter(name=group_name).exists():
            raise CommandError(
                f"The {group_name!r} group does not exist; run "
                "'manage.py migrate' first."
            )
        user = self.find_user(person)
        user_role_set(user=user, role=registry[role], granted=not revoke)
        verb = "is no longer" if revoke else "is now"
        article = "an" if role[0] in "aeiou" else "a"
        message = f"{user.username} {verb} {article} {role}."
        if not user.is_staff:
            message += " They hold no staff role now and cannot use the admin."
        self.stdout.write(self.style.SUCCESS(message))

    def find_user(self, person):
        User = get_user_model()
        user = (
            User.objects.filter(username=person).first()
            or User.objects.filter(email__iexact=person).first()
        )
        if user is None:
            raise CommandError(f"No account has the username or email {person!r}.")
        return user
