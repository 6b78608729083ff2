from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from awards import keys
from config.roles import PROGRAM_APPROVER, REGISTRAR
from demo import catalog_data, guidance_data, learner_data, quality_data, recognition_data

DEMO_USERS = [
    # email, password, staff groups
    ("registrar@demo.northbridge.example.edu", "registrar-demo", [REGISTRAR]),
    ("approver@demo.northbridge.example.edu", "approver-demo", [PROGRAM_APPROVER]),
    ("learner@demo.northbridge.example.edu", "learner-demo", []),
    ("hiring@demo.employer.example", "employer-demo", []),
]

API_KEY_LINE = "  Partner API key    "


class Command(BaseCommand):
    help = "Load (or refresh) the demo institution, catalog, learners, results and logins. Safe to run repeatedly."

    def add_arguments(self, parser):
        parser.add_argument("--allow-production", action="store_true", help="Load demo data even when DEBUG is off.")
        parser.add_argument(
            "--summary-file", type=Path, help="Also write the logins (and the API key) to this file, for later."
        )

    def handle(self, *args, allow_production=False, summary_file=None, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("Refusing to load demo data with DEBUG off; pass --allow-production to insist.")
        with transaction.atomic():
            users = {email: _demo_user(email, password, groups) for email, password, groups in DEMO_USERS}
            registrar, approver, learner, employer = users.values()
            keys.ensure_key()
            institution = catalog_data.load_catalog(registrar=registrar, approver=approver)
            recognition_data.load_recognition(registrar=registrar)
            learner_data.load_learners(registrar=registrar, learner_user=learner)
            partner_key = _demo_partner_key()
            quality_data.load_quality(partner_user=employer)
            guidance_data.load_guidance(registrar=registrar, learner_user=learner)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded for {institution}; credentials are queued for the worker.")
        )
        summary = []
        for email, password, groups in DEMO_USERS:
            role = ", ".join(groups) or ("Partner member" if email == employer.email else "Learner")
            summary.append(f"  {role:<18} {email} / {password}")
        if partner_key:
            summary.append(f"{API_KEY_LINE}Authorization: Api-Key {partner_key}  (shown once; see /api/v1/docs/)")
        for line in summary:
            self.stdout.write(line)
        if summary_file:
            _write_summary(summary_file, summary)


def _write_summary(path, summary):
    """The logins and the API key, in a file only its owner reads. The key is made (and shown) on the first load
    only, so the key line of an earlier load is kept."""
    if path.exists() and not any(line.startswith(API_KEY_LINE) for line in summary):
        summary = summary + [line for line in path.read_text().splitlines() if line.startswith(API_KEY_LINE)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text("\n".join(summary) + "\n")


def _demo_partner_key():
    """A demo employer with one key of every scope, created (and shown) on the first load only."""
    from partners.models import PartnerOrganisation
    from partners.services import api_key_create

    partner, _ = PartnerOrganisation.objects.get_or_create(
        name="Demo Employer Ltd", defaults={"contact_email": "talent@employer.example"}
    )
    if partner.api_keys.exists():
        return None
    _, secret = api_key_create(organisation=partner, name="Demo ATS", scopes=["catalog", "verify", "talent"])
    return secret


def _demo_user(email, password, groups):
    from allauth.account.models import EmailAddress

    user, _ = get_user_model().objects.get_or_create(username=email.split("@")[0], defaults={"email": email})
    user.email = email
    user.is_staff = bool(groups)
    user.set_password(password)
    user.save()
    user.groups.set(Group.objects.filter(name__in=groups))
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user
