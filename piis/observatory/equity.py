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
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from piis.accounts.models import Cpas
from piis.core.rls import set_current_cpas
from piis.observatory import charts, metrics
from piis.observatory.metrics import FIGURES, ONE_DECIMAL, Figure, Value
from piis.observatory.models import CpasFigure
from piis.observatory.periods import Granularity, last_periods

# A distribution over fewer CPAS than this is not shown to a director: with two or three CPAS, the quartiles and
# one's own value would give the others' values away.
MIN_CPAS = 5

QUARTERS = {
    1: _("lowest quarter"),
    2: _("second quarter"),
    3: _("third quarter"),
    4: _("highest quarter"),
}


def cpas_values(cpas, *, today: date) -> tuple[date, date, list[Value]]:
    """One CPAS's figures over the twelve months ending with the month of `today`. Reads that CPAS only: call it
    inside the CPAS's row-level-security context (`refresh` does)."""
    periods = last_periods(today, Granularity.MONTH)
    start, end = periods[0].start, periods[-1].end
    data = metrics.load(cpas, start=start, end=end, today=today)
    whole = metrics.window_cells(metrics.tally(data, periods))
    cell = whole.get(("all", None))
    return start, end, [figure.of(cell) for figure in FIGURES]


def refresh(*, today: date) -> int:
    """Recompute and store every CPAS's figures, CPAS by CPAS, each under its own RLS context; the number of CPAS."""
    done = 0
    for cpas in Cpas.objects.order_by("pk"):
        with transaction.atomic():
            set_current_cpas(cpas.pk)
            start, end, values = cpas_values(cpas, today=today)
            set_current_cpas(None)  # nothing of a tenant table is read from here on
            CpasFigure.objects.filter(cpas=cpas).delete()
            CpasFigure.objects.bulk_create(
                CpasFigure(
                    cpas=cpas,
                    figure=figure.key,
                    value=value.shown,
                    people=value.people,
                    suppressed=value.suppressed,
                    start=start,
                    end=end,
                    computed_on=today,
                )
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


@dataclass(frozen=True)
class Comparison:
    """One figure for a director: their CPAS's value and where it falls among all CPAS."""

    figure: Figure
    own: Value | None
    spread: Spread | None  # None: fewer than MIN_CPAS CPAS have a value

    @property
    def quarter(self) -> int | None:
        return None if self.spread is None or self.own is None else self.spread.quarter_of(self.own.shown)

    @property
    def quarter_label(self):
        return QUARTERS.get(self.quarter or 0, "")


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


def _by_figure() -> dict[str, list[CpasFigure]]:
    rows: dict[str, list[CpasFigure]] = {f.key: [] for f in FIGURES}
    for row in CpasFigure.objects.order_by("cpas_id"):
        if row.figure in rows:
            rows[row.figure].append(row)
    return rows


def _value(row: CpasFigure | None) -> Value | None:
    return None if row is None else Value(row.value, row.people, row.suppressed)


def comparison_for(cpas) -> Equity:
    """A director's view: the CPAS's stored values beside the spread over all CPAS (no CPAS named)."""
    rows = _by_figure()
    stamp = next((r for group in rows.values() for r in group if r.cpas_id == cpas.pk), None)
    lines = []
    for figure in FIGURES:
        group = rows[figure.key]
        own = next((r for r in group if r.cpas_id == cpas.pk), None)
        values = [r.value for r in group if r.value is not None]
        lines.append(Comparison(figure, _value(own), spread_of(values) if len(values) >= MIN_CPAS else None))
    return Equity(
        stamp.computed_on if stamp else None, stamp.start if stamp else None, stamp.end if stamp else None, lines
    )


@dataclass(frozen=True)
class FederalTable:
    computed_on: date | None
    start: date | None
    end: date | None
    cpas: list[tuple[str, list[Value | None]]]  # each CPAS by name, one value per figure
    spreads: list[Spread]  # one per figure


def federal_table() -> FederalTable:
    """The SPP IS's view: every CPAS named with its values, and each figure's spread over all CPAS."""
    rows = _by_figure()
    names = dict(Cpas.objects.values_list("pk", "name"))
    present = sorted({r.cpas_id for group in rows.values() for r in group}, key=lambda pk: names.get(pk, ""))
    index = {(r.cpas_id, key): r for key, group in rows.items() for r in group}
    table = [(names.get(pk, "?"), [_value(index.get((pk, f.key))) for f in FIGURES]) for pk in present]
    spreads = [spread_of([r.value for r in rows[f.key] if r.value is not None]) for f in FIGURES]
    stamp = next((r for group in rows.values() for r in group), None)
    return FederalTable(
        stamp.computed_on if stamp else None, stamp.start if stamp else None, stamp.end if stamp else None,
        table, spreads,
    )  # fmt: skip


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
