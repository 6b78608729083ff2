from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalog.models import Pathway, SubjectArea

from .models import OutcomeFollowUp, ProgramReview, Rating, SurveyResponse, Workload


class ScopeForm(forms.Form):
    """The dashboard's filters; every field optional."""

    code = forms.CharField(label=_("Program code"), required=False, max_length=40)
    subject = forms.ModelChoiceField(
        SubjectArea.objects.all(), required=False, empty_label=_("All subjects"), label=_("Subject")
    )
    pathway = forms.ModelChoiceField(
        Pathway.objects.all(), required=False, empty_label=_("All pathways"), label=_("Pathway")
    )
    cohort = forms.CharField(
        label=_("Term"), required=False, max_length=60, help_text=_("Cohort label, e.g. 2026-autumn.")
    )
    enrolled_from = forms.DateField(
        label=_("Enrolled from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    enrolled_to = forms.DateField(
        label=_("Enrolled to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("enrolled_from"), data.get("enrolled_to")
        if start and end and start > end:
            self.add_error("enrolled_to", _("The end of the range is before its start."))
        return data


class SurveyForm(forms.ModelForm):
    relevance = forms.TypedChoiceField(
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        label=_("How relevant was the program to your job?"),
    )
    workload = forms.TypedChoiceField(
        choices=Workload.choices,
        coerce=int,
        widget=forms.RadioSelect,
        label=_("How did the workload compare with the advertised effort hours?"),
    )
    fairness = forms.TypedChoiceField(choices=Rating.choices, coerce=int, widget=forms.RadioSelect,
                                      label=_("How fair was the assessment?"))  # fmt: skip

    class Meta:
        model = SurveyResponse
        fields = ["relevance", "workload", "fairness", "comments"]
        labels = {"comments": _("Anything else? (optional)")}


YES_NO = [(True, _("Yes")), (False, _("No"))]


QUESTIONS = {
    "new_job": _("Started a new job?"),
    "promotion": _("Was promoted?"),
    "pay_rise": _("Got a raise?"),
    "used_skills": _("Used the skills at work?"),
}


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = OutcomeFollowUp
        fields = ["new_job", "promotion", "pay_rise", "used_skills"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            self.fields[name] = forms.TypedChoiceField(
                choices=YES_NO,
                coerce=lambda value: value in (True, "True"),
                widget=forms.RadioSelect,
                label=QUESTIONS[name],
            )


class ReviewForm(forms.ModelForm):
    # Declared, not derived from the model field: a model choice field adds a blank "---------" option, and
    # the reviewer must choose the outcome deliberately — nothing is preselected.
    outcome = forms.ChoiceField(choices=ProgramReview.Outcome.choices, widget=forms.RadioSelect, label=_("Decision"))
    minutes_url = forms.URLField(
        assume_scheme="https",
        required=False,
        max_length=500,
        label=_("Link to the minutes"),
        help_text=_("Optional: where the minutes are kept (shown as a link, never opened by the registry)."),
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    class Meta:
        model = ProgramReview
        fields = ["outcome", "rationale", "next_review_on", "minutes_reference", "minutes_url"]
        widgets = {
            "rationale": forms.Textarea(attrs={"rows": 5}),
            "next_review_on": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {
            "rationale": _("Rationale"),
            "next_review_on": _("Next review on"),
            "minutes_reference": _("Committee minutes (reference)"),
        }
        help_texts = {
            "rationale": _("Why this decision: it is kept in the program's audit trail."),
            "minutes_reference": _("Optional, e.g. “Programme committee, 14 Nov 2026, item 5”."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        months = settings.QUALITY_REVIEW_INTERVAL_MONTHS
        self.fields["next_review_on"].help_text = ngettext(
            "For “continue” only; if left empty, %(months)d month from today.",
            "For “continue” only; if left empty, %(months)d months from today.",
            months,
        ) % {"months": months}


class EmployerFeedbackForm(forms.Form):
    """One rating per competency the credential is aligned to."""

    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args, competencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.competencies = competencies
        for competency in competencies:
            self.fields[f"competency_{competency.pk}"] = forms.TypedChoiceField(
                choices=Rating.choices, coerce=int, widget=forms.RadioSelect, label=competency.name
            )

    def ratings(self):
        return {c.pk: self.cleaned_data[f"competency_{c.pk}"] for c in self.competencies}
