"""The federal PIIS subsidy and the RI amounts (R68–R72, R79)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from piis.rules.calendar import add_months, first_day_of_month
from piis.rules.errors import InvalidInput, RuleViolation
from piis.rules.obligation import Period
from piis.rules.params import BONUS_MALUS_FLAG, PARAMETERS, Band, has_param, param_bands, param_decimal, param_int

__all__ = [
    "CoupleSubsidy",
    "base_ri_subsidy_rate",
    "bonus_malus_rate",
    "check_subsidy_prolongation",
    "couple_piis_subsidy",
    "first_subsidy_period",
    "monthly_piis_subsidy",
    "ri_monthly_amount",
    "subsidy_start",
]

_CENT = Decimal("0.01")
_ONE_DAY = timedelta(days=1)


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(_CENT, rounding=ROUND_HALF_UP)


def _band_value(bands: tuple[Band, ...], x: Decimal) -> Decimal:
    value = bands[0][1]
    for lower, band_value in bands:
        if x >= lower:
            value = band_value
    return value


def _check_coverage(coverage: Decimal) -> None:
    if not Decimal(0) <= coverage <= Decimal(1):
        raise InvalidInput("COVERAGE_OUT_OF_RANGE", "The PIIS coverage ratio must be in [0, 1].")


def ri_monthly_amount(category: int, *, on: date) -> Decimal:
    """R79 — the full monthly RI of category 1 (cohabitant), 2 (isolated person) or 3 (dependent family) on `on`.

    Dated table PX5–PX7: the latest amount in force on `on`. InvalidInput UNKNOWN_CATEGORY for any other category,
    PARAMETER_NOT_IN_FORCE before the first known amount (2023-07-01).
    Legal basis: DIS law (amounts by category, index-linked; article not cited by the sources).
    Convention: as-on-a-date lookup of the parameter table.
    Open questions: O12 — amounts after 2025-02-01 not found; the 2025 amounts stay in force until the table is
    updated.
    Sources: EUPEN, CENTEN, SIVRY, CPASCONNECT.
    Scenarios: T45, T46.
    """
    name = f"ri_monthly_amount_cat{category}"
    if isinstance(category, bool) or name not in PARAMETERS:
        raise InvalidInput("UNKNOWN_CATEGORY", f"RI category {category!r} does not exist.")
    # O12: the latest amount found stays in force until a newer one is added to the table.
    return param_decimal(name, on=on)


def subsidy_start(*, ri_granted_from: date, piis_signed_on: date) -> date:
    """R68 — the 10 % subsidy is due from the 1st day of the month of signature, or from the RI grant day when the PIIS
    is signed in the month the RI is granted.

    Computed as max(ri_granted_from, first day of the signature month): never before the RI is granted.
    Legal basis: Law-2016 (special PIIS subsidy); SPP IS FAQ on the date to report.
    Convention: §15.1 (calendar months).
    Open questions: none.
    Sources: MIIS-FAQ-date, PB-subs.
    Scenarios: T44, T14.
    """
    return max(ri_granted_from, first_day_of_month(piis_signed_on))


def bonus_malus_rate(coverage: Decimal, *, on: date | None = None) -> Decimal:
    """R71 — the pending 2028 PIIS subsidy rate by the share of beneficiaries with a PIIS (P20).

    Bands, lower bound inclusive: [0, 0.20) → 0.05, [0.20, 0.40) → 0.075, [0.40, 0.60) → 0.10, [0.60, 0.80) → 0.125,
    [0.80, 1] → 0.15. `on` defaults to the day the bands take effect. InvalidInput COVERAGE_OUT_OF_RANGE outside
    [0, 1].
    Legal basis: bill approved by the Council of Ministers in 2025, adoption by Parliament not verified.
    Convention: per calendar year (the caller computes the coverage of that year).
    Open questions: O12 — pending reform, behind the deployment flag; band bounds not specified (DESIGN: lower bound
    inclusive); numerator/denominator of the coverage ratio not found.
    Sources: NEWS-BE-2025, CPASCONNECT, MEDENAM, SERVANTES.
    Scenarios: T48.
    """
    _check_coverage(coverage)
    when = PARAMETERS["bonus_malus_bands"].values[0][0] if on is None else on
    return _band_value(param_bands("bonus_malus_bands", on=when, flags=(BONUS_MALUS_FLAG,)), coverage)


def monthly_piis_subsidy(
    ri_granted: Decimal, *, on: date, coverage: Decimal | None = None, bonus_malus: bool = False
) -> Decimal:
    """R68, R71 — the monthly special PIIS subsidy: P16 (10 %) of the RI granted, rounded half-up to the cent.

    With bonus_malus=True (the deployment flag for the pending 2028 reform) and `on` on or after 2028-01-01, the rate
    is bonus_malus_rate(coverage); coverage=None then raises InvalidInput COVERAGE_MISSING. Before 2028-01-01 the flag
    changes nothing. InvalidInput AMOUNT_NEGATIVE, COVERAGE_OUT_OF_RANGE (whenever a coverage is given).
    Legal basis: Law-2016 (replacing the subsidies of Law art. 33 and 34).
    Convention: as-on-a-date lookup of the rate; money rounded half-up to the cent.
    Open questions: O12 — bonus-malus adoption pending, feature flag.
    Sources: PB-subs, VVSG, MIIS-FAQ-couple, NEWS-BE-2025, CPASCONNECT.
    Scenarios: T46, T48.
    """
    if ri_granted < 0:
        raise InvalidInput("AMOUNT_NEGATIVE", "The RI granted cannot be negative.")
    if coverage is not None:
        _check_coverage(coverage)
    # O12: the 2028 bonus-malus applies only behind its flag.
    flags = (BONUS_MALUS_FLAG,) if bonus_malus else ()
    if has_param("bonus_malus_bands", on=on, flags=flags):
        if coverage is None:
            raise InvalidInput("COVERAGE_MISSING", "The bonus-malus rate needs the PIIS coverage ratio.")
        rate = bonus_malus_rate(coverage, on=on)
    else:
        rate = param_decimal("piis_subsidy_rate", on=on)
    return _cents(ri_granted * rate)


@dataclass(frozen=True)
class CoupleSubsidy:
    """R70 — the PIIS subsidy for a couple on the category-3 RI, and whether it is recoverable."""

    amount: Decimal
    recoverable: bool


def couple_piis_subsidy(
    *, ri_granted: Decimal, on: date, obliged: Sequence[bool], has_piis: Sequence[bool]
) -> CoupleSubsidy:
    """R70, R8 — a couple on the category-3 RI: one 10 % on that amount when at least one partner has a PIIS, never
    doubled; recoverable when a partner obliged to have a PIIS has none.

    Each partner's obligation is assessed individually (R8); `obliged` and `has_piis` give one flag per partner.
    InvalidInput PARTNERS_NOT_TWO unless both have exactly two entries.
    Legal basis: SPP IS FAQ (ADMIN).
    Convention: as monthly_piis_subsidy.
    Open questions: none.
    Sources: MIIS-FAQ-couple.
    Scenarios: T45.
    """
    if len(obliged) != 2 or len(has_piis) != 2:
        raise InvalidInput("PARTNERS_NOT_TWO", "A couple has two partners.")
    amount = monthly_piis_subsidy(ri_granted, on=on) if any(has_piis) else _cents(Decimal(0))
    recoverable = any(must and not has for must, has in zip(obliged, has_piis, strict=True))
    return CoupleSubsidy(amount=amount, recoverable=recoverable)


def first_subsidy_period(start: date) -> Period:
    """R69 — the first-subsidy period ("code 11"): P17 months from its start, last day inclusive.

    Example: 2016-11-01 → 2017-10-31.
    Legal basis: SPP IS subsidy practice (ADMIN).
    Convention: §15.1 rule 1.
    Open questions: none.
    Sources: PB-cases.
    Scenarios: T47.
    """
    return Period(start=start, end=add_months(start, param_int("first_subsidy_months", on=start)) - _ONE_DAY)


def check_subsidy_prolongation(
    *, first_period: Period, piis_in_force: Iterable[Period], written_motivation: bool
) -> None:
    """R69 — the prolongation ("code 17") needs a PIIS in force on the last day of the first-subsidy period and a
    written motivation.

    Raises NO_PIIS_ON_LAST_DAY then MOTIVATION_MISSING (both rule "R69"). InvalidInput DATES_OUT_OF_ORDER for a
    period that ends before it starts. The P18 total of 2 years is not enforced (advocacy source only).
    Legal basis: SPP IS subsidy practice (ADMIN).
    Convention: periods inclusive.
    Open questions: none.
    Sources: PB-echo, PB-cases, BDAS-1.
    Scenarios: T47.
    """
    periods = tuple(piis_in_force)
    if any(p.end < p.start for p in (first_period, *periods)):
        raise InvalidInput("DATES_OUT_OF_ORDER", "A period ends before it starts.")
    last_day = first_period.end
    if not any(p.start <= last_day <= p.end for p in periods):
        raise RuleViolation("NO_PIIS_ON_LAST_DAY", "R69", "No PIIS was in force on the last day of the first period.")
    if not written_motivation:
        raise RuleViolation("MOTIVATION_MISSING", "R69", "A prolongation needs a written motivation.")


def base_ri_subsidy_rate(*, average_beneficiaries: Decimal, on: date) -> Decimal:
    """R72 — the base federal subsidy of the RI: 55 %, 65 % from 500, 70 % from 1,000 beneficiaries (P25).

    `average_beneficiaries` = monthly average in the year before last (computed by the caller); step-down rules and
    the 2026–2029 compensation are not modelled. Context only. InvalidInput AMOUNT_NEGATIVE for a negative average.
    Legal basis: DIS law (base State subsidy; article not cited by the sources), as summarised by PB-subs.
    Convention: as-on-a-date lookup of the bands.
    Open questions: none.
    Sources: PB-subs.
    Scenarios: none.
    """
    if average_beneficiaries < 0:
        raise InvalidInput("AMOUNT_NEGATIVE", "The average number of beneficiaries cannot be negative.")
    return _band_value(param_bands("base_ri_subsidy_bands", on=on), average_beneficiaries)
