"""The learner's own credentials: list, sharing, downloads, LinkedIn, and the comprehensive learner record."""

import json
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from learners.models import Learner, Sharing
from learners.selectors import learner_progress

from . import clr, credentials
from .models import Award


def _learner(request):
    try:
        return request.user.learner
    except Learner.DoesNotExist:
        raise Http404("No learner record is linked to this account.") from None


def _own_award(request, pk):
    return get_object_or_404(
        Award.objects.issued().select_related("program__institution"), pk=pk, learner=_learner(request)
    )


class SharingForm(forms.Form):
    sharing = forms.ChoiceField(choices=Sharing.choices, label="Who can see the details")


def linkedin_url(award):
    """LinkedIn's add-certification link, prefilled."""
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": award.program.title,
        "organizationName": award.program.institution.name,
        "issueYear": award.valid_from.year,
        "issueMonth": award.valid_from.month,
        "certUrl": credentials.credential_url(award),
        "certId": str(award.pk),
    }
    if award.valid_until:
        params.update(expirationYear=award.valid_until.year, expirationMonth=award.valid_until.month)
    return "https://www.linkedin.com/profile/add?" + urlencode(params)


@login_required
def my_credentials(request):
    learner = _learner(request)
    awards = (
        Award.objects.issued()
        .filter(learner=learner)
        .select_related("program__institution", "program__subject")
        .order_by("-issued_at")
    )
    rows = [
        {
            "award": award,
            "linkedin": None if award.is_revoked else linkedin_url(award),
            "url": credentials.credential_url(award),
            "form": SharingForm(initial={"sharing": award.sharing}, prefix=str(award.pk)),
        }
        for award in awards
    ]
    return render(request, "awards/my_credentials.html", {"learner": learner, "rows": rows})


@login_required
@require_POST
def update_sharing(request, pk):
    award = _own_award(request, pk)
    form = SharingForm(request.POST, prefix=str(award.pk))
    if form.is_valid():
        award.sharing = form.cleaned_data["sharing"]
        award._history_user = request.user
        award.save(update_fields=["sharing"])
        messages.success(request, f"Sharing for “{award.program.title}” is now: {award.get_sharing_display()}.")
    else:
        messages.error(request, "Choose one of the sharing options.")
    return redirect("awards:my-credentials")


@login_required
def download_certificate(request, pk):
    award = _own_award(request, pk)
    if award.is_revoked:
        raise Http404("A revoked credential has no certificate to show.")
    if not award.certificate:
        raise Http404("The certificate is still being prepared; try again in a minute.")
    return FileResponse(
        award.certificate.open("rb"),
        as_attachment=True,
        filename=f"{award.program.code}-certificate.pdf",
        content_type="application/pdf",
    )


@login_required
def download_credential(request, pk):
    award = _own_award(request, pk)
    response = HttpResponse(award.credential, content_type="application/ld+json")
    response["Content-Disposition"] = f'attachment; filename="{award.program.code}-credential.json"'
    return response


@login_required
def learner_record(request):
    learner = _learner(request)
    awards = clr.learner_awards(learner)
    groups = []
    for evaluation in learner_progress(learner):
        codes = {program.code for rule in evaluation.rules for program in rule.done}
        groups.append(
            {
                "pathway": evaluation.pathway,
                "evaluation": evaluation,
                "awards": [award for award in awards if award.program.code in codes],
            }
        )
    grouped = {award.pk for group in groups for award in group["awards"]}
    others = [award for award in awards if award.pk not in grouped]
    return render(
        request,
        "awards/learner_record.html",
        {"learner": learner, "groups": groups, "others": others, "awards": awards},
    )


@login_required
def download_clr(request):
    document = clr.signed_clr(_learner(request))
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2), content_type="application/ld+json")
    response["Content-Disposition"] = 'attachment; filename="comprehensive-learner-record.json"'
    return response
