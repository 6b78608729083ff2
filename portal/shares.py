"""The learner's consent controls: shares of chosen credentials (or the whole record), discovery by partners,
and who read what."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from awards import credentials
from awards.selectors import holder_awards
from config.forms import add_service_errors
from learners.selectors import learner_of_request
from partners import services
from partners.models import AccessLog, PartnerOrganisation, Share, TalentProfile


class ShareForm(forms.Form):
    label = forms.CharField(max_length=120, label=_("Label"), help_text=_("For you: who or what this share is for."))
    awards = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label=_("Credentials to share")
    )
    whole_record = forms.BooleanField(required=False, label=_("Share my whole record (including later credentials)"))
    partner = forms.ModelChoiceField(
        queryset=PartnerOrganisation.objects.filter(is_active=True),
        required=False,
        empty_label=_("Anyone I give the link or code to"),
        label=_("Only for this employer's systems"),
    )
    expires_on = forms.DateField(
        required=False, label=_("Available until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, learner, **kwargs):
        super().__init__(*args, **kwargs)
        self.learner = learner
        self.fields["awards"].queryset = holder_awards(learner).filter(revoked_at__isnull=True)
        self.fields["awards"].label_from_instance = lambda award: f"{award.program.title} ({award.program.code})"

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day is not None and day <= timezone.localdate():
            raise ValidationError(_("Choose a date after today."))
        return day


class TalentForm(forms.ModelForm):
    class Meta:
        model = TalentProfile
        fields = ["discoverable", "headline"]
        labels = {
            "discoverable": _("Let partner employers find me by my discoverable credentials"),
            "headline": _("Headline"),
        }


@login_required
def shares(request):
    learner = learner_of_request(request)
    form = ShareForm(request.POST or None, learner=learner)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        expires_at = None
        if data["expires_on"]:  # available through the whole of the chosen day
            expires_at = timezone.make_aware(datetime.datetime.combine(data["expires_on"], datetime.time.max))
        try:
            share = services.share_create(
                learner=learner,
                label=data["label"],
                awards=data["awards"],
                whole_record=data["whole_record"],
                partner=data["partner"],
                expires_at=expires_at,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Share “%(label)s” created: code %(code)s.") % {"label": share.label, "code": share.code}
            )
            return redirect("portal:shares")
    profile = TalentProfile.objects.filter(learner=learner).first()
    rows = [
        {"share": share, "link": credentials.absolute(reverse("partners:shared", args=[share.token]))}
        for share in learner.shares.select_related("partner").prefetch_related("awards__program")
    ]
    context = {
        "form": form,
        "rows": rows,
        "talent_form": TalentForm(instance=profile),
        "accesses": AccessLog.objects.filter(learner=learner).select_related("organisation", "share")[:100],
    }
    return render(request, "portal/shares.html", context)


@login_required
@require_POST
def revoke_share(request, pk):
    learner = learner_of_request(request)
    share = get_object_or_404(Share, pk=pk, learner=learner)
    services.share_revoke(share=share, learner=learner)
    messages.success(
        request, _("Share “%(label)s” withdrawn: its link and code no longer work.") % {"label": share.label}
    )
    return redirect("portal:shares")


@login_required
@require_POST
def talent_profile(request):
    learner = learner_of_request(request)
    form = TalentForm(request.POST)
    if form.is_valid():
        services.talent_profile_set(
            learner=learner, discoverable=form.cleaned_data["discoverable"], headline=form.cleaned_data["headline"]
        )
        if form.cleaned_data["discoverable"]:
            messages.success(request, _("Partner employers can now find you by your discoverable credentials."))
        else:
            messages.success(request, _("Partner employers can no longer find you by your discoverable credentials."))
    return redirect("portal:shares")
