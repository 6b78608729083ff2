"""Filters and search of the registrar's lists (credentials, enrolments, attempts): dates with presets, pathways.

Terms are calendar terms of four months — spring (January–April), summer (May–August), autumn
(September–December) — the periods the cohort labels name ("2026-autumn"). docs/decisions/0012.
"""

import datetime

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from rangefilter.filters import DateRangeQuickSelectListFilter

import config.search  # noqa: F401 - registers the unaccent_icontains lookup the search fields below use
from catalog.models import Pathway, Program

TERMS = (("spring", 1), ("summer", 5), ("autumn", 9))  # (name, first month); each lasts four months


def unaccented(*paths):
    """Admin ``search_fields`` matching ``paths`` whatever their case and accents ("chloe" finds "Chloé")."""
    return [f"{path}__unaccent_icontains" for path in paths]


def _month_start(day, months_back=0):
    month_index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(month_index // 12, month_index % 12 + 1, 1)


def _next_month_start(day):
    return _month_start(day, months_back=-1)


def term_of(day):
    """(name, first day, last day) of the term ``day`` falls in."""
    name, first_month = next((name, month) for name, month in reversed(TERMS) if day.month >= month)
    start = datetime.date(day.year, first_month, 1)
    end = _month_start(start, months_back=-4) - datetime.timedelta(days=1)
    return name, start, end


class DatePresetsFilter(DateRangeQuickSelectListFilter):
    """A from–to range, with links for this and last month, this and last term, and this year.

    Its template replaces rangefilter's, whose inline script the admin's Content-Security-Policy blocks: the
    range is a plain GET form with native date inputs that carries the list's other parameters along.
    """

    template = "admin/workspace/date_presets_filter.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        today = timezone.localdate()
        this_month = _month_start(today)
        term, term_start, term_end = term_of(today)
        last_term, last_term_start, last_term_end = term_of(term_start - datetime.timedelta(days=1))

        def between(first, last):
            return {self.lookup_kwarg_gte: first, self.lookup_kwarg_lte: last}

        self.links = (
            ("Any date", {}),
            ("This month", between(this_month, _next_month_start(today) - datetime.timedelta(days=1))),
            ("Last month", between(_month_start(today, 1), this_month - datetime.timedelta(days=1))),
            (f"This term ({term} {term_start.year})", between(term_start, term_end)),
            (f"Last term ({last_term} {last_term_start.year})", between(last_term_start, last_term_end)),
            ("This year", between(datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31))),
        )
        if field.null:
            self.links += (("No date", {self.field_generic + "isnull": True}),)

    def _get_form_fields(self):
        fields = super()._get_form_fields()
        for name, label in ((self.lookup_kwarg_gte, "From"), (self.lookup_kwarg_lte, "To")):
            fields[name].label = label
            fields[name].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        return fields

    def choices(self, changelist):
        """The preset links; the first choice also lists the parameters the range form carries along."""
        choices = list(super().choices(changelist))
        others = QueryDict(changelist.get_query_string(remove=[self.field_generic]).removeprefix("?"))
        choices[0]["carried_parameters"] = [(key, value) for key, values in others.lists() for value in values]
        return choices


class PathwayFilter(admin.SimpleListFilter):
    """Rows of the programs a pathway's rules count (any version: rules match by code) or of the award it gives."""

    title = "pathway"
    parameter_name = "pathway"
    program_path = "program"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in Pathway.objects.values_list("pk", "name")]

    def queryset(self, request, queryset):
        if not (self.value() or "").isdigit():
            return queryset
        counted_codes = Program.objects.filter(pathway_rules__pathway=self.value()).values("code")
        return queryset.filter(
            Q(**{f"{self.program_path}__code__in": counted_codes})
            | Q(**{f"{self.program_path}__awarded_by_pathway": self.value()})
        )


class AttemptPathwayFilter(PathwayFilter):
    program_path = "enrolment__program"
