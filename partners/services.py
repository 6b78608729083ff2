"""Write operations of the partner domain: keys, shares, discovery, access records, webhook events."""

import functools
import hashlib
import hmac
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from awards import credentials
from awards.models import Award
from awards.verification import Verdict
from learners.models import Learner

from .models import (
    SCOPES,
    AccessLog,
    PartnerAPIKey,
    PartnerOrganisation,
    Share,
    TalentProfile,
    VerifiedCredential,
    WebhookDelivery,
)


def api_key_create(
    *,
    organisation: PartnerOrganisation,
    name: str,
    scopes: Iterable[str],
    expires_at: datetime | None = None,
    rate_per_minute: int = 120,
    daily_quota: int = 20_000,
    max_batch: int = 100,
) -> tuple[PartnerAPIKey, str]:
    """A new key; returns it and its secret, which is shown once and never stored in clear."""
    scopes = sorted(set(scopes))
    unknown = set(scopes) - set(SCOPES)
    if unknown or not scopes:
        raise ValidationError({"scopes": f"Choose one or more of: {', '.join(SCOPES)}."})
    return PartnerAPIKey.objects.create_key(
        organisation=organisation,
        name=name,
        scopes=" ".join(scopes),
        expiry_date=expires_at,
        rate_per_minute=rate_per_minute,
        daily_quota=daily_quota,
        max_batch=max_batch,
    )


def share_create(
    *,
    learner: Learner,
    label: str,
    awards: Iterable[Award] = (),
    whole_record: bool = False,
    partner: PartnerOrganisation | None = None,
    expires_at: datetime | None = None,
) -> Share:
    awards = list(awards)
    if not whole_record and not awards:
        raise ValidationError({"awards": _("Choose the credentials to share, or share your whole record.")})
    if any(award.learner_id != learner.pk or award.status != Award.Status.ISSUED for award in awards):
        raise ValidationError({"awards": _("You can share only your own issued credentials.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    with transaction.atomic():
        share = Share.objects.create(
            learner=learner, label=label.strip(), whole_record=whole_record, partner=partner, expires_at=expires_at
        )
        share.awards.set(awards)
    return share


def share_revoke(*, share: Share, learner: Learner) -> Share:
    if share.learner_id != learner.pk:
        raise ValidationError(_("This is not your share."))
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
    return share


def shares_purge(*, older_than: timedelta) -> int:
    """Delete shares that ended (withdrawn or expired) longer ago than ``older_than``; returns how many."""
    cutoff = timezone.now() - older_than
    ended = Share.objects.filter(Q(revoked_at__lt=cutoff) | Q(expires_at__lt=cutoff))
    _, per_model = ended.delete()
    return per_model.get(Share._meta.label, 0)


def talent_profile_set(*, learner: Learner, discoverable: bool, headline: str = "") -> TalentProfile:
    profile, _ = TalentProfile.objects.update_or_create(
        learner=learner, defaults={"discoverable": discoverable, "headline": headline.strip()}
    )
    return profile


def pseudonym(organisation: PartnerOrganisation, learner_id: int) -> str:
    """The learner's id for this partner only: stable for the partner, unlinkable across partners."""
    digest = hmac.new(organisation.pseudonym_salt.encode(), str(learner_id).encode(), hashlib.sha256).hexdigest()
    return "lrn_" + digest[:24]


def access_record(
    *, learners: Iterable[int], api_key: PartnerAPIKey | None, what: str, share: Share | None = None
) -> None:
    """Write down that a partner (or, without a key, a person with the link) read these learners' data."""
    organisation_id = api_key.organisation_id if api_key is not None else None
    AccessLog.objects.bulk_create(
        AccessLog(
            learner_id=learner_id,
            share=share,
            organisation_id=organisation_id,
            key_name=api_key.name if api_key is not None else "",
            what=what[:200],
        )
        for learner_id in set(learners)
    )


def share_page_read_record(*, share: Share, client: str) -> None:
    """Someone opened the share page. One entry per share, client and ``SHARE_ACCESS_LOG_MINUTES``: reloading adds
    nothing the learner needs to know, and a reader holding the link must not be able to bury partners' reads
    under its own (the learner's page lists the latest 100)."""
    key = f"shared-page-read:{share.pk}:{client}"
    if cache.add(key, True, timeout=settings.SHARE_ACCESS_LOG_MINUTES * 60):
        access_record(
            learners=[share.learner_id], api_key=None, what=f"Opened share “{share.code}” in a browser", share=share
        )


def verification_record(*, api_key: PartnerAPIKey, verdicts: Iterable[tuple]) -> None:
    """The partner checked these credentials of this registry: ``(award id, verdict)`` pairs. Only a valid verdict
    makes it a verification (webhooks, feedback, counts); any other, such as a check that could not be completed,
    is recorded with its verdict and leaves an earlier verification standing."""
    latest = {}
    for award_id, verdict in verdicts:  # a batch may hold several copies of one credential: a valid one wins
        if latest.get(award_id) != Verdict.VALID:
            latest[award_id] = verdict
    now = timezone.now()
    valid, other = [], []
    for award_id, verdict in latest.items():
        is_valid = verdict == Verdict.VALID
        row = VerifiedCredential(
            organisation_id=api_key.organisation_id,
            award_id=award_id,
            at=now,
            verdict=verdict,
            verified_at=now if is_valid else None,
        )
        (valid if is_valid else other).append(row)
    upsert = functools.partial(
        VerifiedCredential.objects.bulk_create, update_conflicts=True, unique_fields=["organisation", "award"]
    )
    upsert(valid, update_fields=["at", "verdict", "verified_at"])
    upsert(other, update_fields=["at", "verdict"])


def webhook_events_create(*, award_id, event: str) -> list[WebhookDelivery]:
    """One delivery per partner with a webhook that saw this credential (shared with it, or verified by it)."""
    award = Award.objects.select_related("program").get(pk=award_id)
    shared_with = Share.objects.active().filter(partner__isnull=False)
    sharing_partners = shared_with.filter(Q(awards=award) | Q(whole_record=True, learner_id=award.learner_id))
    sharing_partners = sharing_partners.values_list("partner_id", flat=True)
    verifying = VerifiedCredential.objects.verified().filter(award_id=award_id)
    verifying = verifying.values_list("organisation_id", flat=True)
    organisations = PartnerOrganisation.objects.filter(pk__in={*sharing_partners, *verifying}, is_active=True).exclude(
        webhook_url=""
    )
    payload = {
        "type": f"credential.{event}",
        "credential": credentials.credential_url(award),
        "credential_id": str(award.pk),
        "program": award.program.code,
        "occurred_at": timezone.now().isoformat(),
    }
    deliveries = []
    with transaction.atomic():
        for organisation in organisations:
            event_id = uuid.uuid4()
            deliveries.append(
                WebhookDelivery.objects.create(
                    organisation=organisation,
                    event_id=event_id,
                    event=payload["type"],
                    payload={**payload, "id": str(event_id)},
                )
            )
    return deliveries
