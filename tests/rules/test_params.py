"""The dated parameter table (piis-rules.md §15)."""

from datetime import date
from decimal import Decimal

import pytest

from piis.rules import InvalidInput
from piis.rules.params import (
    BONUS_MALUS_FLAG,
    PARAMETERS,
    has_param,
    param,
    param_bands,
    param_date,
    param_decimal,
    param_int,
)

D = date.fromisoformat


def test_every_parameter_has_id_unit_rules_sources_and_sorted_dates():
    for p in PARAMETERS.values():
        assert p.pid.startswith("P") and p.unit and p.label
        assert p.rules and all(r.startswith("R") for r in p.rules)
        assert p.sources, f"{p.name} has no source keys"
        assert p.confidence in {"high", "medium", "low"}
        dates = [d for d, _ in p.values]
        assert dates == sorted(dates) and len(set(dates)) == len(dates)
        assert isinstance(p.last_verified, date)


def test_lookup_is_as_on_a_date():
    assert param("reflection_days", on=D("2026-03-02")) == 5
    assert param_decimal("ri_monthly_amount_cat1", on=D("2025-01-31")) == Decimal("858.97")
    assert param_decimal("ri_monthly_amount_cat1", on=D("2025-02-01")) == Decimal("876.13")
    assert param_date("reform_2016_date", on=D("2026-01-01")) == D("2016-11-01")
    with pytest.raises(InvalidInput) as excinfo:
        param("piis_subsidy_rate", on=D("2016-10-31"))
    assert excinfo.value.code == "PARAMETER_NOT_IN_FORCE"
    with pytest.raises(InvalidInput) as excinfo:
        param("no_such_parameter", on=D("2026-01-01"))
    assert excinfo.value.code == "UNKNOWN_PARAMETER"


def test_pending_bonus_malus_only_behind_its_flag():
    assert has_param("bonus_malus_bands", on=D("2028-01-01")) is False
    assert has_param("bonus_malus_bands", on=D("2027-12-31"), flags=[BONUS_MALUS_FLAG]) is False
    assert has_param("bonus_malus_bands", on=D("2028-01-01"), flags=[BONUS_MALUS_FLAG]) is True
    assert param_decimal("sustainable_employment_bonus", on=D("2028-01-01"), flags=[BONUS_MALUS_FLAG]) == 1776


def test_typed_accessors_refuse_the_wrong_type():
    on = D("2026-01-01")
    with pytest.raises(TypeError):
        param_int("piis_subsidy_rate", on=on)
    with pytest.raises(TypeError):
        param_decimal("reflection_days", on=on)
    with pytest.raises(TypeError):
        param_date("reflection_days", on=on)
    with pytest.raises(TypeError):
        param_bands("reflection_days", on=on)
