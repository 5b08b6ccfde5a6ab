"""The periods of the observatory's series: calendar months or quarters, the last ones up to a given day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.utils.translation import gettext as _

from piis.rules import add_months


class Granularity(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"


# How many periods a series shows: a year of months, two years of quarters.
SERIES_LENGTH = {Granularity.MONTH: 12, Granularity.QUARTER: 8}


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive
    granularity: Granularity

    @property
    def label(self) -> str:
        if self.granularity == Granularity.QUARTER:
            return _("Q%(quarter)s %(year)s") % {"quarter": (self.start.month - 1) // 3 + 1, "year": self.start.year}
        return f"{self.start.month:02d}/{self.start.year}"

    @property
    def code(self) -> str:
        """A language-neutral code for CSV files: 2026-03, 2026-Q1."""
        if self.granularity == Granularity.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, start: date, end: date | None) -> bool:
        return start <= self.end and (end is None or end >= self.start)


def _months(granularity: Granularity) -> int:
    return 3 if granularity == Granularity.QUARTER else 1


def period_of(day: date, granularity: Granularity) -> Period:
    months = _months(granularity)
    start = date(day.year, (day.month - 1) // months * months + 1, 1)
    return Period(start, add_months(start, months) - timedelta(days=1), granularity)


def shifted(period: Period, steps: int) -> Period:
    """The period `steps` periods after `period` (before it when negative), of the same granularity."""
    return period_of(add_months(period.start, _months(period.granularity) * steps), period.granularity)


def last_periods(today: date, granularity: Granularity, count: int | None = None) -> list[Period]:
    """The `count` periods ending with the one holding `today`, oldest first."""
    count = count or SERIES_LENGTH[granularity]
    current = period_of(today, granularity)
    return [shifted(current, -i) for i in range(count - 1, -1, -1)]
