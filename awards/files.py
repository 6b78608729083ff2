"""Serving a credential's files (its PDF certificate from private storage, its signed JSON) as downloads: the one
definition the learner's portal and the registrar's admin both answer with, once each has checked who may ask."""

from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext

from .models import Award


def certificate_response(award: Award) -> FileResponse:
    if award.is_revoked:
        raise Http404(gettext("A revoked credential has no certificate to show."))
    if not award.certificate:
        raise Http404(gettext("The certificate is still being prepared; try again in a minute."))
    return FileResponse(
        award.certificate.open("rb"),
        as_attachment=True,
        filename=f"{award.program.code}-certificate.pdf",
        content_type="application/pdf",
    )


def credential_response(award: Award) -> HttpResponse:
    if award.status != Award.Status.ISSUED:
        raise Http404(gettext("This credential is not signed yet."))
    response = HttpResponse(award.credential, content_type="application/ld+json")
    response["Content-Disposition"] = f'attachment; filename="{award.program.code}-credential.json"'
    return response
