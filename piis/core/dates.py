"""Plausible ranges for the dates people type: what each kind of date may be, and why a date is refused.

Every date field of every form says what its date is (`DateKind`): a birth, an event that has happened, a decision
(which may be recorded a little ahead of its date) or a date in the calendar (planned, or a filter bound). Each kind
has a range computed on the day of the check; `date_problem` gives the refusal as a `ServiceError` (code and
figures) so that the message comes from the one catalogue. The form side is `piis.core.forms.RangedDateField`.

No fact of a PIIS file can predate the law: the earliest date of every kind except a birth is `law_first_date()`,
the first day on which the rules core's parameter table has a value in force. The spans below are plausibility
bounds of the application, not legal figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache

from piis.core.errors import ServiceError
from piis.rules import PARAMETERS, add_years

__all__ = [
    "OLDEST_AGE_YEARS",
    "PLANNING_HORIZON_YEARS",
    "RECORD_AHEAD_DAYS",
    "DateKind",
    "DateRange",
    "date_problem",
    "date_range",
    "law_first_date",
]

OLDEST_AGE_YEARS = 120  # a date of birth further back is a typing error (1920 for 2020, 0001 for 2001)
RECORD_AHEAD_DAYS = 31  # a decision may be recorded before its date, e.g. the council meets next week
PLANNING_HORIZON_YEARS = 10  # a planned date (end of a PIIS, review, due date) further ahead is a typing error


class DateKind(StrEnum):
    """What a date field holds, hence its plausible range."""

    BIRTH = "birth"  # a date of birth: not in the future, not more than OLDEST_AGE_YEARS ago
    HAPPENED = "happened"  # an event that has happened: from the law's first date to today
    DECIDED = "decided"  # a decision (or its notification): up to RECORD_AHEAD_DAYS ahead
    PLANNED = "planned"  # a date in the calendar, past or planned: up to PLANNING_HORIZON_YEARS ahead


@dataclass(frozen=True)
class DateRange:
    earliest: date
    latest: date

    def __contains__(self, value: object) -> bool:
        return isinstance(value, date) and self.earliest <= value <= self.latest


@cache
def law_first_date() -> date:
    """The first day on which a legal parameter is in force (flagged, not-yet-adopted values aside)."""
    return min(effective for p in PARAMETERS.values() if p.flag is None for effective, _value in p.values)


def date_range(kind: DateKind, *, today: date) -> DateRange:
    """The plausible range of a date of `kind`, on `today`."""
    if kind == DateKind.BIRTH:
        return DateRange(add_years(today, -OLDEST_AGE_YEARS), today)
    latest = {
        DateKind.HAPPENED: today,
        DateKind.DECIDED: today + timedelta(days=RECORD_AHEAD_DAYS),
        DateKind.PLANNED: add_years(today, PLANNING_HORIZON_YEARS),
    }[kind]
    return DateRange(law_first_date(), latest)


def date_problem(kind: DateKind, value: date, *, today: date) -> ServiceError | None:
    """Why `value` cannot be a date of `kind` on `today` (None when it can). The error has no field: the caller
    knows it. Codes: BIRTH_IN_FUTURE, BIRTH_TOO_OLD, DATE_BEFORE_LAW, DATE_IN_FUTURE, DATE_TOO_FAR_AHEAD."""
    bounds = date_range(kind, today=today)
    if value in bounds:
        return None
    if kind == DateKind.BIRTH:
        if value > bounds.latest:
            return ServiceError("BIRTH_IN_FUTURE")
        return ServiceError("BIRTH_TOO_OLD", params={"date": bounds.earliest})
    if value < bounds.earliest:
        return ServiceError("DATE_BEFORE_LAW", params={"date": bounds.earliest})
    if kind == DateKind.HAPPENED:
        return ServiceError("DATE_IN_FUTURE")
    return ServiceError("DATE_TOO_FAR_AHEAD", params={"date": bounds.latest})
