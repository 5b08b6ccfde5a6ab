"""Line charts as SVG, rendered on the server (no script): each series a polyline with its points, a gap where a
value is suppressed or missing. The numbers are always in a table beside the chart (the template), so the SVG is
marked as an image described by its title; colours come from classes (static/css), each series also has its own
dash pattern and point shape so that it reads without colour.

On a phone (under 45rem) a 640-unit-wide drawing shrinks to about half its size and its 12-unit labels to 6 px, too
small to read. So every chart is drawn twice (`responsive`): at 640 units for a wide screen and at 360 units for a
phone, where it is drawn at about its own size (labels about 12 px, long labels wrapped); the stylesheet shows one of
the two (the other is `display: none`, out of the accessibility tree too).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 260
PHONE_WIDTH, PHONE_HEIGHT = 360, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 40
MARKERS = ("circle", "square", "diamond")


@dataclass(frozen=True)
class Series:
    label: str
    values: list[Decimal | None]
    style: int | None = None  # the colour/dash/marker set (chart-series-N); by default the series' position


def responsive(draw: Callable[..., SafeString], *, chart_id: str, **kwargs) -> SafeString:
    """The chart drawn for a wide screen and for a phone, the stylesheet showing one of the two."""
    wide = draw(chart_id=chart_id, **kwargs)
    narrow = draw(chart_id=f"{chart_id}-phone", phone=True, **kwargs)
    return format_html('<div class="chart-wide">{}</div><div class="chart-narrow">{}</div>', wide, narrow)


def _nice_max(values: list[Decimal], percent: bool) -> Decimal:
    if percent:
        return Decimal(100)
    top = max(values, default=Decimal(0))
    for step in (Decimal(1), Decimal(2), Decimal(5), Decimal(10), Decimal(20), Decimal(50), Decimal(100)):
        if top <= step * 4:
            return step * 4
    return (top / 100).to_integral_value() * 100 + 100


def _marker(kind: str, x: float, y: float, tip: str) -> str:
    title = f"<title>{escape(tip)}</title>"
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7">{title}</rect>'
    if kind == "diamond":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon points="{points}">{title}</polygon>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4">{title}</circle>'


def _line_svg(
    *,
    chart_id: str,
    title: str,
    labels: list[str],
    series: list[Series],
    percent: bool,
    reference: tuple[str, Decimal] | None = None,
    band: tuple[list[Decimal | None], list[Decimal | None]] | None = None,
    phone: bool = False,
) -> SafeString:
    """An SVG line chart of `series` over `labels` (the periods); `reference` draws a labelled horizontal line,
    `band` a shaded area between a lower and an upper series (a gap where either is missing)."""
    width, height = (PHONE_WIDTH, PHONE_HEIGHT) if phone else (WIDTH, HEIGHT)
    shown = [v for s in series for v in s.values if v is not None]
    if band is not None:
        shown.extend(v for v in band[1] if v is not None)
    if reference is not None:
        shown.append(reference[1])
    top = _nice_max(shown, percent)
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    step = plot_w / max(len(labels) - 1, 1)

    def x_of(i: int) -> float:
        return LEFT + i * step

    def y_of(v: Decimal) -> float:
        return TOP + plot_h - float(v / top) * plot_h if top else TOP + plot_h

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{chart_id}-title" '
        f'xmlns="http://www.w3.org/2000/svg">',
        format_html('<title id="{}-title">{}</title>', chart_id, title),
    ]
    for tick in range(5):
        tick_value = top * tick / 4
        y = y_of(tick_value)
        label = f"{tick_value.normalize():f}" + (" %" if percent else "")
        parts.append(f'<line class="chart-grid" x1="{LEFT}" x2="{width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(
            f'<text class="chart-axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(label)}</text>'
        )
    # At most one period label per 80 units under the axis (six on a wide screen, three or four on a phone).
    room = max(1, plot_w // 80)
    every = max(1, (len(labels) + room - 1) // room)
    last = len(labels) - 1
    for i, label in enumerate(labels):
        # Every `every`-th label, and the last one, unless that would crowd the one before it.
        if (i % every == 0 and (i == last or last - i >= every)) or i == last:
            # The first and last labels are anchored inside the chart, so that neither is cut at the edge.
            anchor = "start" if i == 0 else "end" if i == len(labels) - 1 else "middle"
            parts.append(
                f'<text class="chart-axis" x="{x_of(i):.1f}" y="{height - BOTTOM + 18}" '
                f'text-anchor="{anchor}">{escape(label)}</text>'
            )
    if reference is not None:
        y = y_of(reference[1])
        parts.append(f'<line class="chart-reference" x1="{LEFT}" x2="{width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="chart-axis" x="{width - RIGHT}" y="{y - 4:.1f}" text-anchor="end">')
        parts.append(f"{escape(reference[0])}</text>")
    if band is not None:
        run_low: list[str] = []
        run_high: list[str] = []
        for i, (low, high) in enumerate([*zip(*band, strict=True), (None, None)]):
            if low is None or high is None:
                if run_low:
                    points = " ".join([*run_high, *reversed(run_low)])
                    parts.append(f'<polygon class="chart-band" points="{points}"/>')
                run_low, run_high = [], []
                continue
            run_low.append(f"{x_of(i):.1f},{y_of(low):.1f}")
            run_high.append(f"{x_of(i):.1f},{y_of(high):.1f}")
    for n, one in enumerate(series):
        style = n if one.style is None else one.style
        parts.append(f'<g class="chart-series chart-series-{style % 3}">')
        run: list[str] = []
        for i, value in enumerate([*one.values, None]):
            if value is None:
                if len(run) > 1:
                    parts.append(f'<polyline fill="none" points="{" ".join(run)}"/>')
                run = []
                continue
            run.append(f"{x_of(i):.1f},{y_of(value):.1f}")
        for i, value in enumerate(one.values):
            if value is not None:
                tip = f"{one.label} — {labels[i]}: {value}"
                parts.append(_marker(MARKERS[style % 3], x_of(i), y_of(value), tip))
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


@dataclass(frozen=True)
class SpreadRow:
    label: str
    percent: bool
    lowest: Decimal | None  # None: whiskers not drawn (a director never sees the extremes)
    q1: Decimal | None
    median: Decimal | None
    q3: Decimal | None
    highest: Decimal | None
    own: Decimal | None = None  # the viewer's CPAS, drawn as a dot


SPREAD_ROW, SPREAD_LABEL, SPREAD_SCALE, SPREAD_LEFT = 34, 16, 30, 12


def _wrapped(label: str, width: int) -> list[str]:
    """A label cut into lines that fit `width` units at 12 units a character's ~6.6 (never cut inside a word)."""
    return textwrap.wrap(label, max(12, int(width / 6.6))) or [""]


def _spread_svg(
    *, chart_id: str, title: str, rows: list[SpreadRow], own_label: str = "", phone: bool = False
) -> SafeString:
    """One horizontal box per figure: its label above (wrapped on a phone), the box from the first to the third
    quartile, a bar at the median, whiskers to the lowest and highest value when given, and a diamond for the
    viewer's own CPAS; under it the row's own scale (0–100 % for a percentage, 0 to a round number above the largest
    value drawn otherwise), written at both ends."""
    width = PHONE_WIDTH if phone else WIDTH
    left, right = SPREAD_LEFT, width - RIGHT
    plot_w = right - left
    rows = [row for row in rows if row.q1 is not None and row.median is not None and row.q3 is not None]
    labels = [_wrapped(row.label, plot_w) if phone else [row.label] for row in rows]
    height = TOP + sum(len(lines) * SPREAD_LABEL + SPREAD_ROW + SPREAD_SCALE for lines in labels) + 4
    parts = [
        f'<svg class="chart chart-spread" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title" xmlns="http://www.w3.org/2000/svg">',
        format_html('<title id="{}-title">{}</title>', chart_id, title),
    ]
    y0 = TOP
    for row, lines in zip(rows, labels, strict=True):
        assert row.q1 is not None and row.median is not None and row.q3 is not None
        drawn = [v for v in (row.lowest, row.q1, row.median, row.q3, row.highest, row.own) if v is not None]
        top = _nice_max(drawn, row.percent)
        unit = " %" if row.percent else ""

        def x_of(v: Decimal, top: Decimal = top) -> float:
            return left + (float(v / top) * plot_w if top else 0.0)

        for k, line in enumerate(lines):
            parts.append(f'<text class="chart-axis" x="{left}" y="{y0 + 12 + k * SPREAD_LABEL}">{escape(line)}</text>')
        mid = y0 + len(lines) * SPREAD_LABEL + SPREAD_ROW / 2
        scale_y = mid + SPREAD_ROW / 2 + 12
        parts.append(f'<line class="chart-grid" x1="{left}" x2="{right}" y1="{mid:.1f}" y2="{mid:.1f}"/>')
        parts.append(f'<text class="chart-axis" x="{left}" y="{scale_y:.1f}">0{unit}</text>')
        parts.append(
            f'<text class="chart-axis" x="{right}" y="{scale_y:.1f}" text-anchor="end">'
            f"{escape(f'{top.normalize():f}')}{unit}</text>"
        )
        parts.append('<g class="chart-series chart-series-0">')
        if row.lowest is not None and row.highest is not None:
            parts.append(
                f'<line x1="{x_of(row.lowest):.1f}" x2="{x_of(row.highest):.1f}" y1="{mid:.1f}" y2="{mid:.1f}"/>'
            )
        tip = escape(f"{row.label}: {row.q1} – {row.median} – {row.q3}")
        parts.append(
            f'<rect class="chart-box" x="{x_of(row.q1):.1f}" y="{mid - 9:.1f}" '
            f'width="{max(x_of(row.q3) - x_of(row.q1), 1.0):.1f}" height="18"><title>{tip}</title></rect>'
        )
        parts.append(
            f'<line x1="{x_of(row.median):.1f}" x2="{x_of(row.median):.1f}" y1="{mid - 11:.1f}" y2="{mid + 11:.1f}"/>'
        )
        parts.append("</g>")
        if row.own is not None:
            parts.append('<g class="chart-series chart-series-1">')
            parts.append(_marker("diamond", x_of(row.own), mid, f"{own_label}: {row.own}"))
            parts.append("</g>")
        y0 += len(lines) * SPREAD_LABEL + SPREAD_ROW + SPREAD_SCALE
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


def line_chart(**kwargs) -> SafeString:
    """The line chart (`_line_svg`) for a wide screen and for a phone."""
    return responsive(_line_svg, **kwargs)


def spread_chart(**kwargs) -> SafeString:
    """The box chart (`_spread_svg`) for a wide screen and for a phone."""
    return responsive(_spread_svg, **kwargs)
