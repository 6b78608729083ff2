from django.core.management.base import BaseCommand, CommandError

from awards import keys
from awards.models import SigningKey


class Command(BaseCommand):
    help = "Manage the issuer's Ed25519 signing keys: list, generate (or rotate), mark one compromised."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="List keys and their status.")
        sub.add_parser("generate", help="Create a key and make it active; the current active key is retired.")
        sub.add_parser("rotate", help="Same as generate.")
        compromised = sub.add_parser("compromise", help="Remove a key from the DID document and list its awards.")
        compromised.add_argument("key_id")

    def handle(self, *args, action, **options):
        if action == "list":
            for key in SigningKey.objects.order_by("created_at"):
                self.stdout.write(f"{key.key_id}  {key.status:<11}  {key.public_key_multibase}")
        elif action in ("generate", "rotate"):
            key = keys.generate_key()
            self.stdout.write(self.style.SUCCESS(f"Active key: {keys.verification_method(key)}"))
        else:
            key = SigningKey.objects.filter(key_id=options["key_id"]).first()
            if key is None:
                raise CommandError(f"No key {options['key_id']}.")
            affected = list(keys.mark_compromised(key))
            self.stdout.write(
                self.style.WARNING(f"{key.key_id} removed; {len(affected)} credential(s) signed with it:")
            )
            for award in affected:
                self.stdout.write(f"  {award.pk}  {award}")
