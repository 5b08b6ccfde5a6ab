"""Equity between CPAS (§18 S-Eq, issue 14): each CPAS's figures beside their spread over all CPAS.

No CPAS may read another's files, and row-level security holds every query in one CPAS. So the comparison is made
in two steps:

1. `refresh(today)` (the `compute_equity` command, nightly) visits the CPAS one by one, each in its own transaction
   under its own row-level-security context, computes the observatory's CPAS-level figures over the last twelve
   months (`metrics.load` + `tally`, the same as the dashboard's "whole CPAS" over its monthly window) and stores
   only the aggregates in `CpasFigure`: a value and the number of people in its base, suppressed under
   `metrics.MIN_PEOPLE` people.
2. The pages read that table only: a director sees their CPAS's value beside the quartiles of all CPAS and in which
   quarter it falls, never another CPAS named and never a distribution over fewer than `MIN_CPAS` CPAS; the SPP IS
   (the inspector role) sees every CPAS named with the spread (`federal_table`).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from piis.accounts.models import Cpas
from piis.core.rls import set_current_cpas
from piis.observatory import charts, metrics
from piis.observatory.metrics import FIGURES, ONE_DECIMAL, Figure, Value
from piis.observatory.models import CpasFigure
from piis.observatory.periods import SERIES_LENGTH, Granularity, Period, last_periods, period_of, shifted

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# A distribution over fewer CPAS than this is not shown to a director: with two or three CPAS, the quartiles and
# one's own value would give the others' values away.
MIN_CPAS = 5

QUARTERS = {
    1: _("lowest quarter"),
    2: _("second quarter"),
    3: _("third quarter"),
    4: _("highest quarter"),
}


# The periods compared: calendar quarters, each over the twelve months ending with it (a rolling year), so that
# every period has the same definition and the base of a whole year (a quarter alone would leave most small CPAS
# under the suppression threshold). Pages show the last eight quarters, two years.
WINDOW_QUARTERS = 4
HISTORY = SERIES_LENGTH[Granularity.QUARTER]


def quarter_from_code(code: str) -> Period | None:
    """The quarter of a stored code ("2026-Q2"); None for anything else."""
    year, _sep, quarter = code.partition("-Q")
    if not (year.isdigit() and quarter in ("1", "2", "3", "4")):
        return None
    return period_of(date(int(year), 3 * int(quarter) - 2, 1), Granularity.QUARTER)


def quarters_between(first: Period, last: Period) -> list[Period]:
    """The quarters from `first` to `last`, both included, oldest first."""
    quarters = []
    current = first
    while current.start <= last.start:
        quarters.append(current)
        current = shifted(current, 1)
    return quarters


def window_of(period: Period) -> tuple[date, date]:
    """The twelve months a quarter's figures are computed over: the four quarters ending with it."""
    return last_periods(period.start, Granularity.QUARTER, WINDOW_QUARTERS)[0].start, period.end


def history_values(cpas, periods: list[Period], *, today: date) -> dict[Period, list[Value]]:
    """One CPAS's figures for each quarter of `periods` (contiguous, oldest first), each over its twelve months.
    One `metrics.load` from the first window's start to the last quarter's end, tallied per quarter; a period's
    window merges its four quarters' cells (the same sums as one load and tally over that window alone). Reads that
    CPAS only: call it inside the CPAS's row-level-security context (`refresh` does)."""
    first_start, _end = window_of(periods[0])
    quarters = quarters_between(period_of(first_start, Granularity.QUARTER), periods[-1])
    data = metrics.load(cpas, start=first_start, end=periods[-1].end, today=today)
    cells = metrics.tally(data, quarters)
    index = {quarter: i for i, quarter in enumerate(quarters)}
    whole: metrics.GroupKey = ("all", None)
    result = {}
    for period in periods:
        at = index[period]
        found = [cells[(whole, i)] for i in range(at - WINDOW_QUARTERS + 1, at + 1) if (whole, i) in cells]
        merged = None
        if found:
            merged = metrics.Cell()
            for cell in found:
                merged.merge(cell)
        result[period] = [figure.of(merged) for figure in FIGURES]
    return result


def cpas_values(cpas, *, today: date) -> tuple[date, date, list[Value]]:
    """One CPAS's figures for the quarter holding `today` (the twelve months ending with that quarter)."""
    period = period_of(today, Granularity.QUARTER)
    start, end = window_of(period)
    return start, end, history_values(cpas, [period], today=today)[period]


def periods_to_compute(today: date, since: date | None = None) -> list[Period]:
    """The quarters a run recomputes: from the quarter holding `since` (a backfill) or else the previous quarter
    (late entries for a quarter just ended are taken in for one more quarter), to the quarter holding `today`."""
    current = period_of(today, Granularity.QUARTER)
    first = period_of(since, Granularity.QUARTER) if since else shifted(current, -1)
    return quarters_between(min(first, current), current)


def refresh(*, today: date, since: date | None = None) -> int:
    """Recompute and store every CPAS's figures for `periods_to_compute(today, since)`, CPAS by CPAS, each under its
    own RLS context, replacing those quarters' rows (a second run overwrites them); the number of CPAS."""
    periods = periods_to_compute(today, since)
    codes = [period.code for period in periods]
    done = 0
    for cpas in Cpas.objects.order_by("pk"):
        with transaction.atomic():
            set_current_cpas(cpas.pk)
            history = history_values(cpas, periods, today=today)
            set_current_cpas(None)  # nothing of a tenant table is read from here on
            CpasFigure.objects.filter(cpas=cpas, period__in=codes).delete()
            CpasFigure.objects.bulk_create(
                CpasFigure(
                    cpas=cpas,
                    period=period.code,
                    figure=figure.key,
                    value=value.shown,
                    people=value.people,
                    suppressed=value.suppressed,
                    start=window_of(period)[0],
                    end=period.end,
                    computed_on=today,
                )
                for period, values in history.items()
                for figure, value in zip(FIGURES, values, strict=True)
            )
        done += 1
    return done


def _round(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Spread:
    """The distribution of one figure over the CPAS that have a value (suppressed ones left out)."""

    count: int
    lowest: Decimal | None = None
    q1: Decimal | None = None
    median: Decimal | None = None
    q3: Decimal | None = None
    highest: Decimal | None = None

    @property
    def gap(self) -> Decimal | None:
        return None if self.lowest is None or self.highest is None else self.highest - self.lowest

    def quarter_of(self, value: Decimal | None) -> int | None:
        """1 below the first quartile, 2 up to the median, 3 up to the third quartile, 4 above it."""
        if value is None or self.q1 is None or self.median is None or self.q3 is None:
            return None
        if value < self.q1:
            return 1
        if value < self.median:
            return 2
        if value <= self.q3:
            return 3
        return 4


def spread_of(values: list[Decimal]) -> Spread:
    """Quartiles by the inclusive method (statistics.quantiles), rounded half up to one decimal."""
    if not values:
        return Spread(0)
    ordered = sorted(values)
    if len(ordered) == 1:
        only = ordered[0]
        return Spread(1, only, only, only, only, only)
    q1, median, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    return Spread(len(ordered), ordered[0], _round(q1), _round(median), _round(q3), ordered[-1])


class _OwnAmongAll:
    """Where a CPAS's own value falls among all CPAS (`own` and `spread` are the dataclass's fields)."""

    own: Value | None
    spread: Spread | None

    @property
    def quarter(self) -> int | None:
        return None if self.spread is None or self.own is None else self.spread.quarter_of(self.own.shown)

    @property
    def quarter_label(self):
        return QUARTERS.get(self.quarter or 0, "")


@dataclass(frozen=True)
class Comparison(_OwnAmongAll):
    """One figure for a director: their CPAS's value and where it falls among all CPAS."""

    figure: Figure
    own: Value | None
    spread: Spread | None  # None: fewer than MIN_CPAS CPAS have a value


@dataclass(frozen=True)
class Equity:
    computed_on: date | None
    start: date | None
    end: date | None
    lines: list[Comparison]
    min_cpas: int = MIN_CPAS

    @property
    def any_spread(self) -> bool:
        return any(line.spread is not None for line in self.lines)


def stored_periods(count: int = HISTORY) -> list[Period]:
    """The last `count` quarters with stored figures, oldest first."""
    codes = CpasFigure.objects.order_by("-period").values_list("period", flat=True).distinct()[:count]
    return sorted(p for p in (quarter_from_code(code) for code in codes) if p is not None)


_Row = tuple[int, str, str, Decimal | None, int, bool, date, date, date]  # cpas, period, figure, value, …


def _rows(periods: list[Period], figure: Figure | None = None) -> list[_Row]:
    rows = CpasFigure.objects.filter(period__in=[p.code for p in periods])
    if figure is not None:
        rows = rows.filter(figure=figure.key)
    return list(
        rows.order_by("cpas_id").values_list(
            "cpas_id", "period", "figure", "value", "people", "suppressed", "start", "end", "computed_on"
        )
    )


def _value(row: _Row | None) -> Value | None:
    return None if row is None else Value(row[3], row[4], row[5])


def _by_period_and_figure(rows: list[_Row]) -> dict[tuple[str, str], list[_Row]]:
    grouped: dict[tuple[str, str], list[_Row]] = defaultdict(list)
    for row in rows:
        grouped[(row[1], row[2])].append(row)
    return grouped


def _director_spread(group: list[_Row]) -> Spread | None:
    values = [row[3] for row in group if row[3] is not None]
    return spread_of(values) if len(values) >= MIN_CPAS else None


def comparison_for(cpas) -> Equity:
    """A director's view of the latest quarter: the CPAS's stored values beside the spread over all CPAS (no CPAS
    named, no distribution over fewer than MIN_CPAS CPAS)."""
    periods = stored_periods(1)
    rows = _rows(periods)
    grouped = _by_period_and_figure(rows)
    code = periods[0].code if periods else ""
    lines = []
    for figure in FIGURES:
        group = grouped.get((code, figure.key), [])
        own = next((r for r in group if r[0] == cpas.pk), None)
        lines.append(Comparison(figure, _value(own), _director_spread(group)))
    stamp = next((r for r in rows if r[0] == cpas.pk), None)
    return Equity(stamp[8] if stamp else None, stamp[6] if stamp else None, stamp[7] if stamp else None, lines)


@dataclass(frozen=True)
class Point(_OwnAmongAll):
    """One quarter of a figure for a director: their CPAS's value and the spread over all CPAS that quarter."""

    period: Period
    own: Value | None
    spread: Spread | None  # None: fewer than MIN_CPAS CPAS have a value that quarter


@dataclass(frozen=True)
class Trend:
    figure: Figure
    points: list[Point]  # one per period of the History, oldest first


@dataclass(frozen=True)
class History:
    periods: list[Period]
    trends: list[Trend]
    computed_on: date | None  # the latest computation of the CPAS's rows
    min_cpas: int = MIN_CPAS


def history_for(cpas, *, count: int = HISTORY) -> History:
    """A director's comparison over time: for each figure and each of the last `count` quarters, their CPAS's value
    beside the quartiles of all CPAS (none named; no distribution over fewer than MIN_CPAS CPAS). One query."""
    periods = stored_periods(count)
    rows = _rows(periods)
    grouped = _by_period_and_figure(rows)
    trends = []
    for figure in FIGURES:
        points = []
        for period in periods:
            group = grouped.get((period.code, figure.key), [])
            own = next((r for r in group if r[0] == cpas.pk), None)
            points.append(Point(period, _value(own), _director_spread(group)))
        trends.append(Trend(figure, points))
    computed = [r[8] for r in rows if r[0] == cpas.pk]
    return History(periods, trends, max(computed) if computed else None)


@dataclass(frozen=True)
class FederalTable:
    computed_on: date | None
    start: date | None
    end: date | None
    cpas: list[tuple[str, list[Value | None]]]  # each CPAS by name, one value per figure
    spreads: list[Spread]  # one per figure
    period: Period | None = None

    @property
    def footer(self) -> list[tuple[StrOrPromise, list[Decimal | None]]]:
        """The spread rows under the table: lowest, quartiles, highest, gap, one number per figure."""
        return [
            (_("Lowest"), [s.lowest for s in self.spreads]),
            (_("First quartile"), [s.q1 for s in self.spreads]),
            (_("Median"), [s.median for s in self.spreads]),
            (_("Third quartile"), [s.q3 for s in self.spreads]),
            (_("Highest"), [s.highest for s in self.spreads]),
            (_("Gap"), [s.gap for s in self.spreads]),
        ]


def federal_table(period: Period | None = None) -> FederalTable:
    """The SPP IS's view of one quarter (the latest by default): every CPAS named with its values, and each figure's
    spread over all CPAS."""
    periods = [period] if period is not None else stored_periods(1)
    rows = _rows(periods)
    grouped = _by_period_and_figure(rows)
    code = periods[0].code if periods else ""
    names = dict(Cpas.objects.values_list("pk", "name"))
    present = sorted({r[0] for r in rows}, key=lambda pk: names.get(pk, ""))
    index = {(r[0], r[2]): r for r in rows}
    table = [(names.get(pk, "?"), [_value(index.get((pk, f.key))) for f in FIGURES]) for pk in present]
    spreads = [spread_of([r[3] for r in grouped.get((code, f.key), []) if r[3] is not None]) for f in FIGURES]
    stamp = rows[0] if rows else None
    return FederalTable(
        stamp[8] if stamp else None, stamp[6] if stamp else None, stamp[7] if stamp else None, table, spreads,
        periods[0] if periods else None,
    )  # fmt: skip


@dataclass(frozen=True)
class FederalHistory:
    figure: Figure
    periods: list[Period]
    cpas: list[tuple[str, list[Value | None]]]  # each CPAS by name, one value per period
    spreads: list[Spread]  # one per period


def federal_history(figure: Figure, *, count: int = HISTORY) -> FederalHistory:
    """The SPP IS's comparison over time of one figure: every CPAS named, per quarter, and the spread per quarter."""
    periods = stored_periods(count)
    rows = _rows(periods, figure)
    names = dict(Cpas.objects.values_list("pk", "name"))
    present = sorted({r[0] for r in rows}, key=lambda pk: names.get(pk, ""))
    index = {(r[0], r[1]): r for r in rows}
    table = [(names.get(pk, "?"), [_value(index.get((pk, p.code))) for p in periods]) for pk in present]
    spreads = [spread_of([r[3] for r in rows if r[1] == p.code and r[3] is not None]) for p in periods]
    return FederalHistory(figure, periods, table, spreads)


def director_chart(equity: Equity, *, own_label: str) -> str:
    """The director's spread chart: for each figure with a distribution, the quartile box and their own CPAS."""
    rows = [
        charts.SpreadRow(
            str(line.figure.label),
            line.figure.unit == "percent",
            None,
            line.spread.q1,
            line.spread.median,
            line.spread.q3,
            None,
            line.own.shown if line.own else None,
        )  # fmt: skip
        for line in equity.lines
        if line.spread is not None
    ]
    if not rows:
        return ""
    return charts.spread_chart(
        chart_id="chart-between-cpas", title=str(_("Your CPAS among all CPAS")), rows=rows, own_label=own_label
    )


def federal_chart(table: FederalTable) -> str:
    """The SPP IS's spread chart: lowest, quartiles and highest over all CPAS, per figure."""
    rows = [
        charts.SpreadRow(str(f.label), f.unit == "percent", s.lowest, s.q1, s.median, s.q3, s.highest)
        for f, s in zip(FIGURES, table.spreads, strict=True)
        if s.count
    ]
    if not rows:
        return ""
    return charts.spread_chart(chart_id="chart-federal-spread", title=str(_("Spread between CPAS")), rows=rows)


def director_trend_chart(trend: Trend, *, own_label: str) -> str:
    """One figure over the quarters for a director: the band from the first to the third quartile of all CPAS, the
    median, and their own CPAS (a gap where a quarter has no distribution or no value)."""
    spreads = [point.spread for point in trend.points]
    return charts.line_chart(
        chart_id=f"chart-trend-{trend.figure.key}",
        title=str(trend.figure.label),
        labels=[point.period.label for point in trend.points],
        series=[
            charts.Series(str(_("Median of all CPAS")), [s.median if s else None for s in spreads], style=0),
            charts.Series(own_label, [p.own.shown if p.own else None for p in trend.points], style=1),
        ],
        band=([s.q1 if s else None for s in spreads], [s.q3 if s else None for s in spreads]),
        percent=trend.figure.unit == "percent",
    )


def federal_trend_chart(history: FederalHistory) -> str:
    """One figure over the quarters for the SPP IS: the quartile band, the median, the lowest and the highest."""
    spreads = history.spreads
    return charts.line_chart(
        chart_id=f"chart-federal-trend-{history.figure.key}",
        title=str(history.figure.label),
        labels=[period.label for period in history.periods],
        series=[
            charts.Series(str(_("Median")), [s.median for s in spreads], style=0),
            charts.Series(str(_("Lowest")), [s.lowest for s in spreads], style=2),
            charts.Series(str(_("Highest")), [s.highest for s in spreads], style=2),
        ],
        band=([s.q1 for s in spreads], [s.q3 for s in spreads]),
        percent=history.figure.unit == "percent",
    )
