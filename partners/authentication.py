"""`Authorization: Api-Key <key>`: a partner's key, checked against its hash; revoked, expired or inactive → 401."""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework_api_key.permissions import KeyParser

from .models import PartnerAPIKey

LAST_USED_PRECISION = timedelta(minutes=1)  # at most one write per key and minute, however busy the key is


class PartnerKeyAuthentication(BaseAuthentication):
    keyword = "Api-Key"

    def authenticate(self, request):
        key = KeyParser().get(request)
        if not key:
            return None  # anonymous: public endpoints allow it, the others answer 401
        try:
            api_key = PartnerAPIKey.objects.get_from_key(key)  # compares hashes; revoked keys are not found
        except PartnerAPIKey.DoesNotExist:
            raise exceptions.AuthenticationFailed("The API key is not valid.") from None
        if not api_key.is_usable:
            raise exceptions.AuthenticationFailed("The API key is revoked or expired, or its partner is inactive.")
        now = timezone.now()
        if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_PRECISION:
            PartnerAPIKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        return AnonymousUser(), api_key  # a partner is not a user of the site: no session, no staff rights

    def authenticate_header(self, request):
        return self.keyword
