"""Who must have a PIIS, and by when (R1–R15, R19–R22)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from piis.rules.calendar import add_months, add_years, previous_working_day_on_or_before
from piis.rules.errors import InvalidInput, RuleViolation
from piis.rules.params import has_param, param_int, param_next_change

__all__ = [
    "CPAS_SUPPORTED_MEASURES",
    "EXEMPTION_GROUNDS",
    "Exemption",
    "Obligation",
    "Period",
    "check_study_piis",
    "earlier_ri_period",
    "conclusion_deadline",
    "counts_as_cpas_supported_employment",
    "deadline_after_exemption",
    "is_concluded_late",
    "late_from",
    "obligation_changes_on",
    "is_new_beneficiary",
    "needs_assessment_required_on_return",
    "new_beneficiary_window",
    "piis_obligation",
]

_ONE_DAY = timedelta(days=1)

EXEMPTION_GROUNDS = frozenset({"health", "equity"})
"""R9 — the two exemption grounds."""

CPAS_SUPPORTED_MEASURES = frozenset({"art60_7", "art61", "activation_subsidy"})
"""R3 — default list of CPAS-supported employment measures (configurable: the exhaustive list was not found)."""


@dataclass(frozen=True)
class Period:
    """R2, R3 — a period of RI or of CPAS-supported employment; both ends inclusive."""

    start: date
    end: date


@dataclass(frozen=True)
class Exemption:
    """R9, R12 — an exemption for health or equity reasons; `end` inclusive, None = open-ended."""

    ground: str
    start: date
    end: date | None


@dataclass(frozen=True)
class Obligation:
    """R1–R5, R9, R12, R13 — whether a PIIS is compulsory, on which grounds, and the conclusion deadline."""

    required: bool
    reasons: tuple[str, ...]
    deadline: date | None
    warning_date: date | None
    assumptions: tuple[str, ...]


def conclusion_deadline(ri_decision_date: date) -> date:
    """R13, R15 — an obligatory PIIS must be concluded within P3 months of the decision granting the RI.

    No extension exists (R15: P4 = 0); a late conclusion is flagged (is_concluded_late), never silently extended.
    Legal basis: Law art. 11 §1 and 13 as amended by Law-2016.
    Convention: §15.1 rule 1; no roll-forward to a working day (rule 5).
    Open questions: O11 (decision vs notification date) — decision date, the earlier and safer one.
    Sources: SEED-4, LANGE, BXJ, INFORJ, VVSG, TIELT; conflict BDAS-1; R15: MIIS-FLOOD.
    Scenarios: T1–T5, T10, T14.
    """
    # O11: counted from the decision date, not from its notification.
    months = param_int("conclusion_deadline_months", on=ri_decision_date)
    months += param_int("conclusion_deadline_extension_months", on=ri_decision_date)
    return add_months(ri_decision_date, months)


def deadline_after_exemption(exemption_end: date) -> date:
    """R12 — when an exemption ends and the person is still obliged, a new P3-month window opens from its end.

    The caller passes the later of the exemption's last day and the date of the decision lifting it.
    Legal basis: none found (sources silent on the end of an exemption).
    Convention: §15.1 rule 1.
    Open questions: O8 — new 3-month window from the end of the exemption (assumption A2, to be validated).
    Sources: piis-rules.md R12 (DESIGN), SEED-4, VVSG.
    Scenarios: T13.
    """
    # O8 / A2: the revived deadline counts from the exemption's end, like a fresh RI decision.
    return add_months(exemption_end, param_int("conclusion_deadline_months", on=exemption_end))


def new_beneficiary_window(ri_start_date: date, *, on: date | None = None) -> Period:
    """R2 — the look-back window [start − P2 months, start − 1 day] that must be free of RI and CPAS employment.

    `start` = first day of the new RI entitlement; `on` = the date whose P2 applies (default: `start`).
    Legal basis: Law art. 11 §2 as amended by Law-2016 ("new beneficiary"); window per BDAS-1 (DESIGN).
    Convention: §15.1 rule 1.
    Open questions: none.
    Sources: SEED-4, KSZ, BDAS-1, DEPLA, LANGE, INFORJ.
    Scenarios: T6, T7, T8.
    """
    months = param_int("new_beneficiary_gap_months", on=ri_start_date if on is None else on)
    return Period(start=add_months(ri_start_date, -months), end=ri_start_date - _ONE_DAY)


def earlier_ri_period(*, start: date, end: date | None, next_start: date) -> Period:
    """R2 — an earlier RI decision as a period of RI for the look-back: until its end, or until the next RI starts.

    Legal basis: Law art. 11 §2 as amended by Law-2016 (a day of RI in the window means "not new").
    Convention: periods are inclusive; an open-ended earlier decision ends the day before the next entitlement starts
    (it was replaced by it), never before its own start.
    Open questions: none (DESIGN).
    Sources: SEED-4, BDAS-1.
    Scenarios: T6, T7.
    """
    if next_start < start:
        raise InvalidInput("DATES_OUT_OF_ORDER", "The next RI starts before the earlier one.")
    last = end if end is not None else next_start - _ONE_DAY
    return Period(start=start, end=max(last, start))


def _overlaps(period: Period, window: Period) -> bool:
    return period.start <= window.end and period.end >= window.start


def _check_periods(periods: Iterable[Period]) -> tuple[Period, ...]:
    result = tuple(periods)
    for period in result:
        if period.end < period.start:
            raise InvalidInput(
                "DATES_OUT_OF_ORDER", f"A period ends ({period.end}) before it starts ({period.start})."
            )
    return result


def is_new_beneficiary(
    *,
    ri_start_date: date,
    previous_ri: Iterable[Period] = (),
    previous_cpas_employment: Iterable[Period] = (),
    ri_decision_date: date | None = None,
) -> bool:
    """R2, R3 — new beneficiary: no day of RI and no day of CPAS-supported employment in the look-back window.

    The ground exists only for an RI decided on or after 2016-11-01 (P2 in force on `ri_decision_date`, or on
    `ri_start_date` when no decision date is given): before, returns False. InvalidInput DATES_OUT_OF_ORDER for a
    period ending before it starts.
    Legal basis: Law art. 11 §2 as amended by Law-2016 (in force 2016-11-01).
    Convention: §15.1 rule 1 (window of new_beneficiary_window; periods inclusive).
    Open questions: none (R3's list of measures: see counts_as_cpas_supported_employment).
    Sources: SEED-4, KSZ, BDAS-1, DEPLA, LANGE, INFORJ.
    Scenarios: T2, T6, T7, T8.
    """
    periods = _check_periods(previous_ri) + _check_periods(previous_cpas_employment)
    in_force_on = ri_start_date if ri_decision_date is None else ri_decision_date
    if not has_param("new_beneficiary_gap_months", on=in_force_on):
        return False
    window = new_beneficiary_window(ri_start_date, on=in_force_on)
    return not any(_overlaps(period, window) for period in periods)


def counts_as_cpas_supported_employment(measure: str, *, measures: Iterable[str] = CPAS_SUPPORTED_MEASURES) -> bool:
    """R3 — whether an employment measure counts like RI for the new-beneficiary gap rule.

    Legal basis: Law art. 11 §2 ("mesure soutenue par le CPAS"); exhaustive list not found.
    Convention: none (no dates).
    Open questions: R3 list — DESIGN: configurable (`measures`), by default art. 60 §7 and art. 61 placements and
    employment with a federal/regional activation subsidy.
    Sources: SEED-4, KSZ.
    Scenarios: T8.
    """
    return measure in set(measures)


def _under_25(birth_date: date, on: date) -> bool:
    return on < add_years(birth_date, param_int("under_25_age_limit", on=on))


def _exemption_effect(
    exemptions: tuple[Exemption, ...], *, on: date, ri_decision_date: date
) -> tuple[bool, Exemption | None]:
    """(active on `on`, the latest exemption that ended on or after the RI decision and before `on`)."""
    active = any(e.start <= on and (e.end is None or on <= e.end) for e in exemptions)
    ended = [e for e in exemptions if e.end is not None and ri_decision_date <= e.end < on]
    latest = max(ended, key=lambda e: (e.end, e.start), default=None)
    return active, latest


def _check_exemptions(exemptions: Iterable[Exemption]) -> tuple[Exemption, ...]:
    result = tuple(exemptions)
    for exemption in result:
        if exemption.ground not in EXEMPTION_GROUNDS:
            raise InvalidInput("UNKNOWN_GROUND", f"Unknown exemption ground {exemption.ground!r}.")
        if exemption.end is not None and exemption.end < exemption.start:
            raise InvalidInput("DATES_OUT_OF_ORDER", "An exemption ends before it starts.")
    return result


def piis_obligation(
    *,
    birth_date: date,
    ri_decision_date: date,
    ri_start_date: date,
    previous_ri: Iterable[Period] = (),
    previous_cpas_employment: Iterable[Period] = (),
    employed_with_top_up: bool = False,
    full_time_studies: bool = False,
    exemptions: Iterable[Exemption] = (),
    on: date | None = None,
    closures: Iterable[date] = (),
) -> Obligation:
    """R1, R2, R3, R4, R5, R9, R12, R13 — whether a PIIS is compulsory on `on`, on which grounds, and by when.

    Grounds, in this order: "under_25" (R1, age < P1 on the RI decision date), "new_beneficiary" (R2/R3, since
    2016-11-01), "studies" (R5). R4: working with a top-up RI removes the under-25 and new-beneficiary grounds, not
    the studies ground. R9: an exemption active on `on` removes the under-25 and new-beneficiary grounds, not the
    studies ground; the latest exemption that ended on or after the RI decision and before `on` revives them with
    deadline_after_exemption(end) (R12, assumption "A2"). Not required: reasons = ("employed_with_top_up",) or
    ("exempted",) when a ground would otherwise apply, else ("not_new_beneficiary",). `on` defaults to the RI decision
    date; `closures` (CPAS closure days) only move the warning date. InvalidInput DATES_OUT_OF_ORDER unless
    birth_date ≤ ri_decision_date ≤ on, or for a period/exemption ending before it starts; UNKNOWN_GROUND.
    Legal basis: Law art. 6, 11 and 13 as amended by Law-2016; R4 per SEED-4 "Exceptions".
    Convention: §15.1 rules 1, 2 and 5 (deadline not rolled forward; warning on the previous working day).
    Open questions: O7 / A1 — age on the RI decision date; "A1" is listed in `assumptions` when the RI start date, the
    deadline or `on` would give another under-25 answer. O8 / A2 — see deadline_after_exemption. O11 — deadline from
    the decision date.
    Sources: SEED-4, KSZ, BDAS-1, DEPLA, LANGE, INFORJ, ADB-11, ADB-benef, VVSG.
    Scenarios: T1–T13.
    """
    assessed_on = ri_decision_date if on is None else on
    if birth_date > ri_decision_date or assessed_on < ri_decision_date:
        raise InvalidInput("DATES_OUT_OF_ORDER", "Birth ≤ RI decision ≤ assessment date is required.")
    exempt = _check_exemptions(exemptions)
    deadline = conclusion_deadline(ri_decision_date)
    # O7 / A1: the age is taken on the date of the RI decision.
    under_25 = _under_25(birth_date, ri_decision_date)
    other_dates = (ri_start_date, deadline, assessed_on)
    assumptions = ["A1"] if any(_under_25(birth_date, d) != under_25 for d in other_dates) else []
    new = is_new_beneficiary(
        ri_start_date=ri_start_date,
        previous_ri=previous_ri,
        previous_cpas_employment=previous_cpas_employment,
        ri_decision_date=ri_decision_date,
    )
    main_grounds = tuple(g for g, applies in (("under_25", under_25), ("new_beneficiary", new)) if applies)
    study_grounds = ("studies",) if full_time_studies else ()

    if main_grounds and employed_with_top_up:  # R4
        main_grounds, removed = (), "employed_with_top_up"
    else:
        removed = "not_new_beneficiary"
    if main_grounds:
        active, ended = _exemption_effect(exempt, on=assessed_on, ri_decision_date=ri_decision_date)
        if active:  # R9
            main_grounds, removed = (), "exempted"
        elif ended is not None and ended.end is not None:  # R12
            deadline = deadline_after_exemption(ended.end)
            assumptions.append("A2")
    grounds = main_grounds + study_grounds
    if not grounds:
        return Obligation(False, (removed,), None, None, tuple(assumptions))
    warning = previous_working_day_on_or_before(deadline, closures=closures)
    return Obligation(True, grounds, deadline, warning, tuple(assumptions))


def is_concluded_late(*, deadline: date, signed_on: date | None, today: date) -> bool:
    """R15 — an obligatory PIIS is late when signed after its deadline, or still unsigned after it.

    Lateness is flagged for audit and subsidy loss (R68), never silently extended, and is no sanction ground (R55).
    Legal basis: none found for an extension (R15).
    Convention: §15.1 rule 5 (deadline inclusive, no roll-forward).
    Open questions: none.
    Sources: piis-rules.md R15 (DESIGN), MIIS-FLOOD.
    Scenarios: T14.
    """
    return (signed_on if signed_on is not None else today) > deadline


def late_from(deadline: date) -> date:
    """R15 — the first day on which an obligatory PIIS still unsigned is late (is_concluded_late turns true).

    Legal basis: as is_concluded_late.
    Convention: §15.1 rule 5 (deadline inclusive, no roll-forward).
    Open questions: none.
    Sources: piis-rules.md R15 (DESIGN).
    Scenarios: none (checked against is_concluded_late on later days: tests/followup/test_deadline_bound.py).
    """
    return deadline + _ONE_DAY


def obligation_changes_on(
    *, birth_date: date, ri_decision_date: date, exemptions: Iterable[Exemption] = (), on: date
) -> date | None:
    """R1, R9, R12 — the first day after `on` on which piis_obligation, with the same facts, may answer otherwise
    when assessed on a later day (None: never, with time alone).

    The assessment date moves the answer only through the exemptions (R9: active on it; R12: the latest one ended
    before it revives the deadline), so at each exemption's start and the day after its end, and through the
    under-25 assumption A1 (the birthday of the age limit, and a change of that limit). Conservative: a day
    returned may leave the answer as it was. InvalidInput as piis_obligation for an exemption's ground or dates.
    Legal basis: as piis_obligation.
    Convention: §15.1 rules 1 and 2.
    Open questions: O7 / A1, O8 / A2 (as piis_obligation).
    Sources: as piis_obligation.
    Scenarios: none (checked against piis_obligation on later days: tests/followup/test_deadline_bound.py).
    """
    candidates: list[date] = []
    for exemption in _check_exemptions(exemptions):
        candidates.append(exemption.start)
        if exemption.end is not None:
            candidates.append(exemption.end + _ONE_DAY)
    candidates.append(add_years(birth_date, param_int("under_25_age_limit", on=on)))
    change = param_next_change("under_25_age_limit", after=on)
    if change is not None:
        candidates.append(change)
    return min((day for day in candidates if day > on), default=None)


def needs_assessment_required_on_return(*, work_start: date, work_end: date) -> bool:
    """R7 — re-actualising an earlier PIIS needs a new needs assessment when the work period lasted P19 months or more.

    When the former PIIS holder worked less than P19 months, the earlier PIIS may be reviewed and re-signed without a
    new "bilan social". work_end is the last day worked (inclusive). InvalidInput DATES_OUT_OF_ORDER.
    Legal basis: SPP IS FAQ (ADMIN).
    Convention: §15.1 rule 1.
    Open questions: none.
    Sources: MIIS-PIIS.
    Scenarios: none.
    """
    if work_end < work_start:
        raise InvalidInput("DATES_OUT_OF_ORDER", "The work period ends before it starts.")
    months = param_int("reactualisation_work_months", on=work_end)
    return work_end + _ONE_DAY >= add_months(work_start, months)


def check_study_piis(*, birth_date: date, on: date, equity_assessment_decided: bool) -> None:
    """R5, R19, R22 — a student aged P1 or more needs an equity-assessment decision before a study PIIS is drafted.

    Students aged 25+ are not excluded per se: the CPAS first decides whether full-time studies are an equity ground.
    Raises EQUITY_ASSESSMENT_MISSING (rule "R22"); InvalidInput DATES_OUT_OF_ORDER when `on` is before the birth.
    Legal basis: Law art. 11 §2 a); SPP IS FAQ (R22, ADMIN).
    Convention: §15.1 rule 2 (age by add_years).
    Open questions: none.
    Sources: MIIS-FAQ-4, BXJ-etud, INFORJ-studies.
    Scenarios: T31.
    """
    if on < birth_date:
        raise InvalidInput("DATES_OUT_OF_ORDER", "The assessment date is before the birth date.")
    if not _under_25(birth_date, on) and not equity_assessment_decided:
        raise RuleViolation(
            "EQUITY_ASSESSMENT_MISSING",
            "R22",
            "A student aged 25 or more needs an equity-assessment decision before a study PIIS can be drafted.",
        )
