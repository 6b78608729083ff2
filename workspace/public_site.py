from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import Site


def site_follows_public_url(sender, using="default", **kwargs):
    """post_migrate receiver: the Site record carries the registry's public host. The admin's "View on site" goes
    through contenttypes' shortcut view, which builds the address from it, and allauth's emails name it; left as
    Django's default it sends registrars and learners to example.com."""
    host = urlsplit(settings.REGISTRY_PUBLIC_URL).netloc
    Site.objects.using(using).update_or_create(pk=settings.SITE_ID, defaults={"domain": host, "name": host})
