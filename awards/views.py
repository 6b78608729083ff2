"""Public, unauthenticated surfaces: the issuer's DID document and profile, status lists, verification."""

import json

from django import forms
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from catalog.models import Institution, Program
from catalog.selectors import alignments_with_matches
from config.http import JSON_LD, public_json
from config.untrusted_json import loads_bounded

from . import credentials, keys, ob2, status_lists, verification
from .models import Award, Endorsement, SigningKey
from .selectors import award_replacement, credential_visibility


@require_GET
def did_document(request):
    return public_json(keys.did_document(), "application/did+json")


@require_GET
def issuer_profile(request):
    institution = Institution.objects.order_by("pk").first()
    if institution is None:
        raise Http404("No issuer is configured yet.")
    profile = {"@context": [credentials.VC_CONTEXT, credentials.OB_CONTEXT], **credentials.issuer_profile(institution)}
    return public_json(profile, JSON_LD)


@require_GET
def status_list(request, purpose):
    if purpose not in status_lists.PURPOSES:
        raise Http404
    return _status_list_response(status_lists.status_list_credential(purpose))


def issued_status_list(request):
    return _status_list_response(status_lists.issued_status_list_credential())


def issued_key_status_list(request, key_id):
    key = get_object_or_404(SigningKey.objects.published(), key_id=key_id)
    return _status_list_response(status_lists.issued_status_list_credential(did_key_of=key))


def _status_list_response(document):
    response = public_json(document, JSON_LD)
    response["Cache-Control"] = "no-cache"  # revocation must show at once
    return response


def _wants_json(request):
    accept = request.headers.get("Accept", "")
    return (
        request.GET.get("format") == "json"
        or any(kind in accept for kind in (JSON_LD, "application/json", "application/vc+ld+json"))
        and "text/html" not in accept
    )


@require_GET
def credential(request, pk):
    award = get_object_or_404(
        Award.objects.issued().select_related("learner", "program__institution", "program__subject"), pk=pk
    )
    shared = credential_visibility(award, request.user).details
    if _wants_json(request):
        if not shared:
            raise Http404("The holder keeps this credential private.")
        response = HttpResponse(award.credential, content_type=JSON_LD)
        if request.GET.get("download"):
            response["Content-Disposition"] = f'attachment; filename="credential-{award.pk}.json"'
        response["Vary"] = "Accept"
        return response
    document = json.loads(award.credential)
    result = verification.verify(document)
    context = {
        "award": award,
        "replacement": award_replacement(award) if award.is_revoked else None,
        "result": result,
        "shared": shared,
        "document": document,
        "subject": document["credentialSubject"],
        "components": award.components.select_related("program") if shared else [],
        "skills": _skill_groups(document["credentialSubject"]["achievement"], award.program) if shared else [],
        "page_url": credentials.absolute(award.get_absolute_url()),
        "badge_png_url": credentials.absolute(award.program.png_badge_url()),
        "share_subject": f"{award.program.title} — {award.program.institution.name}",
    }
    response = render(request, "awards/credential_detail.html", context)
    response["Vary"] = "Accept"
    return response


CREDENTIAL_RECORD = "ceterms:Credential"  # the program's own CTDL record, an alignment that is not a skill


def _skill_groups(achievement, program):
    """The credential's skill alignments, each competency with the same skill in other frameworks under it.

    A competency is issued followed by the reference-framework skills staff confirmed it matches, so one skill
    can appear once per framework; the program's confirmed mappings say which entries belong together, and an
    entry that appears twice is shown once.
    """
    belongs_to = {}
    for alignment in alignments_with_matches().filter(program=program):
        competency = alignment.competency
        for skill in competency.confirmed_skills():
            belongs_to.setdefault((str(skill.framework), skill.code), (str(competency.framework), competency.code))
    groups = {}
    for alignment in achievement.get("alignment", []):
        key = (alignment.get("targetFramework"), alignment.get("targetCode"))
        if alignment.get("targetType") == CREDENTIAL_RECORD or key in groups:
            continue
        parent = groups.get(belongs_to.get(key))
        if parent is None:
            groups[key] = {"alignment": alignment, "equivalents": []}
        elif alignment not in parent["equivalents"]:
            parent["equivalents"].append(alignment)
    return list(groups.values())


class VerifyForm(forms.Form):
    credential_json = forms.CharField(
        label="Paste the credential JSON", widget=forms.Textarea(attrs={"rows": 10}), required=False
    )
    credential_file = forms.FileField(label="…or upload the credential file", required=False)

    MAX_BYTES = 2 * 1024 * 1024
    TOO_LARGE = "The credential is larger than 2 MB; this is not a credential this page can check."

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("credential_file")
        field = "credential_json" if upload is None else "credential_file"
        if upload is not None:
            if upload.size > self.MAX_BYTES:
                self.add_error(field, self.TOO_LARGE)
                return cleaned
            text = upload.read().decode("utf-8", errors="replace")
        else:
            text = cleaned.get("credential_json", "")
        if len(text.encode()) > self.MAX_BYTES:
            self.add_error(field, self.TOO_LARGE)
        elif not text.strip():
            raise forms.ValidationError("Paste a credential or upload its file.")
        else:
            try:
                cleaned["document"] = loads_bounded(text)
            except ValueError as error:
                self.add_error(field, f"This is not valid JSON: {error}")
        return cleaned


@csrf_exempt  # checked below, once the body is known to be small enough to read
def verify(request):
    if request.method == "POST" and int(request.META.get("CONTENT_LENGTH") or 0) > VERIFY_MAX_REQUEST_BYTES:
        # Reading an oversized body would end in Django's bare 400 page; answer with the form's own message.
        context = {"form": VerifyForm(), "request_error": VerifyForm.TOO_LARGE}
        return render(request, "awards/verify.html", context, status=413)
    return _verify_form(request)


VERIFY_MAX_REQUEST_BYTES = VerifyForm.MAX_BYTES + 64 * 1024  # the credential plus the form's own fields


@csrf_protect
def _verify_form(request):
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = verification.verify(form.cleaned_data["document"])
    return render(request, "awards/verify.html", {"form": form, "result": result})


@require_GET
def endorsement(request, pk):
    """An endorsement's signed EndorsementCredential: public, and verifiable on its own."""
    endorsement = get_object_or_404(Endorsement.objects.exclude(credential=""), pk=pk)
    return public_json(json.loads(endorsement.credential), JSON_LD)


# Open Badges 2.0, hosted -----------------------------------------------------------------------------------------


@require_GET
def ob2_issuer(request):
    institution = Institution.objects.order_by("pk").first()
    if institution is None:
        raise Http404("No issuer is configured yet.")
    return public_json(ob2.issuer(institution), JSON_LD)


@require_GET
def ob2_badge_class(request, slug):
    program = get_object_or_404(
        Program.objects.exclude(status=Program.Status.DRAFT).prefetch_related(
            "tags", Prefetch("alignments", queryset=alignments_with_matches())
        ),
        slug=slug,
    )
    return public_json(ob2.badge_class(program), JSON_LD)


@require_GET
def ob2_assertion(request, pk):
    award = get_object_or_404(Award.objects.select_related("learner", "program"), pk=pk, status=Award.Status.ISSUED)
    document = ob2.assertion(award)
    return public_json(document, JSON_LD, status=410 if document.get("revoked") else 200)


@require_GET
def ob2_revocations(request):
    institution = Institution.objects.order_by("pk").first()
    if institution is None:
        raise Http404("No issuer is configured yet.")
    revoked = Award.objects.filter(revoked_at__isnull=False).only("pk", "revocation_public_reason").order_by("pk")
    return public_json(ob2.revocation_list(institution, revoked), JSON_LD)
