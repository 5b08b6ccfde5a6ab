"""Non-compliance, sanctions and appeal (R55–R66; safeguards S-Dec, S-Time)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from piis.rules.calendar import add_months, add_years, first_day_of_month, next_working_day_on_or_after
from piis.rules.errors import InvalidInput, RuleViolation
from piis.rules.params import param_decimal, param_int
from piis.rules.signature import BENEFICIARY, check_clause_sanctionable

__all__ = [
    "BREACH_EFFORT_NOT_MADE",
    "BREACH_KINDS",
    "BREACH_RESULT_NOT_OBTAINED",
    "OBLIGATION_KINDS",
    "OBLIGATION_MEANS",
    "OBLIGATION_RESULT",
    "RECIDIVISM_ANCHORS",
    "SANCTION_GROUNDS",
    "AppealDeadline",
    "StartWindow",
    "appeal_deadline",
    "check_breach",
    "check_sanction",
    "check_sanction_ground",
    "check_suspension_start",
    "is_recidivism",
    "max_suspension_months",
    "piis_recently_changed",
    "suspension_last_day",
    "recidivism_anchor_date",
    "suspended_amount",
    "suspension_start_window",
]

_CENT = Decimal("0.01")

SANCTION_GROUNDS: frozenset[str] = frozenset({"undeclared_resources", "piis_non_compliance"})
"""R55 — the only two grounds for suspending the RI (Law art. 30 §1 and §2)."""

RECIDIVISM_ANCHORS: frozenset[str] = frozenset(
    {"prior_decision_date", "prior_sanction_final_date", "prior_breach_date"}
)
"""R59 / O1 — the possible anchors of the one-year recidivism window; default "prior_decision_date"."""

OBLIGATION_MEANS = "means"
"""R56 — a commitment of means: the party promises to try, to attend, to take the steps (not to succeed)."""
OBLIGATION_RESULT = "result"
"""R56 — a commitment of result: the party promises to obtain something (a certificate, a registration…)."""
OBLIGATION_KINDS: frozenset[str] = frozenset({OBLIGATION_MEANS, OBLIGATION_RESULT})

BREACH_EFFORT_NOT_MADE = "effort_not_made"
"""R56 — the breach reported: the person did not try, did not attend, did not take the step."""
BREACH_RESULT_NOT_OBTAINED = "result_not_obtained"
"""R56 — the breach reported: the result was not obtained (only a commitment of result promised it)."""
BREACH_KINDS: frozenset[str] = frozenset({BREACH_EFFORT_NOT_MADE, BREACH_RESULT_NOT_OBTAINED})


@dataclass(frozen=True)
class StartWindow:
    """R62 — the allowed start dates of a suspension (both inclusive) and the proposed default."""

    earliest: date
    latest: date
    default: date


@dataclass(frozen=True)
class AppealDeadline:
    """R66 — the legal appeal deadline and the effective one (rolled forward to the next working day)."""

    legal: date
    effective: date


def recidivism_anchor_date(
    *,
    decided_on: date,
    final_on: date | None = None,
    breach_on: date | None = None,
    anchor: str = "prior_decision_date",
) -> date:
    """R59 — the date from which the one-year recidivism window of a previous PIIS sanction runs.

    The caller passes the anchor dates of previous sanctions to max_suspension_months / check_sanction as
    `previous_sanction_decisions`. InvalidInput UNKNOWN_ANCHOR, ANCHOR_DATE_MISSING.
    Legal basis: Law art. 30 §2 (full text not retrieved); art. 30 §1 counts from finality.
    Convention: none (chooses a date).
    Open questions: O1 — default anchor "prior_decision_date"; "prior_sanction_final_date" (as art. 30 §1) and
    "prior_breach_date" configurable.
    Sources: piis-rules.md R59, ADB-30.
    Scenarios: T39.
    """
    if anchor not in RECIDIVISM_ANCHORS:
        raise InvalidInput("UNKNOWN_ANCHOR", f"Unknown recidivism anchor {anchor!r}.")
    # O1: prior decision date unless the CPAS's legal service chose another anchor.
    chosen = {"prior_decision_date": decided_on, "prior_sanction_final_date": final_on, "prior_breach_date": breach_on}
    result = chosen[anchor]
    if result is None:
        raise InvalidInput("ANCHOR_DATE_MISSING", f"The {anchor} anchor needs its date.")
    return result


def is_recidivism(*, breach_on: date, previous_sanction_decisions: Iterable[date]) -> bool:
    """R59 — a new breach within one year (P11) of a previous PIIS sanction: d ≤ breach_on ≤ add_years(d, 1).

    Decisions after the breach are ignored; a decision on the breach day itself counts.
    Legal basis: Law art. 30 §2.
    Convention: §15.1 rule 2 (29 Feb + 1 year = 28 Feb; window end inclusive).
    Open questions: O1 — anchor = prior decision date (configurable through recidivism_anchor_date).
    Sources: MIIS-FAQ-sanc-FR, MIIS-FAQ-sanc-NL, PB-sanc-FR, HR, DQ-sanc1, DQ-sanc2.
    Scenarios: T37–T40.
    """
    years = param_int("recidivism_window_years", on=breach_on)
    # O1: each date is the anchor chosen by the CPAS (default: the prior decision date).
    return any(d <= breach_on <= add_years(d, years) for d in previous_sanction_decisions)


def max_suspension_months(*, breach_on: date, previous_sanction_decisions: Iterable[date]) -> Decimal:
    """R58, R59 — the longest suspension allowed: P10 (1 month), or P12 (3 months) on recidivism within P11.

    Legal basis: Law art. 30 §2.
    Convention: §15.1 rule 2 (window end inclusive).
    Open questions: O1 — anchor = prior decision date.
    Sources: MIIS-FAQ-sanc-FR, MIIS-FAQ-sanc-NL, PB-sanc-FR, HR, DQ-sanc1, DQ-sanc2, BDAS-3, SEED-4.
    Scenarios: T36–T40.
    """
    if is_recidivism(breach_on=breach_on, previous_sanction_decisions=previous_sanction_decisions):
        return param_decimal("recidivism_max_months", on=breach_on)
    return param_decimal("first_sanction_max_months", on=breach_on)


def check_sanction_ground(ground: str, *, piis_in_force_on_breach: bool) -> None:
    """R55, R56 — the RI can be suspended only for undeclared resources or for breach of a PIIS in force.

    Raises NO_LEGAL_GROUND (rule "R55") for any other ground (e.g. the lateness of the PIIS itself, T14, or a
    "disposition au travail" failure, which is another legal route, R65), NO_PIIS_IN_FORCE (rule "R56") for the PIIS
    ground without a PIIS in force at the breach.
    Legal basis: Law art. 30 §1–2.
    Convention: none (no dates).
    Open questions: none.
    Sources: MIIS-FAQ-sanc-FR, MIIS-FAQ-sanc-NL, VREEMD-AH2014, BDAS-3.
    Scenarios: T14.
    """
    if ground not in SANCTION_GROUNDS:
        raise RuleViolation("NO_LEGAL_GROUND", "R55", "The RI can only be suspended on the two grounds of art. 30.")
    if ground == "piis_non_compliance" and not piis_in_force_on_breach:
        raise RuleViolation("NO_PIIS_IN_FORCE", "R56", "No PIIS was in force at the time of the breach.")


def check_sanction(
    *,
    breach_on: date,
    months: Decimal,
    share: Decimal = Decimal(1),
    previous_sanction_decisions: Iterable[date] = (),
    notice_sent_on: date | None,
    social_worker_opinion: bool,
    hearing_offered: bool,
    legitimate_reason: bool,
    unmet_cpas_commitment: bool,
    clause_sanctionable: bool = True,
    clause_in_force_from: date | None = None,
    clause_party: str = BENEFICIARY,
) -> None:
    """R56, R57, R58, R59 — a PIIS sanction needs the full procedure, no excuse, and a duration within the cap.

    Raises, in this order: BREACH_BEFORE_CLAUSE (rule "S-Time-21"), COMMITMENT_OF_ANOTHER_PARTY ("R56": the clause
    binds `clause_party`, the CPAS or a third party, not the beneficiary), CLAUSE_NOT_SANCTIONABLE ("S-Dec-15"),
    NOTICE_MISSING, HEARING_NOT_OFFERED, OPINION_MISSING ("R56"), LEGITIMATE_REASON, CPAS_COMMITMENT_UNMET ("R57"),
    SANCTION_TOO_LONG ("R58" for a first sanction, "R59" on recidivism). `share` in (0, 1] is the part of the RI
    suspended (partial suspension); it does not lengthen the cap. InvalidInput (checked first) SHARE_OUT_OF_RANGE,
    MONTHS_NOT_POSITIVE.
    Legal basis: Law art. 30 §2; Law art. 20 and AR art. 7 (hearing).
    Convention: §15.1 rule 2 (recidivism window).
    Open questions: O1 — recidivism anchor = prior decision date.
    Sources: ADB-30, MIIS-FAQ-sanc-FR, DQ-sanc2, BDAS-9, BDAS-3, ADB-sanc, SEED-4.
    Scenarios: T33–T39.
    """
    if not Decimal(0) < share <= Decimal(1):
        raise InvalidInput("SHARE_OUT_OF_RANGE", "The suspended share must be in (0, 1].")
    if months <= 0:
        raise InvalidInput("MONTHS_NOT_POSITIVE", "A suspension lasts more than zero months.")
    if clause_in_force_from is not None and breach_on < clause_in_force_from:
        raise RuleViolation("BREACH_BEFORE_CLAUSE", "S-Time-21", "The clause was not in force on the breach date.")
    check_clause_sanctionable(party=clause_party, sanctionable=True)
    if not clause_sanctionable:
        raise RuleViolation("CLAUSE_NOT_SANCTIONABLE", "S-Dec-15", "This clause cannot ground a sanction.")
    if notice_sent_on is None:
        raise RuleViolation("NOTICE_MISSING", "R56", "A formal notice must be sent before a sanction.")
    if not hearing_offered:
        raise RuleViolation("HEARING_NOT_OFFERED", "R56", "The person must be told of the right to be heard.")
    if not social_worker_opinion:
        raise RuleViolation("OPINION_MISSING", "R56", "The social worker's opinion is required.")
    if legitimate_reason:
        raise RuleViolation("LEGITIMATE_REASON", "R57", "No sanction when the person had a legitimate reason.")
    if unmet_cpas_commitment:
        raise RuleViolation("CPAS_COMMITMENT_UNMET", "R57", "No sanction when the CPAS did not meet its commitment.")
    previous = tuple(previous_sanction_decisions)
    cap = max_suspension_months(breach_on=breach_on, previous_sanction_decisions=previous)
    if months > cap:
        rule = "R59" if is_recidivism(breach_on=breach_on, previous_sanction_decisions=previous) else "R58"
        raise RuleViolation("SANCTION_TOO_LONG", rule, f"The suspension can last at most {cap} month(s).")


def suspended_amount(
    *, ri_monthly: Decimal, months: Decimal, share: Decimal = Decimal(1), deferred_share: Decimal = Decimal(0)
) -> Decimal:
    """R58, R60, R61 — the RI withheld by a suspension: monthly RI × months × share × (1 − deferred share).

    A deferral (sursis) may be total (deferred_share = 1: nothing is withheld) or partial; executing a deferred part
    needs a new decision after a new breach with the full R56 procedure. Rounded half-up to the cent. InvalidInput
    SHARE_OUT_OF_RANGE, MONTHS_NOT_POSITIVE, AMOUNT_NEGATIVE.
    Legal basis: Law art. 30 §2 (suspension total or partial); deferral after Constitutional Court 148/2010.
    Convention: months as a Decimal fraction of the monthly amount.
    Open questions: none (probation length of a deferral not found: kept by the caller).
    Sources: PB-sanc-FR, PB-sanc-NL, SEED-4, DQ-sanc1, BDAS-3.
    Scenarios: T36, T41.
    """
    if not Decimal(0) < share <= Decimal(1) or not Decimal(0) <= deferred_share <= Decimal(1):
        raise InvalidInput("SHARE_OUT_OF_RANGE", "Shares must be in (0, 1] (deferred share in [0, 1]).")
    if months <= 0:
        raise InvalidInput("MONTHS_NOT_POSITIVE", "A suspension lasts more than zero months.")
    if ri_monthly < 0:
        raise InvalidInput("AMOUNT_NEGATIVE", "The RI amount cannot be negative.")
    return (ri_monthly * months * share * (Decimal(1) - deferred_share)).quantize(_CENT, rounding=ROUND_HALF_UP)


def suspension_start_window(*, decided_on: date, notified_on: date) -> StartWindow:
    """R62 — a suspension starts between the day after notification and the 1st day of the 3rd month after the
    decision's month; proposed default: the 1st day of the 2nd month after it (or the earliest day, if later).

    Raises NOTIFICATION_TOO_LATE (rule "R62") when the window is empty; InvalidInput DATES_OUT_OF_ORDER (checked
    first) when notified_on < decided_on.
    Legal basis: Law art. 30 §2 as explained by DQ-sanc1/HR (version A) and DQ-sanc2 (version B).
    Convention: §15.1 rule 1 (calendar months); both ends inclusive.
    Open questions: O2 — window of version B, default date of version A (satisfies both).
    Sources: DQ-sanc1, DQ-sanc2, HR.
    Scenarios: T42.
    """
    if notified_on < decided_on:
        raise InvalidInput("DATES_OUT_OF_ORDER", "The notification is dated before the decision.")
    month_start = first_day_of_month(decided_on)
    # O2: version B gives the window, version A the proposed default date.
    earliest = notified_on + timedelta(days=param_int("suspension_start_after_notification_days", on=decided_on))
    latest = add_months(month_start, param_int("suspension_start_latest_months", on=decided_on))
    if earliest > latest:
        raise RuleViolation(
            "NOTIFICATION_TOO_LATE", "R62", f"Notified too late: the suspension had to start by {latest}."
        )
    default = max(add_months(month_start, param_int("suspension_start_default_months", on=decided_on)), earliest)
    return StartWindow(earliest=earliest, latest=latest, default=default)


def check_suspension_start(*, decided_on: date, notified_on: date, start: date) -> None:
    """R62 — the chosen start of a suspension must lie inside suspension_start_window (both ends inclusive).

    Raises SUSPENSION_START_OUTSIDE_WINDOW (rule "R62"), or NOTIFICATION_TOO_LATE when the window is empty.
    Legal basis: see suspension_start_window.
    Convention: §15.1 rule 1.
    Open questions: O2 — see suspension_start_window.
    Sources: DQ-sanc1, DQ-sanc2, HR.
    Scenarios: T42.
    """
    window = suspension_start_window(decided_on=decided_on, notified_on=notified_on)
    if not window.earliest <= start <= window.latest:
        raise RuleViolation(
            "SUSPENSION_START_OUTSIDE_WINDOW",
            "R62",
            f"The suspension must start between {window.earliest} and {window.latest}.",
        )


def appeal_deadline(notified_on: date) -> AppealDeadline:
    """R66 — a decision can be appealed to the labour court within P14 months of its notification.

    Notification = the day the registered letter is presented (or the avis de passage), or of signed acknowledgment.
    `legal` = notified_on + P14 months; `effective` = rolled forward to the next working day when it falls on a
    Saturday, Sunday or federal public holiday (CPAS closure days do not apply to courts).
    Legal basis: DIS law appeal to the labour court (article not cited by the sources); Judicial Code roll-over.
    Convention: §15.1 rules 1 and 5 (court deadlines roll forward — medium confidence).
    Open questions: none (P15, failure to decide, not modelled).
    Sources: MIIS-FAQ-37, DQ-recours, DQ-sanc2, BDAS-9, SEED-4.
    Scenarios: T43.
    """
    legal = add_months(notified_on, param_int("appeal_months", on=notified_on))
    return AppealDeadline(legal=legal, effective=next_working_day_on_or_after(legal))


def piis_recently_changed(*, changed_on: Iterable[date], procedure_on: date) -> date | None:
    """S-Time-22 — a PIIS signed or amended fewer than PX9 (30) days before a sanction procedure on the same person
    is flagged for supervisor review (risk of a PIIS written a posteriori to ground a sanction).

    `changed_on`: the dates the person's PIIS was concluded or amended (any order); `procedure_on`: the day the
    procedure opens. Returns the latest such date within the alert period (procedure_on − PX9 days < d ≤
    procedure_on), else None. Later dates are ignored.
    Legal basis: none (safeguard derived from the seed critiques, §18).
    Convention: calendar days; the day of the change itself is day 0.
    Open questions: none (the period is a design value, PX9).
    Sources: SEED-0, SEED-2.
    Scenarios: none (§18 S-Time 22).
    """
    days = param_int("recent_piis_alert_days", on=procedure_on)
    recent = [d for d in changed_on if procedure_on - timedelta(days=days) < d <= procedure_on]
    return max(recent, default=None)


def check_breach(
    *,
    breach_on: date,
    piis_in_force_on_breach: bool,
    clause_in_force_from: date | None,
    clause_party: str,
    clause_sanctionable: bool,
    clause_obligation: str,
    breach_kind: str,
) -> None:
    """S-Dec-12, R56, S-Time-21, S-Dec-15 — a breach can be reported only on the person's own sanctionable commitment
    of a PIIS in force on the breach date, not before that commitment came into force, and only of what the
    commitment promised: a result not obtained is no breach of a commitment of means (to try, to attend).

    `clause_obligation` is OBLIGATION_MEANS or OBLIGATION_RESULT (what the commitment promised, as agreed in the
    version in force); `breach_kind` is BREACH_EFFORT_NOT_MADE or BREACH_RESULT_NOT_OBTAINED (what is reported).
    InvalidInput (checked first) UNKNOWN_OBLIGATION_KIND, UNKNOWN_BREACH_KIND. Raises, in this order:
    NO_PIIS_IN_FORCE ("R56"), BREACH_BEFORE_CLAUSE ("S-Time-21"; `clause_in_force_from` None means the commitment
    was in no version in force on the breach date), COMMITMENT_OF_ANOTHER_PARTY ("R56"), CLAUSE_NOT_SANCTIONABLE
    ("S-Dec-15"), RESULT_NOT_PROMISED ("R56"). check_sanction opens with the same checks of the clause.
    Legal basis: Law art. 30 §2 (a sanction for not meeting the commitments of the PIIS: only what was committed to
    can be breached); Civil Code distinction between obligations of means and of result (art. 5.72 new Civil Code).
    Convention: none (dates compared as days); a commitment recorded before the distinction existed is one of means
    (the protective reading: it promised effort, not success).
    Open questions: whether an effort made but insufficient for a commitment of means can ground a breach is left
    to the social worker's assessment of the facts (the core only refuses a result not obtained).
    Sources: ADB-30, MIIS-FAQ-sanc-FR, SEED-0, SEED-4.
    Scenarios: T33 (the breach precedes the notice).
    """
    if clause_obligation not in OBLIGATION_KINDS:
        raise InvalidInput("UNKNOWN_OBLIGATION_KIND", f"Unknown kind of obligation {clause_obligation!r}.")
    if breach_kind not in BREACH_KINDS:
        raise InvalidInput("UNKNOWN_BREACH_KIND", f"Unknown kind of breach {breach_kind!r}.")
    check_sanction_ground("piis_non_compliance", piis_in_force_on_breach=piis_in_force_on_breach)
    if clause_in_force_from is None or breach_on < clause_in_force_from:
        raise RuleViolation("BREACH_BEFORE_CLAUSE", "S-Time-21", "The clause was not in force on the breach date.")
    check_clause_sanctionable(party=clause_party, sanctionable=True)
    if not clause_sanctionable:
        raise RuleViolation("CLAUSE_NOT_SANCTIONABLE", "S-Dec-15", "This clause cannot ground a sanction.")
    if clause_obligation == OBLIGATION_MEANS and breach_kind == BREACH_RESULT_NOT_OBTAINED:
        raise RuleViolation(
            "RESULT_NOT_PROMISED", "R56", "A commitment of means promised effort, not a result: no breach of a result."
        )


def suspension_last_day(start: date, months: Decimal) -> date:
    """R58, R59 — the last day of a suspension of `months` (a fraction allowed) from `start`: whole calendar months
    ("de quantième à veille de quantième", §15.1 add_months), then the fraction as a share of the days of the next
    month (rounded half to even), the last day included.
    Legal basis: Loi 26/05/2002 art. 30 §2 (suspension "for a period" of months), as read in R58, R59.
    Convention: §15.1 add_months for whole months; a fraction counts days of the following month.
    Open questions: how a fraction of a month is counted is not fixed by law (the council decides whole months in
    practice).
    Sources: SEED-0.
    Scenarios: none (T41 uses whole months).
    """
    whole = int(months)
    after_whole = add_months(start, whole)
    fraction = months - whole
    if fraction:
        month_days = (add_months(after_whole, 1) - after_whole).days
        after_whole += timedelta(days=int((fraction * month_days).to_integral_value(rounding=ROUND_HALF_EVEN)))
    return after_whole - timedelta(days=1)
