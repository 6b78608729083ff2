"""Credit transfer: a learner brings a credential from another issuer (or a platform they allowed sends it through
the 1EdTech upsertCredential); it must verify, and it counts toward this registry's pathways only after the
registrar recognises it — under a transfer agreement that covers it, or by a
decision of their own — recorded with who, when and why (history kept).
"""

import json
from urllib.parse import unquote

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Program, TransferAgreement
from config.untrusted_json import loads_bounded
from learners.models import Learner

from . import keys, verification
from .models import ForeignCredential
from .services import pathways_check

DECIDE_PERMISSION = "awards.decide_foreigncredential"
MAX_BYTES = 512 * 1024


def foreign_credential_upload(*, learner: Learner, text: str) -> ForeignCredential:
    """Check ``text`` (a signed credential's JSON) and record it for the registrar; nothing is kept if it does
    not verify, is this registry's own, or was brought before."""
    document, issuer_id = _verified(text)
    fields = _described(document, issuer_id, ForeignCredential.Kind.ACHIEVEMENT)
    same = Q(document=fields["document"])
    if fields["credential_id"]:
        same |= Q(issuer_id=fields["issuer_id"], credential_id=fields["credential_id"])
    already = ValidationError({"credential": _("You have brought this credential already.")})
    if learner.foreign_credentials.filter(same).exists():
        raise already
    try:
        with transaction.atomic():
            return ForeignCredential.objects.create(learner=learner, **fields)
    except IntegrityError:  # the same upload, submitted twice at once: the other got in first
        raise already from None


def foreign_credential_receive(
    *, learner: Learner, text: str, kind: str, platform: str
) -> tuple[ForeignCredential, bool]:
    """upsertCredential (OB 3.0 and CLR 2.0 §6.2.3): ``text``, sent by ``platform`` on the learner's behalf, checked
    as an upload is and kept for the registrar; the same credential sent again (same issuer and id, OB 3.0
    credential equality) replaces the copy while the registrar has not decided on it. Returns it and whether it
    is new; another learner's copy is never touched."""
    document, issuer_id = _verified(text)
    _require_kind(document, kind)
    fields = _described(document, issuer_id, kind) | {"sent_by": platform[:255]}
    if not fields["credential_id"]:
        raise ValidationError(
            {"credential": _("A credential sent by a platform needs an id, so a later copy can replace it.")}
        )
    same = {"issuer_id": fields["issuer_id"], "credential_id": fields["credential_id"]}
    with transaction.atomic():
        existing = learner.foreign_credentials.select_for_update().filter(**same).first()
        if existing is None:
            try:
                with transaction.atomic():
                    return ForeignCredential.objects.create(learner=learner, **fields), True
            except IntegrityError:  # the same credential, sent at the same moment, got in first
                existing = learner.foreign_credentials.select_for_update().get(**same)
        if existing.document == fields["document"]:
            return existing, False
        if existing.status != ForeignCredential.Status.PENDING:
            message = _("The registrar has decided on this credential already; a changed copy cannot replace it.")
            raise ValidationError({"credential": message})
        for field, value in fields.items():
            setattr(existing, field, value)
        existing.save()
    return existing, False


def _verified(text: str) -> tuple[dict, str]:
    """The credential in ``text`` and its issuer's id, once it verifies and is not this registry's own."""
    if len(text.encode()) > MAX_BYTES:
        raise ValidationError({"credential": _("A credential may be at most 512 KB.")})
    try:
        document = loads_bounded(text)
    except ValueError as error:  # bad JSON, or nested too deep
        raise ValidationError({"credential": _("This is not readable JSON: %(error)s") % {"error": error}}) from error
    if not isinstance(document, dict):
        raise ValidationError({"credential": _("This is not a credential: expected a JSON object.")})
    result = verification.verify(document)
    if result.verdict != verification.Verdict.VALID:
        reasons = " ".join(result.reasons) or result.verdict
        message = _("This credential does not verify (%(verdict)s): %(reasons)s")
        raise ValidationError({"credential": message % {"verdict": result.verdict, "reasons": reasons}})
    issuer = document.get("issuer")
    issuer_id = issuer.get("id", "") if isinstance(issuer, dict) else str(issuer)
    if issuer_id == keys.issuer_did():
        raise ValidationError({"credential": _("This credential is from this registry: it counts already.")})
    return document, issuer_id


def _require_kind(document: dict, kind: str) -> None:
    types = document.get("type")
    types = {t for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)}
    if kind == ForeignCredential.Kind.CLR and "ClrCredential" not in types:
        raise ValidationError({"credential": _("This is not a Comprehensive Learner Record (type ClrCredential).")})
    if kind == ForeignCredential.Kind.ACHIEVEMENT and not types & {"OpenBadgeCredential", "AchievementCredential"}:
        message = _("This is not an Open Badges credential (type OpenBadgeCredential or AchievementCredential).")
        raise ValidationError({"credential": message})


def _described(document: dict, issuer_id: str, kind: str) -> dict:
    """The ForeignCredential fields of a verified credential: what it is, and the agreement that covers it."""
    issuer = document.get("issuer")
    if kind == ForeignCredential.Kind.CLR:  # it names many achievements, and an agreement is about one
        achievement, agreement = {"name": document.get("name") or "Comprehensive Learner Record"}, None
    else:
        achievement = _achievement(document)
        agreement = _agreement(issuer_id, str(achievement.get("id", "")))
    return {
        "document": json.dumps(document, sort_keys=True),
        "kind": kind,
        "credential_id": unquote(str(document.get("id") or "")).strip()[:500],
        "issuer_id": issuer_id[:255],
        "issuer_name": str(issuer.get("name", issuer_id) if isinstance(issuer, dict) else issuer_id)[:200],
        "achievement_id": str(achievement.get("id", ""))[:500],
        "achievement_name": str(achievement.get("name", "Unnamed achievement"))[:300],
        "agreement": agreement,
        "counts_as": agreement.counts_as if agreement else None,
    }


def _agreement(issuer_id: str, achievement_id: str) -> TransferAgreement | None:
    on = timezone.localdate()
    agreements = TransferAgreement.objects.filter(issuer_id=issuer_id)
    return next((a for a in agreements if a.covers(issuer_id=issuer_id, achievement_id=achievement_id, on=on)), None)


def _achievement(document) -> dict:
    """The one achievement a credential is about; a signature says nothing about its shape, so ask for it."""
    subject = document.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    if not isinstance(achievement, dict):
        message = _("This credential names no single achievement (credentialSubject.achievement), so it cannot count.")
        raise ValidationError({"credential": message})
    return achievement


def foreign_credential_decide(
    *, credential: ForeignCredential, user: AbstractBaseUser, approve: bool, counts_as: Program | None = None,
    note: str = "",
) -> ForeignCredential:  # fmt: skip
    """Recognise ``credential`` as ``counts_as`` (default: what its agreement says) or refuse it. Recognition sends
    the learner's pathways to be checked again once it commits."""
    if not user.has_perm(DECIDE_PERMISSION):
        raise PermissionDenied("You may not recognise credentials from other issuers.")
    with transaction.atomic():
        locked = ForeignCredential.objects.select_for_update().get(pk=credential.pk)
        if locked.status != ForeignCredential.Status.PENDING:
            raise ValidationError(f"This credential was {locked.get_status_display().lower()} already.")
        target = counts_as or locked.counts_as
        if approve and target is None:
            raise ValidationError({"counts_as": "No agreement covers it: choose the program it counts as."})
        if not approve and not note.strip():
            raise ValidationError({"decision_note": "Say why it is not recognised; the learner sees it."})
        locked.status = ForeignCredential.Status.APPROVED if approve else ForeignCredential.Status.REJECTED
        locked.counts_as = target if approve else locked.counts_as
        locked.decided_by, locked.decided_at, locked.decision_note = user, timezone.now(), note.strip()
        locked._history_user = user
        locked.save()
        if approve:
            learner_id = locked.learner_id
            transaction.on_commit(lambda: pathways_check([learner_id]))
    return locked
