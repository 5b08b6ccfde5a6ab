"""Evaluation cadence per contract year (R43–R47)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from piis.rules.calendar import add_months, add_years
from piis.rules.errors import InvalidInput
from piis.rules.params import param_date, param_int, param_next_change

__all__ = [
    "EVALUATION_MODES",
    "IN_PERSON_MODES",
    "Evaluation",
    "EvaluationYear",
    "evaluation_years",
    "evaluation_years_change_on",
]

_ONE_DAY = timedelta(days=1)

EVALUATION_MODES: frozenset[str] = frozenset({"office", "home_visit", "video", "phone", "written"})
"""R47 — the modes of an evaluation."""

IN_PERSON_MODES: frozenset[str] = frozenset({"office", "home_visit"})
"""R47 / A4 — the modes that count as face-to-face by default (video configurable)."""


@dataclass(frozen=True)
class Evaluation:
    """R45, R47, R48 — an evaluation held with the person on `held_on`, in `mode` (one of EVALUATION_MODES).

    The full record (participants, progress per objective, adjustments: R48) lives in the follow-up app.
    Sources: DQ-proc, SEED-4, MIIS-FORMS, SMALS.
    """

    held_on: date
    mode: str


@dataclass(frozen=True)
class EvaluationYear:
    """R43, R44, R46 — compliance of one contract year (or partial last year) with the evaluation minimums."""

    start: date
    end: date
    count: int
    in_person: int
    status: str
    missing: int
    missing_in_person: int
    rule: str


def _status(*, met: bool, missing: int, end: date, today: date) -> str:
    if met:
        return "compliant"
    if today > end:
        return "non_compliant_count" if missing else "non_compliant_in_person"
    days_left = (end - today).days
    return "at_risk" if days_left <= param_int("evaluation_alert_days", on=today) else "in_progress"


def _quarterly_year(start: date, end: date, held: list[Evaluation], today: date) -> EvaluationYear:
    # R44: every started contract quarter inside [start, end] needs P9 evaluations of any mode. A quarter that has
    # not started yet (after today) is not missing: the year is compliant as soon as every started one has its own.
    quarter_months = param_int("evaluation_quarter_months", on=start)
    per_quarter = param_int("evaluations_per_quarter", on=start)
    started_by = min(today, end)
    missing = 0
    q = 0
    while (q_start := add_months(start, quarter_months * q)) <= started_by:
        q_end = min(add_months(start, quarter_months * (q + 1)) - _ONE_DAY, end)
        in_quarter = sum(1 for e in held if q_start <= e.held_on <= q_end)
        missing += max(0, per_quarter - in_quarter)
        q += 1
    in_person = sum(1 for e in held if e.mode in IN_PERSON_MODES)
    status = _status(met=missing == 0, missing=missing, end=end, today=today)
    return EvaluationYear(start, end, len(held), in_person, status, missing, 0, "quarterly")


def _three_two_year(
    start: date, end: date, partial: bool, held: list[Evaluation], today: date, in_person_modes: frozenset[str]
) -> EvaluationYear:
    if partial:
        # A3: one evaluation per started 4-month block of the partial last year, and PX4 in person.
        block = param_int("partial_year_block_months", on=start)
        required = 0
        while add_months(start, block * required) <= end:
            required += 1
        required_in_person = param_int("partial_year_in_person_minimum", on=start)
    else:
        required = param_int("evaluations_per_year", on=start)
        required_in_person = param_int("in_person_evaluations_per_year", on=start)
    count = len(held)
    in_person = sum(1 for e in held if e.mode in in_person_modes)
    missing = max(0, required - count)
    missing_in_person = max(0, required_in_person - in_person)
    status = _status(met=missing == 0 and missing_in_person == 0, missing=missing, end=end, today=today)
    return EvaluationYear(start, end, count, in_person, status, missing, missing_in_person, "three_two")


def evaluation_years(
    *,
    signed_on: date,
    evaluations: Iterable[Evaluation],
    ended_on: date | None = None,
    today: date,
    video_counts_in_person: bool = False,
) -> list[EvaluationYear]:
    """R43, R44, R46, R47 — one compliance entry per contract year started on or before min(today, ended_on).

    Year k = [add_years(signed_on, k), add_years(signed_on, k + 1) − 1 day]. R43: ≥ P7 evaluations, of which ≥ P8 in
    person. Partial last year (the PIIS ended inside it; A3): end = ended_on, minimums = one evaluation per started
    PX3-month block (block j starts on add_months(start, 4j) ≤ end) and PX4 in person; a PIIS ending on the last day
    of a year completes it. R44 / A5: a year starting before 2016-11-01 (PX1) is judged under the quarterly rule
    (≥ P9 evaluation of any mode in each started contract quarter; no in-person minimum), even when it straddles that
    date; a quarter that has not started on `today` is not missing yet, so a quarterly year whose started quarters
    all have their evaluation is compliant before it is over. Status: "compliant" (minimums met, even before the year
    is over), "in_progress", "at_risk" (year not over,
    0 ≤ days left ≤ PX2, the R46 alert), "non_compliant_count" (wins when both minimums fail),
    "non_compliant_in_person". Evaluations outside every year (before signed_on, after ended_on) are ignored.
    InvalidInput UNKNOWN_MODE, DATES_OUT_OF_ORDER (ended_on < signed_on).
    Legal basis: AR-2016 implementing Law-2016 (article number not verified); R44 historical.
    Convention: §15.1 rules 1 and 2 (contract years and quarters, end dates inclusive).
    Open questions: O10 / R46 — contract year, not calendar year. O10 / R47 / A4 — in person = office, home_visit;
    `video_counts_in_person=True` is the configurable alternative. O6 — the DIS cadence also for PIIS under social
    aid. A3 (partial year) and A5 (straddling year) to be validated.
    Sources: SEED-4, PB-model-FR, PB-model-NL, VVSG, INFORJ, RTBF-2016, DQ-proc, SEED-0, DQ-EJ, TIELT.
    Scenarios: T21–T25.
    """
    held_all = tuple(evaluations)
    for evaluation in held_all:
        if evaluation.mode not in EVALUATION_MODES:
            raise InvalidInput("UNKNOWN_MODE", f"Unknown evaluation mode {evaluation.mode!r}.")
    if ended_on is not None and ended_on < signed_on:
        raise InvalidInput("DATES_OUT_OF_ORDER", "The PIIS ends before it was signed.")
    # O10 / A4: video counts in person only when the CPAS configures it so.
    in_person_modes = IN_PERSON_MODES | {"video"} if video_counts_in_person else IN_PERSON_MODES
    limit = today if ended_on is None else min(today, ended_on)
    years: list[EvaluationYear] = []
    k = 0
    while (start := add_years(signed_on, k)) <= limit:
        full_end = add_years(signed_on, k + 1) - _ONE_DAY
        partial = ended_on is not None and ended_on < full_end
        end = ended_on if ended_on is not None and partial else full_end
        held = [e for e in held_all if start <= e.held_on <= end]
        # R44 / A5: the rule in force when the contract year starts governs the whole year.
        # O6: a PIIS under social aid (équivalent RI) follows the same DIS cadence unless told otherwise.
        if start < param_date("reform_2016_date", on=start):
            years.append(_quarterly_year(start, end, held, today))
        else:
            years.append(_three_two_year(start, end, partial, held, today, in_person_modes))
        k += 1
    return years


def evaluation_years_change_on(
    *,
    signed_on: date,
    evaluations: Iterable[Evaluation],
    ended_on: date | None = None,
    today: date,
    video_counts_in_person: bool = False,
) -> date | None:
    """R43, R44, R46 — the first day after `today` on which evaluation_years, with the same evaluations, may answer
    otherwise (None: never, with time alone): until the day before, its answer for any day is the one for `today`.

    A conservative bound (it may come earlier than the change, never later): the next contract year starting (until
    `ended_on`); for each year not over on `today`, the day after its end (non-compliant, no longer the current
    year) and, unless its minimums are met under the 3/2 rule (compliant whatever the day), the first day of the
    R46 alert (at risk) and, under the quarterly rule, the start of its next contract quarter; the day the alert
    parameter changes. Same inputs and InvalidInput as evaluation_years.
    Legal basis: as evaluation_years.
    Convention: §15.1 rules 1 and 2 (as evaluation_years).
    Open questions: as evaluation_years.
    Sources: as evaluation_years.
    Scenarios: none (checked against evaluation_years on later days: tests/followup/test_deadline_bound.py).
    """
    held = tuple(evaluations)
    years = evaluation_years(
        signed_on=signed_on,
        evaluations=held,
        ended_on=ended_on,
        today=today,
        video_counts_in_person=video_counts_in_person,
    )
    candidates: list[date] = []
    following = add_years(signed_on, len(years))
    if ended_on is None or following <= ended_on:
        candidates.append(following)
    alert = param_int("evaluation_alert_days", on=today)
    for year in years:
        if year.end < today:
            continue  # over: its answer no longer moves
        candidates.append(year.end + _ONE_DAY)
        if year.rule == "three_two" and year.status == "compliant":
            continue
        candidates.append(year.end - timedelta(days=alert))
        if year.rule == "quarterly":
            months = param_int("evaluation_quarter_months", on=year.start)
            q = 0
            while (q_start := add_months(year.start, months * q)) <= today:
                q += 1
            if q_start <= year.end:
                candidates.append(q_start)
    change = param_next_change("evaluation_alert_days", after=today)
    if change is not None:
        candidates.append(change)
    return min((day for day in candidates if day > today), default=None)
