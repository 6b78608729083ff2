"""Public catalog search and filters (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Alignment, Competency, Program, SubjectArea


class ProgramFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    subject = django_filters.ModelChoiceFilter(
        queryset=SubjectArea.objects.all(), empty_label=_("Any subject"), label=_("Subject")
    )
    competency = django_filters.ModelChoiceFilter(
        queryset=Competency.objects.select_related("framework"),
        field_name="competencies",
        empty_label=_("Any skill"),
        label=_("Skill"),
    )
    level = django_filters.ChoiceFilter(choices=Program.Level.choices, empty_label=_("Any level"), label=_("Level"))
    delivery_mode = django_filters.ChoiceFilter(
        choices=Program.DeliveryMode.choices, empty_label=_("Any mode"), label=_("Delivery")
    )
    cost_min = django_filters.NumberFilter(field_name="cost", lookup_expr="gte", label=_("Minimum cost"))
    cost_max = django_filters.NumberFilter(field_name="cost", lookup_expr="lte", label=_("Maximum cost"))
    hours_max = django_filters.NumberFilter(field_name="effort_hours", lookup_expr="lte", label=_("At most (hours)"))
    credits_min = django_filters.NumberFilter(
        field_name="credit_value", lookup_expr="gte", label=_("At least (credits)")
    )

    class Meta:
        model = Program
        fields = []

    @property
    def refinements(self):
        """How many filters besides the search words narrow the list (the catalog's collapsed panel shows it)."""
        if not self.is_bound or not self.form.is_valid():
            return 0
        return sum(1 for name, value in self.form.cleaned_data.items() if name != "q" and value not in (None, ""))

    def search(self, queryset, name, value):
        """Words must all appear in the title, summary, description, code, or an aligned competency."""
        for word in value.split():
            skilled = Alignment.objects.filter(competency__name__icontains=word).values("program_id")
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(description__icontains=word)
                | Q(code__icontains=word)
                | Q(pk__in=skilled)
            )
        return queryset


for field in ("cost_min", "cost_max", "hours_max", "credits_min"):
    ProgramFilter.base_filters[field].field_class = forms.DecimalField
