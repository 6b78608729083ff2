from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Occupation


class OccupationSearchForm(forms.Form):
    q = forms.CharField(label=_("Find an occupation"), max_length=100, required=False)


class OccupationGoalForm(forms.Form):
    occupation = forms.ModelChoiceField(
        queryset=Occupation.objects.all(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("No such occupation.")},
    )


class PostingGoalForm(forms.Form):
    title = forms.CharField(label=_("Job title"), max_length=200)
    posting = forms.CharField(
        label=_("Job posting"),
        widget=forms.Textarea(attrs={"rows": 8}),
        min_length=settings.GUIDANCE_MIN_POSTING_LENGTH,
        max_length=20_000,
        help_text=_("Paste the posting's text; its skills are read from it here, nothing is sent anywhere."),
    )
