"""Numbers on the quality pages always carry their scale or unit: "4.2 / 5", "−0.4", "67%", "4 of 6"."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()

MINUS = "\u2212"  # a true minus sign: a hyphen reads as a dash next to "−2 … +2"


def _half_up(value, places):
    """``value`` rounded half away from zero to ``places`` ("0.1", "1"), as people round: number_format
    truncates, and round() rounds 4.25 down (binary floats, half to even)."""
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


@register.filter
def rating(value):
    """A mean 1–5 rating as "4.2 / 5"; "—" without data."""
    if value is None:
        return "—"
    return _("%(value)s / 5") % {"value": number_format(_half_up(value, "0.1"), 1)}


@register.filter
def workload(value):
    """A mean workload on −2…+2 with its sign: "−0.4", "+1.0", "0.0"; "—" without data."""
    if value is None:
        return "—"
    rounded = _half_up(value, "0.1")
    text = number_format(abs(rounded), 1)
    return f"{MINUS}{text}" if rounded < 0 else f"+{text}" if rounded > 0 else text


@register.filter
def percent(value):
    """A share in 0…1 as a whole percentage, "67%"; "—" without data."""
    if value is None:
        return "—"
    return _("%(value)s%%") % {"value": number_format(_half_up(value * 100, "1"), 0)}


@register.simple_tag
def share(part, whole):
    """A share with the counts behind it: "67% (4 of 6)"; "—" when there is nothing to divide by."""
    if not whole:
        return "—"
    return _("%(percent)s (%(part)s of %(whole)s)") % {"percent": percent(part / whole), "part": part, "whole": whole}
