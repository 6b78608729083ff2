"""Telling learners about their credentials: a notice per event (issued, revoked, suspended, reinstated, re-issued
after a correction, expiring in 60 and 14 days), emailed once by the notifications queue and shown on the learner's
dashboard.

Notices are written in the same transaction as the change they announce, and their emails are queued only when
it commits; the row lock in ``notices_email`` makes a task that runs twice send each email once.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from config.dispatch import send_after_commit

from .credentials import absolute
from .models import Award, EmailTemplate, Notice

Event = Notice.Event
SUBJECTS = {  # translated when sent, in the program's language
    Event.ISSUED: gettext_noop("Your credential {{ program }} is ready"),
    Event.REVOKED: gettext_noop("Your credential {{ program }} was revoked"),
    Event.SUSPENDED: gettext_noop("Your credential {{ program }} is suspended"),
    Event.REINSTATED: gettext_noop("Your credential {{ program }} is valid again"),
    Event.EXPIRES_IN_60_DAYS: gettext_noop("Your credential {{ program }} expires in 60 days"),
    Event.EXPIRES_IN_14_DAYS: gettext_noop("Your credential {{ program }} expires in 14 days"),
    Event.REISSUED: gettext_noop("Your corrected credential {{ program }} is ready"),
}
REMINDER_DAYS = {Event.EXPIRES_IN_60_DAYS: 60, Event.EXPIRES_IN_14_DAYS: 14}
TEXT_ENGINE = Engine(autoescape=False)  # plain-text emails: no HTML escaping of names


def notify(award_ids, event) -> None:
    """Record ``event`` for these awards and queue their emails once the transaction commits."""
    award_ids = list(award_ids)
    Notice.objects.bulk_create([Notice(award_id=pk, event=event) for pk in award_ids], ignore_conflicts=True)
    unsent = Notice.objects.filter(award_id__in=award_ids, event=event, emailed_at=None).values_list("pk", flat=True)
    from .tasks import email_notices

    ids = list(unsent)
    if ids:
        send_after_commit(email_notices, ids)


def notice_queue_again(notice) -> None:
    """Queue the notice's email once more after commit (a registrar re-sends it)."""
    Notice.objects.filter(pk=notice.pk).update(emailed_at=None)
    from .tasks import email_notices

    send_after_commit(email_notices, [notice.pk])


def expiry_reminders(now=None) -> int:
    """Beat: the 60- and 14-day reminders now due, once each (the 60-day one is skipped when 14 days remain)."""
    now = now or timezone.now()
    created = 0
    with transaction.atomic():
        for event, days in REMINDER_DAYS.items():
            due = Award.objects.expiring(within=timedelta(days), now=now)
            if event == Event.EXPIRES_IN_60_DAYS:
                due = due.exclude(
                    pk__in=Award.objects.expiring(within=timedelta(REMINDER_DAYS[Event.EXPIRES_IN_14_DAYS]), now=now)
                )
            award_ids = list(due.exclude(notices__event=event).values_list("pk", flat=True))
            created += len(award_ids)
            notify(award_ids, event)
    return created


def notices_email(notice_ids) -> int:
    """Send each notice's email unless it was sent already; returns how many were sent now."""
    templates = {template.event: template for template in EmailTemplate.objects.all()}
    sent = 0
    for notice_id in notice_ids:
        with transaction.atomic():
            notice = (
                Notice.objects.select_for_update(of=("self",))
                .select_related("award__learner", "award__program__institution")
                .filter(pk=notice_id, emailed_at=None)
                .first()
            )
            if notice is None:
                continue
            subject, body = render(notice, templates.get(notice.event))
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [notice.award.learner.email])
            notice.emailed_at = timezone.now()
            notice.save(update_fields=["emailed_at"])
            sent += 1
    return sent


def render(notice, template=None) -> tuple[str, str]:
    """Subject and body of the notice's email: the registrar's template when there is one, else the default."""
    context = _context(notice)
    if template is None:
        with translation.override(notice.award.program.interface_language):
            subject = TEXT_ENGINE.from_string(gettext(SUBJECTS[notice.event])).render(Context(context))
            return subject, render_to_string(f"awards/email/{notice.event}.txt", context)
    return (
        TEXT_ENGINE.from_string(template.subject).render(Context(context)).strip(),
        TEXT_ENGINE.from_string(template.body).render(Context(context)),
    )


def _context(notice):
    award = notice.award
    reason = {
        Event.REVOKED: award.revocation_public_reason,
        Event.SUSPENDED: award.suspension_public_reason,
    }.get(notice.event, "")
    return {
        "learner_name": award.learner.display_name,
        "program": award.program.title,
        "institution": award.program.institution.name,
        "credential_url": absolute(award.get_absolute_url()),
        "credentials_page": absolute(reverse("portal:my-credentials")),
        "valid_until": award.valid_until.date().isoformat() if award.valid_until else "",
        "reason": reason,
    }


def notice_dismiss(*, learner, notice_id) -> None:
    updated = Notice.objects.filter(pk=notice_id, award__learner=learner, dismissed_at=None).update(
        dismissed_at=timezone.now()
    )
    if not updated:
        raise Notice.DoesNotExist


def learner_notices(learner, *, days=60):
    """The learner's notices of the last ``days`` days they have not dismissed, newest first."""
    since = timezone.now() - timedelta(days)
    return (
        Notice.objects.filter(award__learner=learner, dismissed_at=None, created_at__gte=since)
        .select_related("award__program")
        .order_by("-created_at", "-pk")[:10]
    )
