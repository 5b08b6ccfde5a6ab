"""Server-rendered SVG charts for the reports: no JavaScript, no library, nothing inline the CSP refuses (colours come
from classes in static/css/piis.css). Each chart is an image with a title; the page puts the table of its numbers
beside it, which is what screen readers and the CSV read.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 400
# Presentation attributes (not style="…", which the CSP refuses): a PDF laid out by WeasyPrint draws the SVG as an
# image, without the page's stylesheet, so the colours and sizes are in the SVG itself; the page's CSS may refine.
BAR_ATTRS = 'fill="#1f5fa8"'
TEXT_ATTRS = 'font-size="15" font-family="DejaVu Sans, sans-serif" fill="#222"'
SMALL_TEXT_ATTRS = 'font-size="12" font-family="DejaVu Sans, sans-serif" fill="#222"'
AXIS_ATTRS = 'stroke="#888" stroke-width="1"'
ROW = 48
BAR = 16
_ids = count(1)


LABEL_CHARS = 46  # what fits on a line of the chart at its font size; the table beside it has the whole label


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _number(value) -> str:
    if isinstance(value, Decimal):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def bar_chart(rows: Sequence[tuple[str, int | Decimal]], *, title: str) -> SafeString:
    """Horizontal bars, one per (label, value), the label above its bar and the value at its end."""
    rows = [(str(label), value) for label, value in rows if value is not None]
    ident = f"chart-{next(_ids)}"
    top = max((value for _label, value in rows), default=0) or 1
    height = ROW * len(rows) + 8
    parts = [
        f'<svg class="report-chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{ident}" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="{ident}">{escape(title)}</title>'
    ]
    usable = WIDTH - 60
    for index, (label, value) in enumerate(rows):
        y = index * ROW
        length = max(0.0, float(value) / float(top) * usable)
        parts.append(
            f'<text class="report-chart-label" {TEXT_ATTRS} x="0" y="{y + 16}">{escape(_short(label))}</text>'
        )
        parts.append(
            f'<rect class="report-chart-bar" {BAR_ATTRS} x="0" y="{y + 23}" width="{length:.1f}" height="{BAR}"/>'
        )
        parts.append(
            f'<text class="report-chart-value" {TEXT_ATTRS} x="{length + 6:.1f}" y="{y + 37}">'
            f"{escape(_number(value))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped


def column_chart(
    rows: Sequence[tuple[str, Decimal | None]], *, title: str, maximum: Decimal = Decimal(100)
) -> SafeString:
    """Vertical columns (the coverage rate month by month, in %), the label under each and the value above it; a
    month without anyone on the RI has no column."""
    ident = f"chart-{next(_ids)}"
    height, base, top_margin = 200, 170, 18
    step = WIDTH / max(len(rows), 1)
    parts = [
        f'<svg class="report-chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{ident}" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="{ident}">{escape(title)}</title>',
        f'<line class="report-chart-axis" {AXIS_ATTRS} x1="0" y1="{base}" x2="{WIDTH}" y2="{base}"/>',
    ]
    for index, (label, value) in enumerate(rows):
        x = index * step
        if value is not None:
            h = float(value) / float(maximum) * (base - top_margin)
            parts.append(
                f'<rect class="report-chart-bar" {BAR_ATTRS} x="{x + step * 0.15:.1f}" y="{base - h:.1f}" '
                f'width="{step * 0.7:.1f}" height="{h:.1f}"/>'
            )
            parts.append(
                f'<text class="report-chart-value" {SMALL_TEXT_ATTRS} x="{x + step / 2:.1f}" y="{base - h - 4:.1f}" '
                f'text-anchor="middle">{value:.0f}</text>'
            )
        parts.append(
            f'<text class="report-chart-label" {TEXT_ATTRS} x="{x + step / 2:.1f}" y="{base + 20}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped
