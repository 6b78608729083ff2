"""The learner's own pages. Every query is scoped to request.user's learner record: others' data is a 404."""

import json
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from awards import baking, clr, credentials, notices, ob2, transfer
from awards import services as award_services
from awards.files import certificate_response, credential_response
from awards.models import Notice
from awards.selectors import holder_awards, pathway_progress, recognised_credentials
from catalog import badges
from config.forms import add_service_errors
from guidance.services import guidance_for
from learners import selectors
from learners.files import evidence_file_response
from learners.models import AssessmentAttempt, Evidence, Sharing
from quality.selectors import learner_invitations


def _own_award(request, pk):
    return get_object_or_404(holder_awards(selectors.learner_of_request(request)), pk=pk)


@login_required
def dashboard(request):
    learner = selectors.learner_of(request.user)
    if learner is None:
        return render(request, "portal/no_record.html", status=200)
    surveys, follow_ups = learner_invitations(learner)
    context = {
        "learner": learner,
        "surveys": surveys,
        "follow_ups": follow_ups,
        "enrolments": selectors.learner_enrolments(learner),
        "results": selectors.learner_results(learner),
        "progress": pathway_progress(learner),
        "guidance": guidance_for(learner),
        "notices": notices.learner_notices(learner),
    }
    return render(request, "portal/dashboard.html", context)


@login_required
def attempt_detail(request, pk):
    try:
        result = selectors.learner_result(selectors.learner_of_request(request), pk)
    except AssessmentAttempt.DoesNotExist:
        raise Http404("No such result.") from None
    return render(request, "portal/attempt_detail.html", {"result": result, "attempt": result.attempt})


@login_required
def evidence_file(request, pk):
    """Evidence uploads live in private storage; only their learner and registry staff may fetch them."""
    evidence = get_object_or_404(Evidence.objects.select_related("attempt__enrolment__learner"), pk=pk)
    is_owner = evidence.attempt.enrolment.learner.user_id == request.user.pk
    if not (is_owner or request.user.has_perm("learners.view_evidence")):
        raise Http404
    return evidence_file_response(evidence)


class SharingForm(forms.Form):
    sharing = forms.ChoiceField(choices=Sharing.choices, label=_("Who can see the details"))


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
    learner = selectors.learner_of_request(request)
    rows = [
        {
            "award": award,
            "linkedin": None if award.is_revoked else linkedin_url(award),
            "url": credentials.credential_url(award),
            "form": SharingForm(initial={"sharing": award.sharing}, prefix=str(award.pk)),
        }
        for award in holder_awards(learner)
    ]
    brought = learner.foreign_credentials.select_related("counts_as")  # uploaded here, or sent by a platform
    return render(
        request, "portal/my_credentials.html", {"learner": learner, "rows": rows, "foreign_credentials": brought}
    )


@login_required
@require_POST
def update_sharing(request, pk):
    award = _own_award(request, pk)
    form = SharingForm(request.POST, prefix=str(award.pk))
    if form.is_valid():
        award_services.award_set_sharing(award=award, sharing=form.cleaned_data["sharing"], user=request.user)
        messages.success(
            request,
            _("Sharing for “%(program)s” is now: %(sharing)s.")
            % {"program": award.program.title, "sharing": award.get_sharing_display()},
        )
    else:
        messages.error(request, _("Choose one of the sharing options."))
    return redirect("portal:my-credentials")


@login_required
def download_certificate(request, pk):
    return certificate_response(_own_award(request, pk))


@login_required
def download_credential(request, pk):
    return credential_response(_own_award(request, pk))


@login_required
@require_POST
def dismiss_notice(request, pk):
    try:
        notices.notice_dismiss(learner=selectors.learner_of_request(request), notice_id=pk)
    except Notice.DoesNotExist:
        raise Http404("No such notice.") from None
    return redirect("portal:dashboard")


BAKED = {
    # kind: (content type, file name suffix)
    "ob3-png": ("image/png", "badge.png"),
    "ob3-svg": ("image/svg+xml", "badge.svg"),
    "ob2-png": ("image/png", "badge-ob2.png"),
}


@login_required
def download_badge(request, pk, kind):
    """The credential baked into its badge image: OB 3.0 PNG or SVG, or an OB 2.0 PNG for older backpacks."""
    award = _own_award(request, pk)
    if not award.credential:
        raise Http404("The credential is still being issued.")
    program = award.program
    if kind == "ob3-png":
        image = baking.bake_png(badges.program_badge_png(program), json.loads(award.credential))
    elif kind == "ob3-svg":
        image = baking.bake_svg(badges.program_badge_svg(program), json.loads(award.credential)).encode()
    else:
        image = baking.bake_png(badges.program_badge_png(program), ob2.assertion(award), keyword=baking.OB2_PNG_KEYWORD)
    content_type, suffix = BAKED[kind]
    response = HttpResponse(image, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{program.code}-{suffix}"'
    return response


@login_required
def learner_record(request):
    learner = selectors.learner_of_request(request)
    awards = clr.learner_awards(learner)
    groups = []
    recognised = recognised_credentials(learner)
    for evaluation in pathway_progress(learner, recognised):
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
        "portal/learner_record.html",
        {
            "learner": learner,
            "groups": groups,
            "others": others,
            "awards": awards,
            "recognised": recognised,
            "credits": [
                (award, recognition)
                for award in awards
                for recognition in award.program.credit_recognitions.all()
                if recognition.in_force(timezone.localdate())
            ],
        },
    )


class TransferForm(forms.Form):
    file = forms.FileField(label=_("Credential file (JSON)"), required=False)
    credential = forms.CharField(
        label=_("Or paste the credential"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload and upload.size > transfer.MAX_BYTES:
            raise forms.ValidationError(_("A credential may be at most 512 KB."))
        text = upload.read().decode("utf-8", errors="replace") if upload else cleaned.get("credential", "")
        if not text.strip():
            raise forms.ValidationError(_("Choose a credential file or paste its JSON."))
        cleaned["text"] = text
        return cleaned


@login_required
def transfer_credit(request):
    """The learner brings credentials from other issuers to count toward pathways here, and sees the decisions."""
    learner = selectors.learner_of_request(request)
    form = TransferForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            credential = transfer.foreign_credential_upload(learner=learner, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("“%(name)s” verified; the registrar will decide on it.") % {"name": credential.achievement_name},
            )
            return redirect("portal:transfer-credit")
    brought = learner.foreign_credentials.select_related("counts_as", "agreement")
    status = 400 if form.errors else 200
    return render(request, "portal/transfer.html", {"form": form, "brought": brought}, status=status)


@login_required
def download_clr(request):
    document = clr.signed_clr(selectors.learner_of_request(request))
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2), content_type="application/ld+json")
    response["Content-Disposition"] = 'attachment; filename="comprehensive-learner-record.json"'
    return response
