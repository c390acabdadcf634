from django.core.management.base import BaseCommand

from comments.bans import bans_end_expired


class Command(BaseCommand):
    help = (
        "End the bans whose end date has passed, showing again the comments "
        "they hid. Run it every few minutes (cron, a systemd timer)."
    )

    def handle(self, *args, **options):
        ended = bans_end_expired()
        self.stdout.write(f"Ended {ended} expired ban(s).")
