"""R58, R59: the period a suspension covers (whole months from day to day before, then a fraction of a month)."""

from datetime import date
from decimal import Decimal

from piis.rules import suspension_last_day


def test_one_month_runs_to_the_day_before_the_same_day_next_month():
    assert suspension_last_day(date(2027, 1, 1), Decimal(1)) == date(2027, 1, 31)
    assert suspension_last_day(date(2027, 1, 15), Decimal(1)) == date(2027, 2, 14)


def test_three_months_on_recidivism():
    assert suspension_last_day(date(2027, 3, 10), Decimal(3)) == date(2027, 6, 9)


def test_a_half_month_is_half_the_days_of_the_next_month():
    # 1.5 months from 1 January: January whole, then 14 of February's 28 days.
    assert suspension_last_day(date(2027, 1, 1), Decimal("1.5")) == date(2027, 2, 14)
    assert suspension_last_day(date(2027, 1, 1), Decimal("0.5")) == date(2027, 1, 16)
