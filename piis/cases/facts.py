"""Stored rows of a beneficiary file → the rules core's input, once.

One adapter per rules-core entry point that reads a file: `obligation_on` (piis_obligation, R1–R15) and
`study_piis_check` (check_study_piis, R22). Every page, service, agenda line and report asks these; none rebuilds the
core's input by hand. The conclusion side (which PIIS met the obligation, and lateness) is in contracts/obligation.py.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from piis.accounts.models import ClosureDay
from piis.cases.enums import PeriodKind
from piis.cases.models import Beneficiary, IncomePeriod, RiDecision
from piis.core.errors import ServiceError
from piis.rules import Exemption as RulesExemption
from piis.rules import InvalidInput, Obligation, Period, RuleViolation, obligation_changes_on, piis_obligation
from piis.rules.obligation import check_study_piis, earlier_ri_period
from piis.rules.params import param_int


def latest_ri_decision(decisions: Sequence[RiDecision]) -> RiDecision | None:
    """The decision the obligation runs from: the latest decision date (then the latest recorded)."""
    return max(decisions, key=lambda d: (d.decided_on, d.pk), default=None)


def earlier_ri_periods(
    income_periods: Sequence[IncomePeriod], decisions: Sequence[RiDecision], latest: RiDecision
) -> list[Period]:
    """R2: earlier RI of the file — recorded RI periods, and earlier decisions until the latest one starts."""
    periods = [Period(p.start_on, p.end_on) for p in income_periods if p.kind == PeriodKind.RI]
    for decision in decisions:
        if decision.pk == latest.pk or decision.start_on >= latest.start_on:
            continue
        periods.append(earlier_ri_period(start=decision.start_on, end=decision.end_on, next_start=latest.start_on))
    return periods


@dataclass(frozen=True)
class ObligationAnswer:
    """The core's answer for a file on a day: `obligation` is None when there is no RI decision or on `error`."""

    ri_decision: RiDecision | None
    obligation: Obligation | None = None
    error: ServiceError | None = None


def obligation_on(beneficiary: Beneficiary, *, today: date, closures=None) -> ObligationAnswer:
    """R1–R15 — piis_obligation for the file's latest RI decision, fed from its rows (prefetched when present).

    `closures` (the CPAS's closure days, which move the warning date) are read when not given.
    """
    # Each related set is read once (one query each when not prefetched).
    decisions = list(beneficiary.ri_decisions.all())
    latest = latest_ri_decision(decisions)
    if latest is None:
        return ObligationAnswer(None)
    periods = list(beneficiary.income_periods.all())
    if closures is None:
        closures = ClosureDay.objects.for_cpas(beneficiary.cpas_id).values_list("day", flat=True)
    try:
        obligation = piis_obligation(
            birth_date=beneficiary.birth_date,
            ri_decision_date=latest.decided_on,
            ri_start_date=latest.start_on,
            previous_ri=earlier_ri_periods(periods, decisions, latest),
            previous_cpas_employment=[
                Period(p.start_on, p.end_on) for p in periods if p.kind == PeriodKind.CPAS_EMPLOYMENT
            ],
            employed_with_top_up=latest.employed_with_top_up,
            full_time_studies=latest.full_time_studies,
            exemptions=_exemptions(beneficiary),
            # A decision recorded ahead of its date is assessed on that date.
            on=max(today, latest.decided_on),
            closures=list(closures),
        )
    except InvalidInput as error:
        return ObligationAnswer(latest, error=ServiceError.from_rule(error))
    return ObligationAnswer(latest, obligation)


def _exemptions(beneficiary: Beneficiary) -> list[RulesExemption]:
    return [RulesExemption(e.ground, e.start_on, e.effective_end) for e in beneficiary.exemptions.all()]


def obligation_changes_after(beneficiary: Beneficiary, *, today: date, ri_decision: RiDecision) -> date | None:
    """R1, R9, R12 — the first day after `today` on which obligation_on may answer otherwise for the same rows
    (None: never, with time alone); conservative (obligation_changes_on). `ri_decision` is its latest decision."""
    on = max(today, ri_decision.decided_on)
    try:
        day = obligation_changes_on(
            birth_date=beneficiary.birth_date,
            ri_decision_date=ri_decision.decided_on,
            exemptions=_exemptions(beneficiary),
            on=on,
        )
    except InvalidInput:
        return None  # the same error whatever the day
    return day


@dataclass(frozen=True)
class StudyPiisCheck:
    """R22 / T31: may a study PIIS be drafted for this file on `today`? `message` says why not."""

    allowed: bool
    code: str = ""
    message: str = ""


def study_piis_check(*, beneficiary: Beneficiary, ri_decision: RiDecision | None, today: date) -> StudyPiisCheck:
    """R22 — the equity assessment decision is the RI decision's `full_time_studies` flag with its motivation."""
    decided = bool(ri_decision and ri_decision.full_time_studies)
    try:
        check_study_piis(birth_date=beneficiary.birth_date, on=today, equity_assessment_decided=decided)
    except (RuleViolation, InvalidInput) as violation:
        error = ServiceError.from_rule(violation, params={"age": param_int("under_25_age_limit", on=today)})
        return StudyPiisCheck(False, error.code, str(error.message))
    return StudyPiisCheck(True)
