"""System checks for issuing: `manage.py check --deploy` and `manage.py check --database default`."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def key_secret_is_configured(app_configs, **kwargs):
    secret = settings.REGISTRY_KEY_SECRET
    if not secret or len(secret) < 32 or secret == settings.SECRET_KEY:
        return [
            Error(
                "REGISTRY_KEY_SECRET must be a random secret of at least 32 characters, apart from SECRET_KEY.",
                hint="It encrypts the issuer's private signing keys at rest; set it in the environment.",
                id="awards.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def public_url_is_https(app_configs, **kwargs):
    if not settings.REGISTRY_PUBLIC_URL.startswith("https://"):
        return [
            Error(
                "REGISTRY_PUBLIC_URL must be an https origin in production.",
                hint="Credential ids and the did:web issuer derive from it; did:web resolves over https only.",
                id="awards.E002",
            )
        ]
    return []


@register(Tags.database)
def an_active_signing_key_exists(app_configs, databases=None, **kwargs):
    from django.db.utils import DatabaseError

    from .models import SigningKey

    if not databases:
        return []
    try:
        exists = SigningKey.objects.filter(status=SigningKey.Status.ACTIVE).exists()
    except DatabaseError:
        return []  # not migrated yet: the migrate command reports that itself
    if exists:
        return []
    return [
        Warning(
            "There is no active signing key: awards will fail to issue.",
            hint="Run `python manage.py signing_keys generate`.",
            id="awards.W001",
        )
    ]
