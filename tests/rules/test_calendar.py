"""§15.1 date arithmetic: examples and property-based tests (hypothesis)."""

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piis.rules import InvalidInput, add_months, add_working_days, add_years, belgian_public_holidays, is_working_day
from piis.rules.calendar import easter_sunday, next_working_day_on_or_after, previous_working_day_on_or_before

D = date.fromisoformat

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
months = st.integers(min_value=-1200, max_value=1200)
closures = st.lists(st.dates(min_value=date(1999, 12, 1), max_value=date(2101, 1, 31)), max_size=10)
quick = settings(database=None, deadline=None, max_examples=200)


def test_holidays_2026_match_the_scenario_list():
    expected = {
        D(day)
        for day in (
            "2026-01-01", "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25",
            "2026-07-21", "2026-08-15", "2026-11-01", "2026-11-11", "2026-12-25",
        )
    }  # fmt: skip
    assert belgian_public_holidays(2026) == expected


def test_ascension_on_first_of_may_gives_nine_dates():
    # Easter 2008 = 23 March, Ascension = 1 May
    assert easter_sunday(2008) == D("2008-03-23")
    assert len(belgian_public_holidays(2008)) == 9


@pytest.mark.parametrize(
    ("year", "easter"), [(2024, "2024-03-31"), (2025, "2025-04-20"), (2027, "2027-03-28"), (2038, "2038-04-25"),
                         (1818, "1818-03-22")],
)  # fmt: skip
def test_easter_dates(year, easter):
    assert easter_sunday(year) == D(easter)


def test_month_arithmetic_examples():
    assert add_months(D("2025-11-30"), 3) == D("2026-02-28")
    assert add_months(D("2027-11-30"), 3) == D("2028-02-29")
    assert add_months(D("2026-01-31"), -3) == D("2025-10-31")
    assert add_months(D("2026-02-01"), -3) == D("2025-11-01")
    assert add_years(D("2028-02-29"), 1) == D("2029-02-28")
    with pytest.raises(InvalidInput) as excinfo:
        add_months(date.max, 1)
    assert excinfo.value.code == "DATE_OUT_OF_RANGE"


def test_working_days_examples():
    assert is_working_day(D("2026-04-07")) is True
    assert is_working_day(D("2026-04-06")) is False
    assert is_working_day(D("2026-04-07"), closures=[D("2026-04-07")]) is False
    assert add_working_days(D("2026-04-13"), -5) == D("2026-04-03")
    assert add_working_days(D("2026-04-04"), 0) == D("2026-04-04")
    assert previous_working_day_on_or_before(D("2026-04-06")) == D("2026-04-03")
    assert next_working_day_on_or_after(D("2026-04-04"), closures=[D("2026-04-07")]) == D("2026-04-08")


@quick
@given(d=dates, n=months)
def test_add_months_never_overflows_a_month(d, n):
    result = add_months(d, n)
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == n
    assert result.day == min(d.day, calendar.monthrange(result.year, result.month)[1])


@quick
@given(d=dates, n=st.integers(min_value=0, max_value=600))
def test_add_months_is_monotonic_and_never_before_the_start(d, n):
    assert add_months(d, n) >= d
    assert add_months(d, n) <= add_months(d, n + 1)


@quick
@given(d=dates, years=st.integers(min_value=-100, max_value=100))
def test_add_years_keeps_the_day_or_clamps_29_february(d, years):
    result = add_years(d, years)
    assert result.year == d.year + years and result.month == d.month
    assert result.day == d.day or (d.month, d.day, result.day) == (2, 29, 28)


@quick
@given(d=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), n=st.integers(-30, 30), closed=closures)
def test_add_working_days_never_lands_on_weekend_holiday_or_closure(d, n, closed):
    result = add_working_days(d, n, closures=closed)
    if n == 0:
        assert result == d
        return
    assert result.weekday() < 5
    assert result not in belgian_public_holidays(result.year)
    assert result not in closed
    assert (result > d) == (n > 0)
    step = timedelta(days=1 if n > 0 else -1)
    between = [d + step * i for i in range(1, abs((result - d).days) + 1)]
    assert sum(is_working_day(x, closures=closed) for x in between) == abs(n)


@quick
@given(year=st.integers(min_value=1583, max_value=4000))
def test_holidays_are_ten_rules_in_the_right_year(year):
    holidays = belgian_public_holidays(year)
    assert len(holidays) in (9, 10)
    assert all(h.year == year for h in holidays)
    easter = easter_sunday(year)
    assert easter.weekday() == 6 and D(f"{year}-03-22") <= easter <= D(f"{year}-04-25")
    assert easter + timedelta(days=39) in holidays and easter + timedelta(days=50) in holidays
