"""Issuing, stacking, revoking and suspending credentials. Issuance always goes through ``award_request``."""

import json
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import partial
from uuid import UUID

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from catalog.models import Pathway, Program
from catalog.pathways import evaluate_pathway
from config.dispatch import send_after_commit
from learners.models import AssessmentAttempt, Enrolment, Learner, Sharing

from . import credentials, keys, status_lists
from .models import STATUS_LIST_SIZE, Award, Endorsement, ForeignCredential, IssuanceBatch, Notice
from .notices import notice_queue_again, notify
from .selectors import award_dependents, awards_for_issuing
from .signals import award_status_changed
from .vc import data_integrity

ISSUE_PERMISSION = "awards.issue_award"
REVOKE_PERMISSION = "awards.revoke_award"


def _dispatch(award_id):
    from .tasks import issue_award

    send_after_commit(issue_award, str(award_id))


def _queue_certificate(award_id):
    from .tasks import render_certificate

    send_after_commit(render_certificate, str(award_id))


def _queue_certificates(award_ids):
    """One message for a chunk's certificates: the certificates worker fans it out, so the signing worker does
    not spend a broker round trip per award."""
    from .tasks import queue_certificates

    send_after_commit(queue_certificates, [str(award_id) for award_id in award_ids])


SWEEP_CHUNK = 500


def _sweep(queryset: QuerySet[Award], older_than: timedelta | None, send: Callable[[UUID], None]) -> int:
    """Claim, in chunks, the awards in ``queryset`` not sent to a worker for ``older_than``, stamp them as sent
    and ``send`` each once its chunk commits. Rows another sweep has claimed but not committed are skipped
    (``SKIP LOCKED`` on PostgreSQL), so two sweeps running at once never send the same work twice."""
    started = timezone.now()
    cutoff = started - (older_than or timedelta(0))
    stale = queryset.filter(Q(last_dispatched_at__isnull=True) | Q(last_dispatched_at__lt=cutoff))
    count = 0
    while True:
        with transaction.atomic():
            claimed = stale.select_for_update(skip_locked=True).order_by("created_at").values_list("pk", flat=True)
            ids = list(claimed[:SWEEP_CHUNK])
            Award.objects.filter(pk__in=ids).update(last_dispatched_at=started)
            for award_id in ids:
                send(award_id)
        if not ids:
            return count
        count += len(ids)


def dispatch_pending(older_than: timedelta | None = None) -> int:
    """Re-send awards still pending after ``older_than`` (a lost task, a broker outage). Returns the count."""
    return _sweep(Award.objects.filter(status=Award.Status.PENDING), older_than, _dispatch)


def dispatch_missing_certificates(older_than: timedelta | None = None) -> int:
    """Re-queue the PDF of every issued award that has none and has not failed (a worker died mid-render)."""
    missing = Award.objects.issued().filter(certificate="", certificate_error="")
    return _sweep(missing, older_than, _queue_certificate)


def award_request(
    *,
    learner: Learner,
    program: Program,
    enrolment: Enrolment | None = None,
    attempt: AssessmentAttempt | None = None,
    components: Iterable[Award] = (),
    recognised: Iterable = (),
    batch: IssuanceBatch | None = None,
) -> tuple[Award, bool]:
    """Record a pending award (one per learner × program version) and queue its issuance after commit.

    Returns ``(award, created)``; an existing award is returned untouched, so repeated requests are harmless.
    """
    originals = Award.objects.filter(learner=learner, program=program, renews__isnull=True)
    existing = originals.first()
    if existing is not None:
        return existing, False
    for _ in range(20):  # a random index collides only when the list is nearly full
        try:
            with transaction.atomic():
                award = Award.objects.create(
                    learner=learner,
                    program=program,
                    enrolment=enrolment,
                    attempt=attempt,
                    batch=batch,
                    sharing=learner.default_sharing,
                    status_list_index=secrets.randbelow(STATUS_LIST_SIZE),
                    last_dispatched_at=timezone.now(),
                )
                if components:
                    award.components.set(components)
                if recognised:
                    award.recognised.set(recognised)
        except IntegrityError:
            existing = originals.first()
            if existing is not None:
                return existing, False  # another request won the race
            continue
        if batch is None:  # a batch's awards are sent in chunks by ``batch_issue``
            _dispatch(award.pk)
        return award, True
    raise ValidationError("The status list is full; start a new list before issuing more credentials.")


def award_for_achievement(*, enrolment_id: int, attempt_id: int, **event) -> tuple[Award, bool]:
    """Turn learners' ``achievement_earned`` event into an award request."""
    enrolment = Enrolment.objects.select_related("learner", "program").get(pk=enrolment_id)
    return award_request(
        learner=enrolment.learner,
        program=enrolment.program,
        enrolment=enrolment,
        attempt=enrolment.attempts.get(pk=attempt_id),
    )


ISSUED_FIELDS = [
    "credential", "signing_key", "status", "issued_at", "valid_from", "valid_until", "error", "tries",
    "last_dispatched_at",
]  # fmt: skip


class _Signer:
    """The active key, loaded and decrypted once for everything signed at one moment."""

    def __init__(self):
        self.key = keys.active_key()
        self.private_key = keys.private_key(self.key)
        self.method = keys.verification_method(self.key)
        self.issued_at = timezone.now()
        self.achievements = {}  # built once per program for the awards signed together

    def sign(self, document) -> str:
        """The signed document as compact JSON (json's C encoder serves only unindented output, and indenting took
        longer than hashing)."""
        signed = data_integrity.sign(
            document,
            private_key=self.private_key,
            verification_method=self.method,
            created=credentials.iso(self.issued_at),
        )
        return json.dumps(signed, ensure_ascii=False, separators=(",", ":"))

    def issue(self, award):
        """Fill ``award`` (loaded by ``awards_for_issuing``) with its signed credential; the caller saves it."""
        award.credential = self.sign(credentials.build(award, issued_at=self.issued_at, achievements=self.achievements))
        award.signing_key = self.key
        award.status = Award.Status.ISSUED
        award.issued_at = self.issued_at
        award.valid_from, award.valid_until = credentials.validity(award, self.issued_at)
        award.error = ""
        award.tries += 1
        award.last_dispatched_at = timezone.now()


def _after_issue(awards):
    originals = [award.pk for award in awards if award.replaces_id is None]
    corrections = [award.pk for award in awards if award.replaces_id is not None]
    if originals:
        notify(originals, Notice.Event.ISSUED)
    if corrections:  # the learner is told once, when the corrected credential is signed
        notify(corrections, Notice.Event.REISSUED)
    transaction.on_commit(partial(pathways_check, [award.learner_id for award in awards]))
    if len(awards) == 1:
        _queue_certificate(awards[0].pk)
    else:
        _queue_certificates([award.pk for award in awards])


def _store_issued(awards):
    """Write the chunk's credentials with one UPDATE statement executed for every award, and their history rows
    with one insert. (Django's ``bulk_update`` writes a CASE per column per row: its SQL grows with the square of
    the chunk and took longer than signing.) The column names come from the model, never from input."""
    fields = [Award._meta.get_field(name) for name in ISSUED_FIELDS]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    table, key = quote(Award._meta.db_table), quote(Award._meta.pk.column)
    statement = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608  # nosec B608 - names from _meta
    rows = [
        [field.get_db_prep_save(getattr(award, field.attname), connection) for field in fields]
        + [Award._meta.pk.get_db_prep_value(award.pk, connection)]
        for award in awards
    ]
    with connection.cursor() as cursor:
        cursor.executemany(statement, rows)
    Award.history.bulk_history_create(awards, update=True)


def award_issue(award_id: str | UUID) -> tuple[Award, bool]:
    """Build, sign and store the credential; idempotent, and safe when two workers run it at once.

    Signing happens outside the row lock; only the first worker to take the lock stores its result.
    """
    award = awards_for_issuing([award_id]).get()
    if award.status == Award.Status.ISSUED:
        return award, False
    _Signer().issue(award)
    with transaction.atomic():
        locked = Award.objects.select_for_update().get(pk=award_id)
        if locked.status == Award.Status.ISSUED:
            return locked, False
        award.save(update_fields=ISSUED_FIELDS)
        _after_issue([award])
    return award, True


def credential_for_holder(award_id: str | UUID, holder_id: str) -> dict:
    """A copy of the award's credential bound to ``holder_id`` (a wallet's DID in ``credentialSubject.id``), with
    the award's id, dates and status entry, so its revocation reaches the copy; signed now with the active key."""
    award = awards_for_issuing([award_id]).get()
    if award.status != Award.Status.ISSUED or award.revoked_at is not None:
        raise ValidationError("Only an issued credential that is not revoked can be copied into a wallet.")
    document = credentials.build(award, issued_at=award.issued_at)
    document["credentialSubject"] = {"id": holder_id, **document["credentialSubject"]}
    return json.loads(_Signer().sign(document))


def award_issue_batch(award_ids: Iterable[str | UUID]) -> list[UUID]:
    """Build, sign and store the credentials of the pending awards among ``award_ids`` in one transaction, with a
    fixed number of queries however many there are. Awards another worker holds are skipped (``SKIP LOCKED``:
    it is issuing them), so overlapping batches neither wait for each other nor sign anything twice.

    Returns the ids issued now.
    """
    with transaction.atomic():
        pending = Award.objects.filter(pk__in=list(award_ids), status=Award.Status.PENDING)
        claimed = list(pending.select_for_update(skip_locked=True).values_list("pk", flat=True))
        if not claimed:
            return []
        awards = list(awards_for_issuing(claimed))
        signer = _Signer()
        for award in awards:
            signer.issue(award)
        _store_issued(awards)
        _after_issue(awards)
    return [award.pk for award in awards]


def award_mark_failed(award_id: str | UUID, error: object) -> None:
    Award.objects.filter(pk=award_id).exclude(status=Award.Status.ISSUED).update(
        status=Award.Status.FAILED, error=str(error)[:2000]
    )


def award_set_sharing(*, award: Award, sharing: str, user: AbstractBaseUser) -> Award:
    """The holder chooses who sees the credential's details; the change is recorded in its history."""
    if sharing not in Sharing.values:
        raise ValidationError({"sharing": "Choose one of the sharing options."})
    award.sharing = sharing
    award._history_user = user
    award.save(update_fields=["sharing"])
    return award


def _require_issuer(user):
    if not user.has_perm(ISSUE_PERMISSION):
        raise PermissionDenied("You do not have permission to issue credentials.")


def award_retry(*, award: Award, user: AbstractBaseUser) -> Award:
    _require_issuer(user)
    if award.status == Award.Status.ISSUED:
        raise ValidationError("This credential is already issued.")
    with transaction.atomic():
        award.status = Award.Status.PENDING
        award.error = ""
        award.last_dispatched_at = timezone.now()
        award._history_user = user
        award.save(update_fields=["status", "error", "last_dispatched_at"])
        _dispatch(award.pk)
    return award


def pathways_check(learner_ids: Iterable[int]) -> list[Award]:
    """Request the award of every pathway the learners' issued credentials now satisfy (cascades), for a chunk of
    a cohort at once: a fixed number of queries when no pathway is newly satisfied."""
    earned_by_learner = defaultdict(dict)
    standing = (
        Award.objects.in_good_standing()
        .filter(learner_id__in=list(learner_ids))
        .select_related("program")
        .defer("credential")  # the signed JSON is not needed to judge a pathway
    )
    for award in standing:
        earned_by_learner[award.learner_id][award.program.code] = award
    # Credentials of other issuers the registrar recognised count as the programs they were recognised as.
    for credential in ForeignCredential.objects.filter(
        learner_id__in=list(learner_ids), status=ForeignCredential.Status.APPROVED
    ).select_related("counts_as", "learner"):
        earned_by_learner[credential.learner_id].setdefault(credential.counts_as.code, credential)
    pathways = list(Pathway.objects.published().with_rules()) if earned_by_learner else []
    requested = []
    for earned in earned_by_learner.values():
        for pathway in pathways:
            if pathway.award.code in earned:
                continue
            evaluation = evaluate_pathway(pathway, [_earned_program(item) for item in earned.values()])
            if not evaluation.satisfied:
                continue
            done = list(dict.fromkeys(earned[program.code] for rule in evaluation.rules for program in rule.done))
            award, created = award_request(
                learner=done[0].learner,
                program=_current_version(pathway.award),
                components=[item for item in done if isinstance(item, Award)],
                recognised=[item for item in done if isinstance(item, ForeignCredential)],
            )
            if created:
                requested.append(award)
    return requested


def _earned_program(item):
    return item.program if isinstance(item, Award) else item.counts_as


def _current_version(program):
    latest = Program.objects.published().filter(code=program.code).order_by("-version").first()
    return latest or program


def _require_revoker(user):
    if not user.has_perm(REVOKE_PERMISSION):
        raise PermissionDenied("You do not have permission to change a credential's status.")


def _require_reason(reason):
    if not reason or not reason.strip():
        raise ValidationError({"reason": "A reason is required; it is kept in the audit trail."})


def award_revoke(
    *,
    award: Award,
    user: AbstractBaseUser,
    reason: str,
    public_reason: str = "",
    suspend_dependents: Iterable | None = None,
) -> Award:
    """Revoke ``award`` and, by default, suspend every stacked award built on it pending review.

    ``suspend_dependents``: None suspends every dependent; a collection of award ids suspends only those.
    """
    _require_revoker(user)
    _require_reason(reason)
    if award.status != Award.Status.ISSUED:
        raise ValidationError("Only an issued credential can be revoked.")
    if award.is_revoked:
        raise ValidationError("This credential is already revoked.")
    with transaction.atomic():
        award.revoked_at = timezone.now()
        award.revoked_by = user
        award.revocation_reason = reason.strip()
        award.revocation_public_reason = public_reason.strip()
        award._history_user = user
        award.save(update_fields=["revoked_at", "revoked_by", "revocation_reason", "revocation_public_reason"])
        _announce(award, "revoked")
        _suspend_dependents(award, user=user, event="revoked", reason=reason, only=suspend_dependents)
    return award


def award_suspend(
    *,
    award: Award,
    user: AbstractBaseUser,
    reason: str,
    public_reason: str = "",
    suspend_dependents: Iterable | None = None,
) -> Award:
    """Suspend ``award`` and, by default, every stacked award built on it (see ``award_revoke``)."""
    _require_revoker(user)
    _require_reason(reason)
    if award.status != Award.Status.ISSUED or award.is_revoked:
        raise ValidationError("Only an issued, unrevoked credential can be suspended.")
    if award.is_suspended:
        raise ValidationError("This credential is already suspended.")
    with transaction.atomic():
        _mark_suspended(award, user=user, reason=reason.strip(), public_reason=public_reason.strip())
        _suspend_dependents(award, user=user, event="suspended", reason=reason, only=suspend_dependents)
    return award


def _mark_suspended(award, *, user, reason, public_reason):
    award.suspended_at = timezone.now()
    award.suspension_reason = reason
    award.suspension_public_reason = public_reason
    award._history_user = user
    award.save(update_fields=["suspended_at", "suspension_reason", "suspension_public_reason"])
    _announce(award, "suspended")


def _announce(award, event):
    """Tell the learner, and other apps (partner webhooks) once the change is committed; a rolled-back change
    says nothing."""
    notify([award.pk], event)
    _signal_status_change(award, event)


def _signal_status_change(award, event):
    award_pk = award.pk
    transaction.on_commit(lambda: award_status_changed.send(sender=Award, award_id=award_pk, event=event))


def _suspend_dependents(award, *, user, event, reason, only):
    chosen = None if only is None else {str(pk) for pk in only}
    for dependent in award_dependents(award):
        if dependent.award.is_suspended or (chosen is not None and str(dependent.award.pk) not in chosen):
            continue
        holds = "still holds with other credentials" if dependent.still_holds else "no longer holds"
        _mark_suspended(
            dependent.award,
            user=user,
            reason=f"Pending review: component {dependent.built_on} was {event} ({reason.strip()}); "
            f"the pathway {holds}.",
            public_reason=f"Under review by the issuer: a credential it is built on was {event}.",
        )


def award_unsuspend(*, award: Award, user: AbstractBaseUser, reason: str) -> Award:
    _require_revoker(user)
    _require_reason(reason)
    if not award.is_suspended:
        raise ValidationError("This credential is not suspended.")
    award.suspended_at = None
    award.suspension_reason = f"Reinstated: {reason.strip()}"
    award.suspension_public_reason = ""
    award._history_user = user
    with transaction.atomic():
        award.save(update_fields=["suspended_at", "suspension_reason", "suspension_public_reason"])
        _announce(award, "reinstated")
    return award


def batch_issue(*, enrolments: QuerySet[Enrolment], user: AbstractBaseUser) -> tuple[IssuanceBatch, int, int]:
    """Request awards for every completed enrolment in ``enrolments`` under one batch, for progress tracking, and
    send them to the signing workers in chunks once the batch commits.

    A cohort is requested with a fixed number of queries, whatever its size: one bulk insert of the awards and one
    of their history. An award another request created meanwhile, or a status list index taken meanwhile, loses
    its row to ``ON CONFLICT DO NOTHING`` and is requested again one by one, which settles it either way.

    Returns ``(batch, requested, skipped)``; enrolments not completed or already awarded are skipped.
    """
    if not user.has_perm(ISSUE_PERMISSION):
        raise PermissionDenied("You do not have permission to issue credentials.")
    with transaction.atomic():
        selected, enrolments = enrolments, list(enrolments.select_related("learner", "program"))
        cohorts = sorted({enrolment.cohort for enrolment in enrolments if enrolment.cohort})
        batch = IssuanceBatch.objects.create(
            label=f"{len(enrolments)} enrolment(s){' — ' + ', '.join(cohorts) if cohorts else ''}", created_by=user
        )
        wanted = _awardable(selected, enrolments)
        attempts = _final_passing_attempts(selected)
        now = timezone.now()
        awards = [
            Award(
                learner=enrolment.learner,
                program=enrolment.program,
                enrolment=enrolment,
                attempt=attempts.get(enrolment.pk),
                batch=batch,
                sharing=enrolment.learner.default_sharing,
                status_list_index=index,
                last_dispatched_at=now,
            )
            for enrolment, index in zip(wanted, free_status_list_indexes(len(wanted)), strict=True)
        ]
        Award.objects.bulk_create(awards, batch_size=1000, ignore_conflicts=True)
        stored = set(Award.objects.filter(batch=batch).values_list("pk", flat=True))
        Award.history.bulk_history_create(
            [award for award in awards if award.pk in stored], batch_size=1000, default_user=user
        )
        created_ids = [award.pk for award in awards if award.pk in stored]
        for award in awards:
            if award.pk not in stored:  # lost a race for its (learner, program) or its index
                retried, created = award_request(
                    learner=award.learner,
                    program=award.program,
                    enrolment=award.enrolment,
                    attempt=award.attempt,
                    batch=batch,
                )
                if created:
                    created_ids.append(retried.pk)
        for start in range(0, len(created_ids), ISSUE_CHUNK):
            _dispatch_chunk(created_ids[start : start + ISSUE_CHUNK])
    return batch, len(created_ids), len(enrolments) - len(created_ids)


def _awardable(selected, enrolments):
    """The completed enrolments whose learner holds no award for the program yet (one query; subqueries rather
    than lists of ids, which SQLite caps at 32,766 parameters)."""
    completed = [enrolment for enrolment in enrolments if enrolment.status == Enrolment.Status.COMPLETED]
    awarded = set(
        Award.objects.filter(
            learner_id__in=selected.values("learner_id"), program_id__in=selected.values("program_id")
        ).values_list("learner_id", "program_id")
    )
    unique = {(e.learner_id, e.program_id): e for e in completed if (e.learner_id, e.program_id) not in awarded}
    return list(unique.values())


def _final_passing_attempts(selected):
    """Each selected enrolment's latest final passing attempt, by enrolment id (one query)."""
    attempts = AssessmentAttempt.objects.final().filter(enrolment_id__in=selected.values("pk"), passed=True)
    return {attempt.enrolment_id: attempt for attempt in attempts.order_by("enrolment_id", "number")}


def free_status_list_indexes(count):
    """``count`` distinct random indexes no award holds yet (random, so an index tells nothing of the order)."""
    indexes = status_lists.free_indexes(set(Award.objects.values_list("status_list_index", flat=True)), count)
    if indexes is None:
        raise ValidationError("The status list is full; start a new list before issuing more credentials.")
    return indexes


ISSUE_CHUNK = 50  # awards signed and stored per task and transaction in a cohort


def _dispatch_chunk(award_ids):
    from .tasks import issue_awards

    send_after_commit(issue_awards, [str(award_id) for award_id in award_ids])


def certificate_render(award_id: str | UUID, *, force: bool = False) -> bool:
    """Render the award's PDF certificate into private storage. Returns False when there was nothing to do."""
    from django.core.files.base import ContentFile

    from . import certificates

    award = Award.objects.select_related("learner", "program__institution").get(pk=award_id)
    if award.status != Award.Status.ISSUED or (award.certificate and not force):
        return False
    pdf = certificates.render(award)
    with transaction.atomic():
        locked = Award.objects.select_for_update().get(pk=award_id)
        if locked.certificate and not force:
            return False
        old = locked.certificate.name if locked.certificate else None
        locked.certificate.save(f"certificate-{award.pk}.pdf", ContentFile(pdf), save=False)
        Award.objects.filter(pk=award_id).update(certificate=locked.certificate.name, certificate_error="")
    if old:
        locked.certificate.storage.delete(old)
    return True


def certificate_mark_failed(award_id: str | UUID, error: object) -> None:
    """Record why the PDF could not be rendered; the sweep leaves it alone until a registrar asks again."""
    Award.objects.filter(pk=award_id, certificate="").update(certificate_error=str(error)[:2000] or "Unknown error")


def certificate_retry(*, award: Award, user: AbstractBaseUser) -> Award:
    """A registrar asks for a failed (or missing) certificate to be rendered again."""
    if not user.has_perm(ISSUE_PERMISSION):
        raise PermissionDenied("You do not have permission to issue credentials.")
    if award.status != Award.Status.ISSUED:
        raise ValidationError("Only an issued credential has a certificate.")
    if award.is_revoked:
        raise ValidationError("A revoked credential gets no certificate.")
    with transaction.atomic():
        award.certificate_error = ""
        award.last_dispatched_at = timezone.now()
        award._history_user = user
        award.save(update_fields=["certificate_error", "last_dispatched_at"])
        _queue_certificate(award.pk)
    return award


def endorsement_issue(*, endorsement: Endorsement, user: AbstractBaseUser) -> Endorsement:
    """Sign ``endorsement`` as an EndorsementCredential (once: a signed endorsement never changes; the endorser
    withdraws it and a new one is recorded)."""
    if not user.has_perm("awards.add_endorsement"):
        raise PermissionDenied("You may not record endorsements.")
    if endorsement.credential:
        raise ValidationError("This endorsement is signed already; record a new one to change it.")
    signer = _Signer()
    endorsement.credential = signer.sign(credentials.endorsement(endorsement, issued_at=signer.issued_at))
    endorsement.signing_key = signer.key
    endorsement.issued_at = signer.issued_at
    endorsement.recorded_by = endorsement.recorded_by or user
    endorsement._history_user = user
    endorsement.save()
    return endorsement


def award_renew(*, award: Award, user: AbstractBaseUser, reason: str) -> Award:
    """Issue a new credential that renews ``award`` (its current program version), on the basis ``reason`` an
    assessor approved: continuing practice, or a new assessment. The renewed credential stays as it was."""
    _require_issuer(user)
    _require_reason(reason)
    if award.status != Award.Status.ISSUED or award.is_revoked:
        raise ValidationError("Only an issued, unrevoked credential can be renewed.")
    if Award.objects.filter(renews=award).exists():
        raise ValidationError("This credential has been renewed already; renew the newest one.")
    with transaction.atomic():
        renewal = Award.objects.create(
            learner=award.learner,
            program=_current_version(award.program),
            enrolment=award.enrolment,
            attempt=award.attempt,
            sharing=award.sharing,
            renews=award,
            renewal_basis=reason.strip(),
            status_list_index=free_status_list_indexes(1)[0],
            last_dispatched_at=timezone.now(),
        )
        renewal._history_user = user
        _dispatch(renewal.pk)
    return renewal


REPLACED_REASON_PREFIX = "Replaced by a corrected credential: "


def award_reissue(*, award: Award, user: AbstractBaseUser, reason: str) -> tuple[Award, bool]:
    """Replace ``award``, whose learner name or data was wrong and has since been corrected in the records, with a
    new credential signed by the normal issuing path; ``award`` is revoked as replaced (its status list entry set),
    the reason kept in its history. The learner is told once the corrected credential is signed.

    Idempotent: an award already replaced returns its replacement and nothing is created; the row lock and the
    one-to-one ``replaces`` make two clicks at once create one. Stacked awards built on ``award`` stay valid and are
    not re-signed: the learner's achievement did not change, only its record; the replacement takes the old one's
    place among their components, so a later revocation of it still follows through to them. The replacement is
    signed for the same program version and the same validity period; a suspended or expired credential is not
    re-issued (reinstate it, or renew it, first).

    Returns ``(replacement, created)``.
    """
    _require_issuer(user)
    _require_revoker(user)
    _require_reason(reason)
    with transaction.atomic():
        old = Award.objects.select_for_update().get(pk=award.pk)
        existing = Award.objects.filter(replaces=old).first()
        if existing is not None:
            return existing, False
        if old.status != Award.Status.ISSUED or old.is_revoked:
            raise ValidationError("Only an issued credential that is not revoked can be re-issued after a correction.")
        if old.is_suspended:
            raise ValidationError("This credential is suspended: reinstate it (or revoke it) before re-issuing it.")
        if old.standing == "expired":
            raise ValidationError("This credential has expired: a correction does not renew it; use Renew instead.")
        try:
            with transaction.atomic():
                replacement = Award.objects.create(
                    learner=old.learner,
                    program=old.program,
                    enrolment=old.enrolment,
                    attempt=old.attempt,
                    sharing=old.sharing,
                    replaces=old,
                    status_list_index=free_status_list_indexes(1)[0],
                    last_dispatched_at=timezone.now(),
                )
        except IntegrityError:
            return Award.objects.get(replaces=old), False  # a concurrent click won (no row lock on SQLite)
        replacement._history_user = user
        replacement.components.set(old.components.all())
        replacement.recognised.set(old.recognised.all())
        for stacked in old.stacked_into.all():
            stacked.components.remove(old)
            stacked.components.add(replacement)
        old.revoked_at = timezone.now()
        old.revoked_by = user
        old.revocation_reason = REPLACED_REASON_PREFIX + reason.strip()
        old.revocation_public_reason = ""  # the public page says it was replaced and links to the new one
        old._history_user = user
        old.save(update_fields=["revoked_at", "revoked_by", "revocation_reason", "revocation_public_reason"])
        _signal_status_change(old, "revoked")  # partners relying on it see it withdrawn
        _dispatch(replacement.pk)
    return replacement, True


def notice_resend(*, award: Award, user: AbstractBaseUser) -> Notice:
    """Email the learner the latest notice about ``award`` again (a lost or deleted email)."""
    _require_issuer(user)
    if Award.objects.filter(replaces=award).exists():
        raise ValidationError("This credential was replaced; re-send the notice of the corrected credential.")
    notice = award.notices.order_by("-created_at", "-pk").first()
    if notice is None:
        raise ValidationError("The learner has not been sent anything about this credential yet.")
    with transaction.atomic():
        notice_queue_again(notice)
    return notice
