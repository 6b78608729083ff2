"""Credit transfer: a learner brings a credential from another issuer; it must verify, and it counts toward this
registry's pathways only after the registrar recognises it — under a transfer agreement that covers it, or by a
decision of their own — recorded with who, when and why (history kept).
"""

import json

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
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
    achievement = _achievement(document)
    stored = json.dumps(document, sort_keys=True)
    if learner.foreign_credentials.filter(document=stored).exists():
        raise ValidationError({"credential": _("You have brought this credential already.")})
    on = timezone.localdate()
    achievement_id = str(achievement.get("id", ""))
    agreement = next(
        (a for a in TransferAgreement.objects.filter(issuer_id=issuer_id) if a.covers(
            issuer_id=issuer_id, achievement_id=achievement_id, on=on)),
        None,
    )  # fmt: skip
    return ForeignCredential.objects.create(
        learner=learner,
        document=stored,
        issuer_id=issuer_id[:255],
        issuer_name=str(issuer.get("name", issuer_id) if isinstance(issuer, dict) else issuer_id)[:200],
        achievement_id=achievement_id[:500],
        achievement_name=str(achievement.get("name", "Unnamed achievement"))[:300],
        agreement=agreement,
        counts_as=agreement.counts_as if agreement else None,
    )


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
