from datetime import timedelta

from django.core.management.base import BaseCommand

from awards import services


class Command(BaseCommand):
    help = "Re-send pending awards to the workers (for example after a broker outage)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-minutes", type=int, default=5)

    def handle(self, *args, older_than_minutes, **options):
        count = services.dispatch_pending(timedelta(minutes=older_than_minutes))
        self.stdout.write(f"Re-sent {count} pending award(s).")
