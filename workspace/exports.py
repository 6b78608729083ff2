"""Exports of the admin's lists — credentials, enrolments, attempts — as CSV or XLSX, exactly as filtered.

A list is exported from the changelist's own queryset (its filters, search and order), so the file holds what the
registrar sees. Small lists are answered at once; above ``REGISTRY_EXPORT_INLINE_ROWS`` rows an ``ExportJob`` is
built by a worker (workspace.tasks.export_list), which rebuilds the same queryset from the list's querystring.
Every cell goes through config.spreadsheets.escape_row (formula-safe). docs/decisions/0012-search-and-export.md.
"""

from dataclasses import dataclass
from datetime import timedelta

import tablib
from django.conf import settings
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, QueryDict
from django.utils import timezone

from awards.credentials import credential_url
from awards.models import Award
from config.spreadsheets import escape_row
from learners.models import AssessmentAttempt, CriterionScore, Enrolment

from .models import ExportJob

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
PROGRESS_EVERY = 500  # rows between progress updates of an export job
CHUNK_SIZE = 1000


def _day(moment):
    return timezone.localdate(moment) if moment else None


def _program_columns(program):
    return [program.code, program.version, program.title]


def _credits(program):
    return [program.credit_value, program.credit_system]


def _learner_columns(learner):
    return [learner.legal_name, learner.email, learner.student_id]


LEARNER_HEADERS = ["Learner", "Email", "Student ID"]
PROGRAM_HEADERS = ["Program code", "Program version", "Program title"]
CREDIT_HEADERS = ["Credits", "Credit system"]


def _award_row(award):
    return [
        str(award.pk),
        *_learner_columns(award.learner),
        *_program_columns(award.program),
        award.enrolment.cohort if award.enrolment else "",
        award.get_status_display(),
        award.standing_display if award.status == Award.Status.ISSUED else "",
        _day(award.issued_at),
        _day(award.valid_from),
        _day(award.valid_until),
        *_credits(award.program),
        credential_url(award) if award.status == Award.Status.ISSUED else "",
    ]


def _enrolment_row(enrolment):
    return [
        *_learner_columns(enrolment.learner),
        *_program_columns(enrolment.program),
        enrolment.cohort,
        enrolment.get_status_display(),
        enrolment.enrolled_on,
        enrolment.completed_on,
        *_credits(enrolment.program),
    ]


def _attempt_row(attempt):
    enrolment = attempt.enrolment
    return [
        *_learner_columns(enrolment.learner),
        *_program_columns(enrolment.program),
        enrolment.cohort,
        attempt.number,
        attempt.get_status_display(),
        attempt.assessed_on,
        attempt.total_points,
        "yes" if attempt.passed else "no",
        "; ".join(f"{score.criterion.name}: {score.level.name}" for score in attempt.scores.all()),
        attempt.assessor.get_username(),
        _day(attempt.finalised_at),
    ]


@dataclass(frozen=True)
class ListExport:
    """What one admin list exports: its columns, how to fetch them, and who may."""

    model: type
    noun: str  # in file names and messages: "credentials"
    permission: str
    headers: tuple
    row: callable
    select_related: tuple
    prefetch_related: tuple = ()

    @property
    def list_name(self):
        return self.model._meta.label_lower

    def rows_of(self, queryset):
        return queryset.select_related(*self.select_related).prefetch_related(*self.prefetch_related)


EXPORTS = {
    export.list_name: export
    for export in (
        ListExport(
            model=Award,
            noun="credentials",
            permission="workspace.export_awards",
            headers=(
                "Credential ID",
                *LEARNER_HEADERS,
                *PROGRAM_HEADERS,
                "Cohort",
                "Status",
                "Standing",
                "Issued on",
                "Valid from",
                "Valid until",
                *CREDIT_HEADERS,
                "Public URL",
            ),  # fmt: skip
            row=_award_row,
            select_related=("learner", "program", "enrolment"),
        ),
        ListExport(
            model=Enrolment,
            noun="enrolments",
            permission="workspace.export_enrolments",
            headers=(
                *LEARNER_HEADERS,
                *PROGRAM_HEADERS,
                "Cohort",
                "Status",
                "Enrolled on",
                "Completed on",
                *CREDIT_HEADERS,
            ),  # fmt: skip
            row=_enrolment_row,
            select_related=("learner", "program"),
        ),
        ListExport(
            model=AssessmentAttempt,
            noun="attempts",
            permission="workspace.export_attempts",
            headers=(
                *LEARNER_HEADERS,
                *PROGRAM_HEADERS,
                "Cohort",
                "Attempt",
                "Status",
                "Assessed on",
                "Total points",
                "Passed",
                "Criterion scores",
                "Assessor",
                "Finalised on",
            ),  # fmt: skip
            row=_attempt_row,
            select_related=("enrolment__learner", "enrolment__program", "assessor"),
            prefetch_related=(
                Prefetch("scores", queryset=CriterionScore.objects.select_related("criterion", "level")),
            ),
        ),
    )
}


def export_for(model) -> ListExport:
    return EXPORTS[model._meta.label_lower]


def file_name(list_export, file_format):
    return f"{list_export.noun}-{timezone.localdate().isoformat()}.{file_format}"


def build_dataset(list_export, queryset, *, on_progress=None) -> tablib.Dataset:
    """The rows of ``queryset`` as a formula-safe dataset; ``on_progress(rows_done)`` every PROGRESS_EVERY rows."""
    dataset = tablib.Dataset(headers=escape_row(list(list_export.headers)))
    for done, obj in enumerate(list_export.rows_of(queryset).iterator(chunk_size=CHUNK_SIZE), start=1):
        dataset.append(escape_row(list_export.row(obj)))
        if on_progress and done % PROGRESS_EVERY == 0:
            on_progress(done)
    return dataset


def render(dataset, file_format) -> bytes:
    exported = dataset.export(file_format)
    # A byte-order mark, so that Excel opens the UTF-8 CSV with its accents intact.
    return ("\ufeff" + exported).encode() if file_format == "csv" else exported


def exports_inline(row_count):
    return row_count <= settings.REGISTRY_EXPORT_INLINE_ROWS


def changelist_queryset(model, user, querystring):
    """The queryset the admin's list of ``model`` shows ``user`` at ``?querystring`` (filters, search, order)."""
    request = HttpRequest()
    request.method = "GET"
    request.GET = QueryDict(querystring)
    request.user = user
    model_admin = admin.site.get_model_admin(model)
    return model_admin.get_changelist_instance(request).get_queryset(request)


def export_job_start(*, user, list_export, querystring, file_format) -> ExportJob:
    """Record an export job and send it to a worker once the record is committed."""
    from .tasks import export_list

    job = ExportJob.objects.create(
        created_by=user, list_name=list_export.list_name, querystring=querystring, file_format=file_format
    )
    transaction.on_commit(lambda: export_list.delay(job.pk))
    return job


def export_job_run(job_pk):
    """Build the job's file. Idempotent: a finished job is left alone; a job interrupted mid-way starts over."""
    job = ExportJob.objects.select_related("created_by").get(pk=job_pk)
    if job.is_finished:
        return job
    list_export = EXPORTS[job.list_name]
    queryset = changelist_queryset(list_export.model, job.created_by, job.querystring)
    total = queryset.count()
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, rows_done=0, rows_total=total)

    def progress(done):
        ExportJob.objects.filter(pk=job.pk).update(rows_done=done)

    dataset = build_dataset(list_export, queryset, on_progress=progress)
    job.refresh_from_db()
    job.file.save(file_name(list_export, job.file_format), ContentFile(render(dataset, job.file_format)), save=False)
    job.rows_done = job.rows_total = dataset.height
    job.status = ExportJob.Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "rows_done", "rows_total", "status", "finished_at"])
    return job


def export_job_mark_failed(job_pk, error):
    ExportJob.objects.filter(pk=job_pk).update(status=ExportJob.Status.FAILED, error=error, finished_at=timezone.now())


def export_jobs_purge(now=None):
    """Delete the files of exports finished more than REGISTRY_EXPORT_RETENTION ago; the records stay, expired."""
    cutoff = (now or timezone.now()) - settings.REGISTRY_EXPORT_RETENTION
    expired = ExportJob.objects.filter(status=ExportJob.Status.DONE, finished_at__lt=cutoff)
    count = 0
    for job in expired:
        job.file.delete(save=False)
        job.status = ExportJob.Status.EXPIRED
        job.save(update_fields=["file", "status"])
        count += 1
    return count


def retention_days():
    return settings.REGISTRY_EXPORT_RETENTION // timedelta(days=1)
