from datetime import timedelta

from django.core.management.base import BaseCommand

from awards import services


class Command(BaseCommand):
    help = (
        "Re-send pending awards to the workers (for example after a broker outage) and re-queue the PDF "
        "certificates of issued awards that have none (for example after a worker was killed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than-minutes", type=int, default=5)

    def handle(self, *args, older_than_minutes, **options):
        older_than = timedelta(minutes=older_than_minutes)
        awards = services.dispatch_pending(older_than)
        certificates = services.dispatch_missing_certificates(older_than)
        self.stdout.write(f"Re-sent {awards} pending award(s); re-queued {certificates} missing certificate(s).")
