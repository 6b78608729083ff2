"""The registrar's workspace: exports of the admin's lists too large to answer at once."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.storages import private_storage


def export_upload_to(job, filename):
    # Under a random directory: export files hold personal data and their paths are never guessable.
    return f"exports/{secrets.token_urlsafe(16)}/{filename}"


class ExportJob(models.Model):
    """One export of a filtered admin list (credentials, enrolments or attempts), built by a worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired (file deleted)")

    class Format(models.TextChoices):
        CSV = "csv", _("CSV")
        XLSX = "xlsx", _("XLSX")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.CASCADE, related_name="+"
    )
    list_name = models.CharField(
        _("list name"), max_length=60, help_text=_("Which list: the model's label, e.g. awards.award.")
    )
    querystring = models.TextField(
        _("querystring"), blank=True, help_text=_("The list's filters, search and order, as in its address.")
    )
    file_format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows total"), null=True, blank=True)
    file = models.FileField(_("file"), storage=private_storage, upload_to=export_upload_to, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "finished_at"], name="exportjob_retention")]
        permissions = [
            ("export_awards", "Can export the list of credentials"),
            ("export_enrolments", "Can export the list of enrolments"),
            ("export_attempts", "Can export the list of assessment attempts"),
        ]

    def __str__(self):
        return gettext("Export #%(number)s of %(list)s (%(format)s)") % {
            "number": self.pk,
            "list": self.list_name,
            "format": self.get_file_format_display(),
        }

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED)
