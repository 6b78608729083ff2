"""Small server-rendered SVG charts: no script, no CDN and no inline style (the CSP forbids both), and each
with a text alternative — an accessible name and description on the SVG, and its data as a table."""

from dataclasses import dataclass
from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

WIDTH, ROW, BAR_LEFT, BAR_WIDTH = 640, 26, 210, 360
PALETTE = ["#1b5e8a", "#4f9ccf", "#9cc9e6", "#f0b35a", "#c8553d", "#6c757d"]


@dataclass(frozen=True)
class Chart:
    """An SVG chart with its text alternative: ``headers`` and ``rows`` hold the same data as a table."""

    id: str
    title: str
    description: str
    svg: str
    headers: list
    rows: list


def _svg(chart_id, title, description, height, body):
    return mark_safe(  # nosec B308 B703 - every text in ``body`` went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{body}</svg>"
    )


def _label(x, y, text, anchor="end"):
    return f'<text x="{x}" y="{y}" text-anchor="{anchor}" font-size="12" fill="#222">{escape(str(text))}</text>'


def _percent_axis(y, axis):
    """A 0–100 % scale under horizontal bars, with ticks and the axis title ``axis``."""
    parts = [f'<line x1="{BAR_LEFT}" y1="{y}" x2="{BAR_LEFT + BAR_WIDTH}" y2="{y}" stroke="#222"/>']
    for tick in (0, 25, 50, 75, 100):
        x = BAR_LEFT + BAR_WIDTH * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{y + 4}" stroke="#222"/>')
        parts.append(_label(x, y + 16, f"{tick}%", "middle"))
    parts.append(_label(BAR_LEFT + BAR_WIDTH / 2, y + 32, axis, "middle"))
    return "".join(parts)


def bar_chart(chart_id, title, items, *, axis, unit="%", scale=100):
    """Horizontal bars, one per (label, value in 0…1 or None); None is drawn as "no data". ``axis`` names what
    the 0–100 % scale measures."""
    body = []
    for index, (label, value) in enumerate(items):
        y = 10 + index * ROW
        body.append(_label(BAR_LEFT - 8, y + 14, label))
        if value is None:
            body.append(_label(BAR_LEFT, y + 14, _("no data"), "start"))
            continue
        length = max(0.0, min(1.0, value)) * BAR_WIDTH
        body.append(f'<rect x="{BAR_LEFT}" y="{y + 3}" width="{length:.1f}" height="{ROW - 8}" fill="{PALETTE[0]}"/>')
        body.append(_label(BAR_LEFT + length + 6, y + 14, f"{value * scale:.0f}{unit}", "start"))
    body.append(_percent_axis(14 + len(items) * ROW, axis))
    description = "; ".join(f"{label}: {_text(value, unit, scale)}" for label, value in items) or _("No data.")
    description = f"{axis}. {description}"
    svg = _svg(chart_id, title, description, 56 + len(items) * ROW, "".join(body))
    rows = [(label, _text(v, unit, scale)) for label, v in items]
    return Chart(chart_id, title, description, svg, [_("Program"), axis], rows)


def stacked_bar_chart(chart_id, title, rows, segments, *, axis):
    """One 100 % bar per (label, [count per segment]); ``segments`` names the parts in order, ``axis`` what the
    0–100 % scale measures."""
    body = []
    for index, (label, counts) in enumerate(rows):
        y = 10 + index * ROW
        body.append(_label(BAR_LEFT - 8, y + 14, label))
        total, x = sum(counts), float(BAR_LEFT)
        for part, count in enumerate(counts):
            if not total or not count:
                continue
            width = count / total * BAR_WIDTH
            colour = PALETTE[part % len(PALETTE)]
            body.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="{ROW - 8}" fill="{colour}"/>')
            x += width
    body.append(_percent_axis(14 + len(rows) * ROW, axis))
    legend_y = 70 + len(rows) * ROW
    for part, name in enumerate(segments):
        x = BAR_LEFT + part * 90
        colour = PALETTE[part % len(PALETTE)]
        body.append(f'<rect x="{x}" y="{legend_y - 10}" width="10" height="10" fill="{colour}"/>')
        body.append(_label(x + 14, legend_y, name, "start"))
    description = "; ".join(
        f"{label}: " + ", ".join(f"{name} {count}" for name, count in zip(segments, counts, strict=True))
        for label, counts in rows
    )
    description = f"{axis}. {description or _('No data.')}"
    svg = _svg(chart_id, title, description, legend_y + 10, "".join(body))
    return Chart(chart_id, title, description, svg, ["", *segments], [(label, *counts) for label, counts in rows])


def histogram(chart_id, title, bands, *, x_axis, y_axis):
    """Vertical bars, one per (band label, count); ``x_axis`` and ``y_axis`` name the two scales."""
    height, base, left = 250, 180, 40
    peak = max((count for _, count in bands), default=0) or 1
    width = (WIDTH - left - 20) / max(1, len(bands))
    body = [
        f'<line x1="{left}" y1="{base}" x2="{WIDTH - 20}" y2="{base}" stroke="#222"/>',
        f'<line x1="{left}" y1="20" x2="{left}" y2="{base}" stroke="#222"/>',
        _label(left - 6, base + 4, 0),
        _label(left - 6, 24, peak),
        _label(left, 12, y_axis, "start"),
        _label(left + (WIDTH - left - 20) / 2, base + 40, x_axis, "middle"),
    ]
    for index, (label, count) in enumerate(bands):
        bar = count / peak * (base - 20)
        x = left + index * width
        body.append(
            f'<rect x="{x + 2:.1f}" y="{base - bar:.1f}" width="{width - 4:.1f}" height="{bar:.1f}" '
            f'fill="{PALETTE[1]}"/>'
        )
        body.append(_label(x + width / 2, base - bar - 4, count, "middle"))
        body.append(_label(x + width / 2, base + 16, label, "middle"))
    description = "; ".join(f"{label}: {count}" for label, count in bands) or _("No data.")
    description = f"{x_axis}; {y_axis}. {description}"
    svg = _svg(chart_id, title, description, height, "".join(body))
    return Chart(chart_id, title, description, svg, [x_axis, y_axis], list(bands))


def line_chart(chart_id, title, points, *, x_axis, y_axis, unit="%", scale=100):
    """A line through (label, value in 0…1 or None) points, in order (e.g. terms); ``x_axis`` and ``y_axis``
    name the two scales."""
    height, base, top, left = 250, 180, 30, 60
    step = (WIDTH - left - 40) / max(1, len(points) - 1)
    body = [
        f'<line x1="{left}" y1="{base}" x2="{WIDTH - 20}" y2="{base}" stroke="#222"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{base}" stroke="#222"/>',
        _label(left - 6, base + 4, f"0{unit}"),
        _label(left - 6, top + 4, f"{scale}{unit}"),
        _label(left, top - 14, y_axis, "start"),
        _label(left + (WIDTH - left - 20) / 2, base + 40, x_axis, "middle"),
    ]
    coordinates = []
    for index, (label, value) in enumerate(points):
        x = left + index * step
        body.append(_label(x, base + 16, label, "middle"))
        if value is not None:
            y = base - max(0.0, min(1.0, value)) * (base - top)
            coordinates.append(f"{x:.1f},{y:.1f}")
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{PALETTE[0]}"/>')
            body.append(_label(x, y - 8, f"{value * scale:.0f}{unit}", "middle"))
    if len(coordinates) > 1:
        line = " ".join(coordinates)
        body.insert(1, f'<polyline points="{line}" fill="none" stroke="{PALETTE[0]}" stroke-width="2"/>')
    description = "; ".join(f"{label}: {_text(value, unit, scale)}" for label, value in points) or _("No data.")
    description = f"{x_axis}; {y_axis}. {description}"
    svg = _svg(chart_id, title, description, height, "".join(body))
    rows = [(label, _text(value, unit, scale)) for label, value in points]
    return Chart(chart_id, title, description, svg, [x_axis, y_axis], rows)


def _text(value, unit, scale):
    return _("no data") if value is None else f"{value * scale:.0f}{unit}"
