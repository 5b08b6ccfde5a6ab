"""Subsidy and amounts (R68–R72, R79): scenarios T44–T48."""

from datetime import date
from decimal import Decimal

import pytest

from piis.rules import InvalidInput, Period, RuleViolation, bonus_malus_rate, monthly_piis_subsidy, ri_monthly_amount
from piis.rules import subsidy_start as start_of_subsidy
from piis.rules.subsidy import (
    base_ri_subsidy_rate,
    check_subsidy_prolongation,
    couple_piis_subsidy,
    first_subsidy_period,
)

D = date.fromisoformat


@pytest.mark.scenario("T44", rules=("R68",))
def test_t44_subsidy_starts_on_grant_day_or_first_of_signature_month():
    assert start_of_subsidy(ri_granted_from=D("2026-03-10"), piis_signed_on=D("2026-03-25")) == D("2026-03-10")
    assert start_of_subsidy(ri_granted_from=D("2026-03-10"), piis_signed_on=D("2026-05-12")) == D("2026-05-01")


@pytest.mark.scenario("T45", rules=("R70",))
def test_t45_couple_one_subsidy_on_category_3_recoverable_when_one_missing():
    on = D("2026-06-01")
    cat3 = ri_monthly_amount(3, on=on)
    one_signed = couple_piis_subsidy(ri_granted=cat3, on=on, obliged=(True, True), has_piis=(True, False))
    assert one_signed.recoverable is True
    both = couple_piis_subsidy(ri_granted=cat3, on=on, obliged=(True, True), has_piis=(True, True))
    assert both.recoverable is False
    assert both.amount == monthly_piis_subsidy(cat3, on=on) == Decimal("177.61")
    none = couple_piis_subsidy(ri_granted=cat3, on=on, obliged=(False, False), has_piis=(False, False))
    assert (none.amount, none.recoverable) == (Decimal("0.00"), False)
    with pytest.raises(InvalidInput):
        couple_piis_subsidy(ri_granted=cat3, on=on, obliged=(True,), has_piis=(True, True))


@pytest.mark.scenario("T46", rules=("R68", "R79"))
def test_t46_ten_percent_of_ri_granted_rounded_to_the_cent():
    on = D("2025-02-01")
    assert ri_monthly_amount(1, on=on) == Decimal("876.13")
    assert monthly_piis_subsidy(Decimal("876.13"), on=on) == Decimal("87.61")
    assert monthly_piis_subsidy(Decimal("500.00"), on=on) == Decimal("50.00")


@pytest.mark.scenario("T47", rules=("R69",))
def test_t47_prolongation_needs_piis_on_last_day_and_motivation():
    first = first_subsidy_period(D("2026-05-01"))
    assert first == Period(D("2026-05-01"), D("2027-04-30"))
    with pytest.raises(RuleViolation) as excinfo:
        check_subsidy_prolongation(
            first_period=first, piis_in_force=[Period(D("2026-05-01"), D("2027-04-29"))], written_motivation=True
        )
    assert (excinfo.value.code, excinfo.value.rule) == ("NO_PIIS_ON_LAST_DAY", "R69")
    in_force = [Period(D("2026-05-01"), D("2027-12-31"))]
    check_subsidy_prolongation(first_period=first, piis_in_force=in_force, written_motivation=True)
    with pytest.raises(RuleViolation) as excinfo:
        check_subsidy_prolongation(first_period=first, piis_in_force=in_force, written_motivation=False)
    assert excinfo.value.code == "MOTIVATION_MISSING"
    with pytest.raises(InvalidInput):
        check_subsidy_prolongation(
            first_period=first, piis_in_force=[Period(D("2027-01-01"), D("2026-01-01"))], written_motivation=True
        )


@pytest.mark.scenario("T48", rules=("R71",))
def test_t48_bonus_malus_rate_for_63_percent_coverage():
    assert bonus_malus_rate(Decimal("0.63")) == Decimal("0.125")
    on = D("2028-03-01")
    subsidy = monthly_piis_subsidy(Decimal("1000.00"), on=on, coverage=Decimal("0.63"), bonus_malus=True)
    assert subsidy == Decimal("125.00")


# --- beyond the scenarios ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("coverage", "rate"),
    [("0", "0.05"), ("0.1999", "0.05"), ("0.20", "0.075"), ("0.40", "0.10"), ("0.60", "0.125"), ("0.80", "0.15"),
     ("1", "0.15")],
)  # fmt: skip
def test_bonus_malus_band_lower_bounds_are_inclusive(coverage, rate):
    assert bonus_malus_rate(Decimal(coverage)) == Decimal(rate)


def test_bonus_malus_flag_changes_nothing_before_2028_and_is_off_by_default():
    amount = Decimal("876.13")
    before = D("2027-12-31")
    assert monthly_piis_subsidy(amount, on=before, bonus_malus=True) == Decimal("87.61")
    assert monthly_piis_subsidy(amount, on=D("2028-01-01")) == Decimal("87.61")
    with pytest.raises(InvalidInput) as excinfo:
        monthly_piis_subsidy(amount, on=D("2028-01-01"), bonus_malus=True)
    assert excinfo.value.code == "COVERAGE_MISSING"


@pytest.mark.parametrize("coverage", ["-0.01", "1.01"])
def test_coverage_outside_unit_interval_is_invalid(coverage):
    with pytest.raises(InvalidInput) as excinfo:
        bonus_malus_rate(Decimal(coverage))
    assert excinfo.value.code == "COVERAGE_OUT_OF_RANGE"
    with pytest.raises(InvalidInput):
        monthly_piis_subsidy(Decimal(100), on=D("2026-01-01"), coverage=Decimal(coverage))


def test_negative_amount_is_invalid():
    with pytest.raises(InvalidInput) as excinfo:
        monthly_piis_subsidy(Decimal("-1"), on=D("2026-01-01"))
    assert excinfo.value.code == "AMOUNT_NEGATIVE"


def test_ri_amounts_are_dated_and_categories_checked():
    assert ri_monthly_amount(2, on=D("2024-04-30")) == Decimal("1263.17")
    assert ri_monthly_amount(2, on=D("2024-05-01")) == Decimal("1288.46")
    assert ri_monthly_amount(3, on=D("2026-11-23")) == Decimal("1776.07")
    for category in (0, 4, True):
        with pytest.raises(InvalidInput) as excinfo:
            ri_monthly_amount(category, on=D("2026-01-01"))
        assert excinfo.value.code == "UNKNOWN_CATEGORY"
    with pytest.raises(InvalidInput) as excinfo:
        ri_monthly_amount(1, on=D("2020-01-01"))
    assert excinfo.value.code == "PARAMETER_NOT_IN_FORCE"


def test_subsidy_never_starts_before_the_ri_grant():
    assert start_of_subsidy(ri_granted_from=D("2026-04-15"), piis_signed_on=D("2026-03-25")) == D("2026-04-15")


def test_base_ri_subsidy_rate_by_size():
    on = D("2026-01-01")
    assert base_ri_subsidy_rate(average_beneficiaries=Decimal(499), on=on) == Decimal("0.55")
    assert base_ri_subsidy_rate(average_beneficiaries=Decimal(500), on=on) == Decimal("0.65")
    assert base_ri_subsidy_rate(average_beneficiaries=Decimal(1000), on=on) == Decimal("0.70")
    with pytest.raises(InvalidInput):
        base_ri_subsidy_rate(average_beneficiaries=Decimal(-1), on=on)
