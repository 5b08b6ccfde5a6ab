"""The one dated parameter table of the rules core (piis-rules.md §15, §14 and the dates of §0.1).

Every legal number (ages, periods, rates, amounts, dates of change) lives here and nowhere else. Each entry has its
`P…` ID from §15 (or `PX…` for a number a rule implies that §15 does not list), a stable name, a unit, its values
keyed by the date they take effect, the rules using it, its source keys (§20), a confidence and `last_verified`.

Lookup is always "as on" a date: `param(name, on=d)` returns the latest value effective on or before `d`, as
OpenFisca's `parameter(period)` does. Announced-but-not-adopted values (the 2028 bonus-malus, R71) carry a `flag`
and are only visible to callers that pass that flag: they are never silently in force.

`last_verified` is the date the value was last checked against piis-rules.md v1 (itself compiled from public
secondary sources); none of them has yet been checked against the Moniteur belge by a CPAS legal service.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from piis.rules.errors import InvalidInput

__all__ = [
    "BONUS_MALUS_FLAG",
    "PARAMETERS",
    "Band",
    "ParamValue",
    "Parameter",
    "has_param",
    "param",
    "param_bands",
    "param_date",
    "param_decimal",
    "param_int",
    "param_next_change",
]

Band = tuple[Decimal, Decimal]  # (lower bound, inclusive; value)
ParamValue = int | Decimal | date | tuple[Band, ...]

BONUS_MALUS_FLAG = "bonus_malus_2028"
"""The deployment flag that makes the pending 2028 bonus-malus (R71, P20, P21) visible."""

_LAW_2002 = date(2002, 10, 1)  # DIS law and AR in force (§0.1)
_REFORM_2016 = date(2016, 11, 1)  # Law-2016 and AR-2016 in force (§0.1)
_BONUS_MALUS_2028 = date(2028, 1, 1)  # announced, pending Parliament (§0.1, R71)
_VERIFIED = date(2026, 11, 23)  # checked against piis-rules.md v1


@dataclass(frozen=True)
class Parameter:
    """One dated legal parameter (a row of piis-rules.md §15, or a number a rule implies)."""

    pid: str
    name: str
    label: str
    unit: str
    values: tuple[tuple[date, ParamValue], ...]
    rules: tuple[str, ...]
    sources: tuple[str, ...]
    confidence: str
    last_verified: date = _VERIFIED
    flag: str | None = None
    note: str = ""

    def value_on(self, on: date) -> ParamValue | None:
        """The latest value effective on or before `on`, or None when none is in force yet."""
        found: ParamValue | None = None
        for effective, value in self.values:
            if effective <= on:
                found = value
        return found


def _bands(*pairs: tuple[str, str]) -> tuple[Band, ...]:
    return tuple((Decimal(lower), Decimal(value)) for lower, value in pairs)


_TABLE: tuple[Parameter, ...] = (
    Parameter(
        "P1", "under_25_age_limit", "Age below which the PIIS is compulsory", "years", ((_LAW_2002, 25),),
        ("R1",), ("SEED-4", "ADB-11", "ADB-benef", "KSZ", "ITTRE"), "high",
        note="Age reference date: assumption A1 (date of the RI decision), O7.",
    ),
    Parameter(
        "P2", "new_beneficiary_gap_months", "Look-back without RI or CPAS-supported job (new beneficiary)", "months",
        ((_REFORM_2016, 3),), ("R2", "R3"), ("SEED-4", "KSZ", "BDAS-1", "DEPLA", "LANGE", "INFORJ"), "high",
        note="The new-beneficiary ground exists only from 2016-11-01 (Law-2016); no value before.",
    ),
    Parameter(
        "P3", "conclusion_deadline_months", "Deadline to conclude an obligatory PIIS after the RI decision",
        "months", ((_LAW_2002, 3),), ("R13",), ("SEED-4", "LANGE", "BXJ", "INFORJ", "VVSG", "TIELT"), "high",
        note="Counted from the decision date (O11); no roll-forward (§15.1 rule 5).",
    ),
    Parameter(
        "P4", "conclusion_deadline_extension_months", "Extension of the conclusion deadline", "months",
        ((_LAW_2002, 0),), ("R15",), ("MIIS-FLOOD",), "low",
        note="No general extension found; 0 by default (a late conclusion is flagged, never silently extended).",
    ),
    Parameter(
        "P5", "reflection_days", "Reflection period before signature", "calendar_days", ((_LAW_2002, 5),),
        ("R39",), ("ADB-benef", "DQ-proc", "WS-CC2"), "high",
        note="O3: calendar days (BXJ says working days); earliest signature D+6.",
    ),
    Parameter(
        "P6", "meeting_working_days", "Interview with the social worker on request, at the latest after",
        "working_days", ((_LAW_2002, 5),), ("R41",), ("DQ-proc", "PB-model-FR", "PB-model-NL", "BOOM"), "high",
    ),
    Parameter(
        "P7", "evaluations_per_year", "Evaluations per contract year", "count", ((_REFORM_2016, 3),),
        ("R43", "R46"), ("SEED-4", "PB-model-FR", "PB-model-NL", "VVSG", "INFORJ", "RTBF-2016", "DQ-proc"), "high",
    ),
    Parameter(
        "P8", "in_person_evaluations_per_year", "Of which face-to-face", "count", ((_REFORM_2016, 2),),
        ("R43", "R47"), ("SEED-4", "PB-model-FR", "PB-model-NL", "VVSG"), "high",
    ),
    Parameter(
        "P9", "evaluations_per_quarter", "Evaluations per contract quarter (before 2016-11-01)", "count",
        ((_LAW_2002, 1),), ("R44",), ("SEED-0", "DQ-EJ", "DQ-PIIS-AS", "TIELT"), "high",
    ),
    Parameter(
        "P9", "evaluation_quarter_months", "Length of a contract quarter", "months", ((_LAW_2002, 3),),
        ("R44",), ("SEED-0",), "high",
    ),
    Parameter(
        "PX1", "reform_2016_date", "Law-2016 / AR-2016 in force (new-beneficiary ground, 3/2 evaluation rule)",
        "date", ((_LAW_2002, _REFORM_2016),), ("R2", "R43", "R44"), ("LANGE", "AVCB", "PB-intro", "RTBF-2016"),
        "high", note="Design A5: a contract year starting before this date stays under the quarterly rule.",
    ),
    Parameter(
        "PX2", "evaluation_alert_days", "Evaluation alert before the end of the contract year", "calendar_days",
        ((_LAW_2002, 60),), ("R46",), ("SEED-4",), "low", note="DESIGN (R46 example value).",
    ),
    Parameter(
        "PX3", "partial_year_block_months", "Partial last contract year: one evaluation per started block of",
        "months", ((_REFORM_2016, 4),), ("R46",), ("SEED-4",), "low", note="DESIGN, assumption A3.",
    ),
    Parameter(
        "PX4", "partial_year_in_person_minimum", "Partial last contract year: face-to-face evaluations", "count",
        ((_REFORM_2016, 1),), ("R46",), ("SEED-4",), "low", note="DESIGN, assumption A3.",
    ),
    Parameter(
        "P10", "first_sanction_max_months", "First PIIS sanction: maximum suspension", "months",
        ((_LAW_2002, Decimal(1)),), ("R58",),
        ("MIIS-FAQ-sanc-FR", "MIIS-FAQ-sanc-NL", "PB-sanc-FR", "HR", "DQ-sanc1", "DQ-sanc2", "BDAS-3", "SEED-4"),
        "high",
    ),
    Parameter(
        "P11", "recidivism_window_years", "Recidivism window after the anchor", "years", ((_LAW_2002, 1),),
        ("R59",), ("MIIS-FAQ-sanc-FR", "MIIS-FAQ-sanc-NL", "PB-sanc-FR", "HR", "DQ-sanc1", "DQ-sanc2"), "high",
        note="O1: anchor = prior decision date (configurable); end date inclusive.",
    ),
    Parameter(
        "P12", "recidivism_max_months", "Sanction on recidivism: maximum suspension", "months",
        ((_LAW_2002, Decimal(3)),), ("R59",),
        ("MIIS-FAQ-sanc-FR", "MIIS-FAQ-sanc-NL", "PB-sanc-FR", "HR", "DQ-sanc1", "DQ-sanc2"), "high",
    ),
    Parameter(
        "P13", "suspension_start_after_notification_days", "Suspension starts at the earliest this many days "
        "after notification", "calendar_days", ((_LAW_2002, 1),), ("R62",), ("DQ-sanc2",), "medium",
        note="O2, version B (window start).",
    ),
    Parameter(
        "P13", "suspension_start_default_months", "Default suspension start: first day of the Nth month after "
        "the decision's month", "months", ((_LAW_2002, 2),), ("R62",), ("DQ-sanc1", "HR"), "medium",
        note="O2, version A (default date).",
    ),
    Parameter(
        "P13", "suspension_start_latest_months", "Latest suspension start: first day of the Nth month after the "
        "decision's month", "months", ((_LAW_2002, 3),), ("R62",), ("DQ-sanc2",), "medium",
        note="O2, version B (window end).",
    ),
    Parameter(
        "P14", "appeal_months", "Appeal to the labour court after notification", "months", ((_LAW_2002, 3),),
        ("R66",), ("MIIS-FAQ-37", "DQ-recours", "DQ-sanc2", "BDAS-9", "SEED-4"), "high",
        note="Rolled forward to the next working day (Judicial Code, medium confidence).",
    ),
    Parameter(
        "P15", "appeal_no_decision_months", "Appeal when the CPAS failed to decide: months", "months",
        ((_LAW_2002, 4),), ("R66",), ("MIIS-FAQ-37",), "medium",
    ),
    Parameter(
        "P15", "appeal_no_decision_extra_days", "Appeal when the CPAS failed to decide: extra days",
        "calendar_days", ((_LAW_2002, 8),), ("R66",), ("MIIS-FAQ-37",), "medium",
    ),
    Parameter(
        "P16", "piis_subsidy_rate", "Special PIIS subsidy, share of the RI granted", "rate",
        ((_REFORM_2016, Decimal("0.10")),), ("R68", "R70"), ("PB-subs", "VVSG", "MIIS-FAQ-couple"), "high",
    ),
    Parameter(
        "P17", "first_subsidy_months", "First-subsidy period", "months", ((_REFORM_2016, 12),), ("R69",),
        ("PB-cases",), "medium",
    ),
    Parameter(
        "P18", "subsidy_max_total_months", "First subsidy plus prolongation, at most", "months",
        ((_REFORM_2016, 24),), ("R69",), ("BDAS-1",), "medium", note="Advocacy source only.",
    ),
    Parameter(
        "P19", "reactualisation_work_months", "Re-actualised PIIS without new needs assessment if work lasted less "
        "than", "months", ((_LAW_2002, 3),), ("R7",), ("MIIS-PIIS",), "medium",
    ),
    Parameter(
        "P20", "bonus_malus_bands", "PIIS subsidy rate by PIIS coverage (lower bound inclusive)", "rate_bands",
        (
            (
                _BONUS_MALUS_2028,
                _bands(("0", "0.05"), ("0.20", "0.075"), ("0.40", "0.10"), ("0.60", "0.125"), ("0.80", "0.15")),
            ),
        ),
        ("R71",), ("NEWS-BE-2025", "CPASCONNECT", "MEDENAM", "SERVANTES"), "medium", flag=BONUS_MALUS_FLAG,
        note="Pending reform; band bounds inclusive/exclusive not specified (DESIGN: lower bound inclusive).",
    ),
    Parameter(
        "P21", "sustainable_employment_bonus", "Sustainable-employment bonus per person", "eur",
        ((_BONUS_MALUS_2028, Decimal("1776.00")),), ("R71",), ("NEWS-BE-2025", "CPASCONNECT"), "medium",
        flag=BONUS_MALUS_FLAG, note="Pending reform.",
    ),
    Parameter(
        "P22", "forward_request_days", "Forward a request to the competent CPAS within", "calendar_days",
        ((_LAW_2002, 5),), ("R54",), ("MIIS-FAQ-bevoegd",), "high",
    ),
    Parameter(
        "P23", "fraud_sanction_max_months", "Fraud sanction (art. 30 §1, context): maximum", "months",
        ((_LAW_2002, 6),), ("R64",), ("ADB-30", "PB-sanc-FR", "DQ-sanc1"), "high",
    ),
    Parameter(
        "P23", "fraud_sanction_max_months_intent", "Fraud sanction with fraudulent intent: maximum", "months",
        ((_LAW_2002, 12),), ("R64",), ("ADB-30", "PB-sanc-FR", "DQ-sanc1"), "high",
    ),
    Parameter(
        "P23", "fraud_recidivism_years", "Fraud sanction doubled on recidivism within", "years",
        ((_LAW_2002, 3),), ("R64",), ("ADB-30", "PB-sanc-FR", "DQ-sanc1"), "high",
    ),
    Parameter(
        "P24", "community_service_revision_deadline", "Legacy PIIS with community service revised by", "date",
        ((date(2018, 7, 26), date(2018, 9, 30)),), ("R23", "R24"), ("AGII", "VREEMD"), "high",
    ),
    Parameter(
        "P25", "base_ri_subsidy_bands", "Base RI subsidy by average number of beneficiaries (lower bound "
        "inclusive)", "rate_bands", ((_LAW_2002, _bands(("0", "0.55"), ("500", "0.65"), ("1000", "0.70"))),),
        ("R72",), ("PB-subs",), "high",
        note="Only the current rates are known; the date they took effect was not researched.",
    ),
    Parameter(
        "PX8", "template_share_review_threshold", "Share of unmodified clause-library text above which a draft is "
        "flagged for team-lead review", "rate", ((_LAW_2002, Decimal("0.70")),), ("R26",), ("SEED-0",), "low",
        note="DESIGN, safeguard S-Pers 4 (default 70 %): a flag for review, never a block.",
    ),
    Parameter(
        "PX9", "recent_piis_alert_days", "A PIIS signed or amended fewer than this many days before a sanction "
        "procedure is flagged for supervisor review", "calendar_days", ((_LAW_2002, 30),), ("R56",), ("SEED-0",),
        "low", note="DESIGN, safeguard S-Time 22 (PIIS a posteriori): an alert for review, never a block by itself.",
    ),
    Parameter(
        "PX5", "ri_monthly_amount_cat1", "Monthly RI, category 1 (cohabitant)", "eur",
        ((date(2023, 7, 1), Decimal("842.12")), (date(2024, 5, 1), Decimal("858.97")),
         (date(2025, 2, 1), Decimal("876.13"))),
        ("R79",), ("EUPEN", "CENTEN", "SIVRY"), "medium",
        note="2023-07-01 EUPEN, 2024-05-01 CENTEN, 2025-02-01 SIVRY; 2026 amounts not found (O12).",
    ),
    Parameter(
        "PX6", "ri_monthly_amount_cat2", "Monthly RI, category 2 (isolated person)", "eur",
        ((date(2023, 7, 1), Decimal("1263.17")), (date(2024, 5, 1), Decimal("1288.46")),
         (date(2025, 2, 1), Decimal("1314.20"))),
        ("R79",), ("EUPEN", "CENTEN", "SIVRY"), "medium",
        note="2023-07-01 EUPEN, 2024-05-01 CENTEN, 2025-02-01 SIVRY; 2026 amounts not found (O12).",
    ),
    Parameter(
        "PX7", "ri_monthly_amount_cat3", "Monthly RI, category 3 (person with dependent family)", "eur",
        ((date(2023, 7, 1), Decimal("1707.11")), (date(2024, 5, 1), Decimal("1741.29")),
         (date(2025, 2, 1), Decimal("1776.07"))),
        ("R79", "R70"), ("EUPEN", "CENTEN", "SIVRY", "CPASCONNECT"), "medium",
        note="2023-07-01 EUPEN, 2024-05-01 CENTEN, 2025-02-01 SIVRY (+ CPASCONNECT); 2026 not found (O12).",
    ),
)  # fmt: skip

PARAMETERS: dict[str, Parameter] = {p.name: p for p in _TABLE}
"""The table, by stable name, in §15 order."""


def _lookup(name: str, on: date, flags: Iterable[str]) -> ParamValue | None:
    try:
        parameter = PARAMETERS[name]
    except KeyError:
        raise InvalidInput("UNKNOWN_PARAMETER", f"There is no parameter named {name!r}.") from None
    if parameter.flag is not None and parameter.flag not in set(flags):
        return None
    return parameter.value_on(on)


def has_param(name: str, *, on: date, flags: Iterable[str] = ()) -> bool:
    """Whether parameter `name` has a value in force on `on` (flagged values only with their flag)."""
    return _lookup(name, on, flags) is not None


def param(name: str, *, on: date, flags: Iterable[str] = ()) -> ParamValue:
    """The value of parameter `name` in force on `on`: the latest one effective on or before that date.

    A flagged parameter (the pending 2028 bonus-malus) is only visible when its flag is in `flags`.
    Raises InvalidInput UNKNOWN_PARAMETER or PARAMETER_NOT_IN_FORCE.
    """
    value = _lookup(name, on, flags)
    if value is None:
        raise InvalidInput("PARAMETER_NOT_IN_FORCE", f"Parameter {name!r} has no value in force on {on}.")
    return value


def param_int(name: str, *, on: date, flags: Iterable[str] = ()) -> int:
    """`param` for a whole number (days, months, years, counts)."""
    value = param(name, on=on, flags=flags)
    if not isinstance(value, int):
        raise TypeError(f"Parameter {name!r} is not a whole number.")
    return value


def param_decimal(name: str, *, on: date, flags: Iterable[str] = ()) -> Decimal:
    """`param` for a Decimal (rates, euro amounts, months of suspension)."""
    value = param(name, on=on, flags=flags)
    if not isinstance(value, Decimal):
        raise TypeError(f"Parameter {name!r} is not a Decimal.")
    return value


def param_date(name: str, *, on: date, flags: Iterable[str] = ()) -> date:
    """`param` for a date (dates of legal change)."""
    value = param(name, on=on, flags=flags)
    if not isinstance(value, date):
        raise TypeError(f"Parameter {name!r} is not a date.")
    return value


def param_bands(name: str, *, on: date, flags: Iterable[str] = ()) -> tuple[Band, ...]:
    """`param` for a band table ((lower bound inclusive, value), …) in ascending order."""
    value = param(name, on=on, flags=flags)
    if not isinstance(value, tuple):
        raise TypeError(f"Parameter {name!r} is not a band table.")
    return value


def param_next_change(name: str, *, after: date, flags: Iterable[str] = ()) -> date | None:
    """The first day after `after` on which the value of parameter `name` in force changes (None: no change is
    dated after it). An answer computed "as on" a day with this parameter holds at least until then."""
    current = _lookup(name, after, flags)
    for effective, value in PARAMETERS[name].values:
        if effective > after and value != current:
            return effective
    return None
