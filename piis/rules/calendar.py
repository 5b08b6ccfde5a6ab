"""§15.1 date arithmetic: calendar months and years, Belgian federal public holidays, working days."""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

from piis.rules.errors import InvalidInput

__all__ = [
    "add_months",
    "add_working_days",
    "add_years",
    "belgian_public_holidays",
    "easter_sunday",
    "first_day_of_month",
    "is_working_day",
    "next_working_day_on_or_after",
    "previous_working_day_on_or_before",
]

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5  # date.weekday(): Monday = 0 … Saturday = 5, Sunday = 6


def add_months(d: date, months: int) -> date:
    """R2, R13, R46, R62, R66 — the date N calendar months after (or before, N < 0) `d`.

    Same day-of-month N months later; when that day does not exist, the last day of that month (30 Nov + 3 months
    = 28 Feb, or 29 Feb in a leap year). InvalidInput DATE_OUT_OF_RANGE outside years 1–9999.
    Legal basis: none stated in the sources (DESIGN); matches the Belgian "de quantième à veille de quantième"
    reading for periods starting the day after `d`.
    Convention: §15.1 rule 1.
    Open questions: none.
    Sources: piis-rules.md §15.1.
    Scenarios: T1–T8, T13, T42, T43.
    """
    index = d.year * 12 + (d.month - 1) + months
    year, month_index = divmod(index, 12)
    month = month_index + 1
    if not date.min.year <= year <= date.max.year:
        raise InvalidInput("DATE_OUT_OF_RANGE", f"{d} plus {months} months is outside the calendar.")
    last_day = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(d.day, last_day))


def add_years(d: date, years: int) -> date:
    """R1, R46, R59 — the date N years after `d`; 29 February plus one year is 28 February.

    N × 12 months by add_months. A person born on 29 February turns 25 on add_years(birth_date, 25).
    Legal basis: none stated in the sources (DESIGN).
    Convention: §15.1 rule 2.
    Open questions: none.
    Sources: piis-rules.md §15.1.
    Scenarios: T10, T11, T39, T40.
    """
    return add_months(d, 12 * years)


def first_day_of_month(d: date) -> date:
    """R62, R68 — the first day of the month of `d` (suspension window, subsidy start).

    Legal basis: Law art. 30 §2 practice (R62); subsidy rules of Law-2016 (R68).
    Convention: §15.1 (calendar months).
    Open questions: O2 (see suspension_start_window).
    Sources: DQ-sanc1, DQ-sanc2, MIIS-FAQ-date.
    Scenarios: T42, T44.
    """
    return d.replace(day=1)


def easter_sunday(year: int) -> date:
    """R41, R66 — Easter Sunday of `year` in the Gregorian calendar (anonymous Gregorian algorithm).

    Easter Monday, Ascension and Whit Monday derive from it.
    Legal basis: loi du 4 janvier 1974 relative aux jours fériés and AR of 18 April 1974 (outside the §20 keys).
    Convention: §15.1 rule 4.
    Open questions: none.
    Sources: piis-rules.md §15.1, §19 (2026 holiday list).
    Scenarios: T17, T18.
    """
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=512)
def belgian_public_holidays(year: int) -> frozenset[date]:
    """R41, R66 — the 10 Belgian federal public holidays of `year` (9 dates when Ascension falls on 1 May).

    1 January, Easter Monday (Easter + 1), 1 May, Ascension (Easter + 39), Whit Monday (Easter + 50), 21 July,
    15 August, 1 November, 11 November, 25 December. Regional/community holidays are not included; CPAS closure
    days are passed in by the caller (`closures=`).
    Legal basis: loi du 4 janvier 1974 relative aux jours fériés and AR of 18 April 1974 (outside the §20 keys).
    Convention: §15.1 rule 4.
    Open questions: none.
    Sources: piis-rules.md §15.1, §19.
    Scenarios: T17, T18, T43.
    """
    easter = easter_sunday(year)
    return frozenset(
        {
            date(year, 1, 1),
            easter + timedelta(days=1),
            date(year, 5, 1),
            easter + timedelta(days=39),
            easter + timedelta(days=50),
            date(year, 7, 21),
            date(year, 8, 15),
            date(year, 11, 1),
            date(year, 11, 11),
            date(year, 12, 25),
        }
    )


def is_working_day(d: date, *, closures: Iterable[date] = ()) -> bool:
    """R41, R66 — Monday to Friday, not a Belgian federal public holiday, not one of the CPAS's `closures`.

    Legal basis: "jours ouvrables" of the model contract (R41).
    Convention: §15.1 rule 4 (closure days configurable per CPAS).
    Open questions: none.
    Sources: DQ-proc, PB-model-FR, PB-model-NL.
    Scenarios: T17, T18, T43.
    """
    closed = closures if isinstance(closures, frozenset | set) else frozenset(closures)
    return d.weekday() < _SATURDAY and d not in belgian_public_holidays(d.year) and d not in closed


def add_working_days(d: date, n: int, *, closures: Iterable[date] = ()) -> date:
    """R41 — the date `n` working days after `d` (before it when n < 0); the start day is not counted.

    n = 0 returns `d` itself.
    Legal basis: "cinq jours ouvrables" of the model contract (R41).
    Convention: §15.1 rule 4.
    Open questions: none.
    Sources: DQ-proc, PB-model-FR, PB-model-NL, BOOM.
    Scenarios: T17, T18.
    """
    closed = frozenset(closures)
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    current = d
    remaining = abs(n)
    while remaining:
        current += step
        if is_working_day(current, closures=closed):
            remaining -= 1
    return current


def previous_working_day_on_or_before(d: date, *, closures: Iterable[date] = ()) -> date:
    """R13 — the last working day on or before `d` (the warning date of an internal deadline).

    Legal basis: none (DESIGN).
    Convention: §15.1 rule 5 — internal CPAS deadlines are not rolled forward; the system warns on the previous
    working day.
    Open questions: none.
    Sources: piis-rules.md §15.1.
    Scenarios: T3.
    """
    closed = frozenset(closures)
    current = d
    while not is_working_day(current, closures=closed):
        current -= _ONE_DAY
    return current


def next_working_day_on_or_after(d: date, *, closures: Iterable[date] = ()) -> date:
    """R66 — the first working day on or after `d` (roll-over of a court deadline).

    Legal basis: Judicial Code roll-over of a deadline expiring on a Saturday, Sunday or public holiday (not verified
    in the research: medium confidence).
    Convention: §15.1 rule 5.
    Open questions: none.
    Sources: piis-rules.md R66.
    Scenarios: T43.
    """
    closed = frozenset(closures)
    current = d
    while not is_working_day(current, closures=closed):
        current += _ONE_DAY
    return current
