"""The one adapter between the sanction procedure's rows and the rules core (R55–R66, S-Dec 12–15, S-Time 21–22).

Every question the law answers about a dossier goes through here: whether a commitment can ground a breach on a date
(`clause_in_force`), the cap and recidivism (`sanction_cap`), whether a decision may be taken (`check_decision`),
the start window (`start_window`, `check_start`), the appeal deadline (`appeal_deadline_for`), the amount withheld
(`withheld_amount`) and the S-Time 22 alert (`recent_piis_on`). Pages, services and the checklist read these; none
restates a rule. A refusal of the core becomes a `ServiceError` with the core's code (catalogue message, no rule ID).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from piis.contracts.enums import CommitmentStatus
from piis.contracts.models import Clause, Contract, ContractVersion
from piis.contracts.snapshot import ClauseEntry, grounds_sanction, version_snapshot
from piis.core.errors import ServiceError
from piis.rules import (
    BREACH_EFFORT_NOT_MADE,
    AppealDeadline,
    InvalidInput,
    RuleViolation,
    StartWindow,
    appeal_deadline,
    check_breach,
    check_sanction,
    check_suspension_start,
    is_recidivism,
    max_suspension_months,
    piis_recently_changed,
    suspended_amount,
    suspension_last_day,
    suspension_start_window,
)
from piis.sanctions.enums import SUSPENSION_OUTCOMES, CommitmentDelivery, DossierStatus

__all__ = [
    "ClauseInForce",
    "SanctionCap",
    "appeal_deadline_for",
    "breachable_clauses",
    "check_decision",
    "check_start",
    "clause_in_force",
    "delivery_of",
    "is_unmet",
    "previous_sanction_dates",
    "recent_piis_on",
    "sanction_cap",
    "sanction_facts",
    "start_window",
    "unmet_tied_commitments",
    "withheld_amount",
]


@dataclass(frozen=True)
class ClauseInForce:
    """A commitment as the version in force on the breach date froze it."""

    text: str
    in_force_from: date
    version_number: int
    party: str
    sanctionable: bool


@dataclass(frozen=True)
class SanctionCap:
    max_months: Decimal
    recidivism: bool
    previous: tuple[date, ...]


def _concluded_versions(contract: Contract) -> list[ContractVersion]:
    return list(
        ContractVersion.objects.for_cpas(contract.cpas_id)
        .filter(contract=contract, concluded_on__isnull=False)
        .order_by("concluded_on", "number")
    )


def _entry(version: ContractVersion, clause_id: int) -> ClauseEntry | None:
    return next((c for c in version_snapshot(version).clauses if c.id == clause_id), None)


def _same(a: ClauseEntry, b: ClauseEntry) -> bool:
    return (a.text, a.party, a.sanctionable, a.obligation) == (b.text, b.party, b.sanctionable, b.obligation)


def clause_in_force(clause: Clause, *, breach_on: date, breach_kind: str = BREACH_EFFORT_NOT_MADE) -> ClauseInForce:
    """The commitment as agreed in the version of its PIIS in force on `breach_on`, when the core accepts it as the
    ground of a breach (check_breach: a PIIS in force, the commitment in force that day, the person's own,
    sanctionable, and promising what is reported as not kept: `breach_kind` a result not obtained only for a
    commitment of result; the commitment's obligation is read from the version, "means" for one frozen before
    the distinction). ServiceError NO_PIIS_IN_FORCE, BREACH_BEFORE_CLAUSE, COMMITMENT_OF_ANOTHER_PARTY,
    CLAUSE_NOT_SANCTIONABLE, RESULT_NOT_PROMISED (field "clause", "breach_on" or "kind")."""
    contract = clause.contract
    versions = _concluded_versions(contract)
    in_force = [v for v in versions if v.concluded_on is not None and v.concluded_on <= breach_on]
    ended = contract.ended_on is not None and contract.ended_on < breach_on
    piis_in_force = bool(in_force) and not ended
    current = in_force[-1] if in_force else None
    entry = _entry(current, clause.pk) if current is not None else None
    since: date | None = None
    if entry is not None and current is not None:
        # since when this very text was in force: back through the earlier versions that froze it unchanged
        since = current.concluded_on
        for version in reversed(in_force[:-1]):
            earlier = _entry(version, clause.pk)
            if earlier is None or not _same(earlier, entry):
                break
            since = version.concluded_on
    else:
        # not in the version in force that day: if a later version holds it, it came into force after the breach
        later = next(
            (
                v
                for v in versions
                if v.concluded_on is not None and v.concluded_on > breach_on and _entry(v, clause.pk)
            ),
            None,
        )
        since = later.concluded_on if later is not None else None
    party = entry.party if entry is not None else clause.party
    sanctionable = entry.grounds_sanction if entry is not None else False
    obligation = entry.obligation if entry is not None else clause.obligation
    try:
        check_breach(
            breach_on=breach_on,
            piis_in_force_on_breach=piis_in_force,
            clause_in_force_from=since,
            clause_party=party,
            clause_sanctionable=sanctionable,
            clause_obligation=obligation,
            breach_kind=breach_kind,
        )
    except RuleViolation as error:
        field = "breach_on" if error.code in {"NO_PIIS_IN_FORCE", "BREACH_BEFORE_CLAUSE"} else "clause"
        field = "kind" if error.code == "RESULT_NOT_PROMISED" else field
        raise ServiceError.from_rule(error, field=field) from error
    assert entry is not None and current is not None and since is not None  # check_breach refused otherwise
    return ClauseInForce(
        text=entry.text, in_force_from=since, version_number=current.number, party=party, sanctionable=sanctionable
    )


def previous_sanction_dates(
    beneficiary_id: int, *, cpas_id: int, exclude_dossier_id: int | None = None
) -> tuple[date, ...]:
    """The decision dates of the person's earlier PIIS suspensions (deferred ones included, annulled ones not): the
    anchors of the recidivism window (R59, O1: prior decision date)."""
    from piis.sanctions.models import Decision

    rows = (
        Decision.objects.for_cpas(cpas_id)
        .filter(beneficiary_id=beneficiary_id, outcome__in=SUSPENSION_OUTCOMES)
        .exclude(dossier__status=DossierStatus.ANNULLED)
    )
    if exclude_dossier_id is not None:
        rows = rows.exclude(dossier_id=exclude_dossier_id)
    return tuple(sorted(rows.values_list("decided_on", flat=True)))


def sanction_cap(dossier) -> SanctionCap:
    """R58, R59: the longest suspension for this dossier's breach, and whether it is a repeat within the window."""
    breach_on = dossier.breach.breach_on
    previous = previous_sanction_dates(dossier.beneficiary_id, cpas_id=dossier.cpas_id, exclude_dossier_id=dossier.pk)
    return SanctionCap(
        max_months=max_suspension_months(breach_on=breach_on, previous_sanction_decisions=previous),
        recidivism=is_recidivism(breach_on=breach_on, previous_sanction_decisions=previous),
        previous=previous,
    )


def delivery_of(clause: Clause) -> str:
    """A commitment's follow-up status (contracts.CommitmentStatus) as the check records it."""
    copied: dict[str, str] = {
        CommitmentStatus.DONE: CommitmentDelivery.DONE,
        CommitmentStatus.NOT_DONE: CommitmentDelivery.NOT_DONE,
        CommitmentStatus.IN_PROGRESS: CommitmentDelivery.PARTLY,
    }
    return copied.get(str(clause.delivery_status), CommitmentDelivery.UNKNOWN)


def is_unmet(delivery: str) -> bool:
    """R57 (protective reading): a commitment due before the breach and not recorded as delivered is unmet."""
    return delivery != CommitmentDelivery.DONE


def unmet_tied_commitments(dossier) -> list:
    """The check's lines that exclude the sanction (R57): unmet and tied to the breached commitment."""
    check = getattr(dossier, "commitment_check", None)
    if check is None:
        return []
    return [line for line in check.lines.all() if line.tied and is_unmet(line.delivery)]


def sanction_facts(dossier) -> dict:
    """The procedure's facts as check_sanction reads them (S-Dec 13, 14; R56, R57), from the dossier's rows."""
    notice = getattr(dossier, "notice", None)
    answer = getattr(dossier, "answer", None)
    check = getattr(dossier, "commitment_check", None)
    clause_entry = dossier.breach
    return {
        "breach_on": clause_entry.breach_on,
        "notice_sent_on": notice.sent_on if notice is not None else None,
        "social_worker_opinion": getattr(dossier, "opinion", None) is not None,
        "hearing_offered": getattr(dossier, "hearing", None) is not None,
        "legitimate_reason": bool(answer is not None and answer.legitimate_reason_found),
        "unmet_cpas_commitment": bool(unmet_tied_commitments(dossier)) and not (check and check.override_motivation),
        "clause_in_force_from": clause_entry.clause_in_force_from,
        "clause_party": clause_entry.clause.party,
        "clause_sanctionable": clause_entry.clause.sanctionable,
    }


def check_decision(dossier, *, months: Decimal, share: Decimal) -> None:
    """R56–R59: whether the council may suspend the RI for `months` at `share` on this dossier (check_sanction with
    every fact read from the rows). ServiceError with the core's code (months, share, or the whole form)."""
    facts = sanction_facts(dossier)
    previous = previous_sanction_dates(dossier.beneficiary_id, cpas_id=dossier.cpas_id, exclude_dossier_id=dossier.pk)
    try:
        check_sanction(months=months, share=share, previous_sanction_decisions=previous, **facts)
    except InvalidInput as error:
        field = "share" if error.code == "SHARE_OUT_OF_RANGE" else "months"
        raise ServiceError.from_rule(error, field=field) from error
    except RuleViolation as error:
        on: str | None = "months" if error.code == "SANCTION_TOO_LONG" else None
        cap = max_suspension_months(breach_on=facts["breach_on"], previous_sanction_decisions=previous)
        raise ServiceError.from_rule(error, field=on, params={"max_months": cap}) from error


def start_window(*, decided_on: date, notified_on: date) -> StartWindow:
    """R62: the allowed start dates of a suspension. ServiceError NOTIFICATION_TOO_LATE / DATES_OUT_OF_ORDER."""
    try:
        return suspension_start_window(decided_on=decided_on, notified_on=notified_on)
    except (RuleViolation, InvalidInput) as error:
        params = {}
        if error.code == "NOTIFICATION_TOO_LATE":  # the window's end depends on the decision only
            params["latest"] = suspension_start_window(decided_on=decided_on, notified_on=decided_on).latest
        raise ServiceError.from_rule(error, field="notified_on", params=params) from error


def check_start(*, decided_on: date, notified_on: date, start: date) -> None:
    """R62: ServiceError SUSPENSION_START_OUTSIDE_WINDOW (field start_on) with the window's dates as params."""
    window = start_window(decided_on=decided_on, notified_on=notified_on)
    try:
        check_suspension_start(decided_on=decided_on, notified_on=notified_on, start=start)
    except RuleViolation as error:
        params = {"earliest": window.earliest, "latest": window.latest}
        raise ServiceError.from_rule(error, field="start_on", params=params) from error


def appeal_deadline_for(notified_on: date) -> AppealDeadline:
    """R66: the appeal deadline from the notification (legal, and effective = next working day)."""
    return appeal_deadline(notified_on)


def withheld_amount(
    *, ri_monthly: Decimal, months: Decimal, share: Decimal, deferred_share: Decimal = Decimal(0)
) -> Decimal:
    """R58, R60, R61: the RI withheld, net of a deferral."""
    return suspended_amount(ri_monthly=ri_monthly, months=months, share=share, deferred_share=deferred_share)


def _conclusions(beneficiary_id: int, cpas_id: int) -> Iterable[date]:
    return (
        ContractVersion.objects.for_cpas(cpas_id)
        .filter(contract__beneficiary_id=beneficiary_id, concluded_on__isnull=False)
        .values_list("concluded_on", flat=True)
    )


def recent_piis_on(contract: Contract, *, opened_on: date) -> date | None:
    """S-Time 22: the date a PIIS of the person was concluded or amended shortly before the procedure, if any."""
    return piis_recently_changed(
        changed_on=_conclusions(contract.beneficiary_id, contract.cpas_id), procedure_on=opened_on
    )


def breachable_clauses(contract: Contract) -> list[Clause]:
    """The contract's commitments that may ground a breach at all (R55, R56, S-Dec 15: the person's own, marked
    sanctionable, as contracts.snapshot.grounds_sanction says); whether one was in force on a date is
    clause_in_force's question."""
    clauses = Clause.objects.for_cpas(contract.cpas_id).filter(contract=contract).order_by("order", "id")
    return [c for c in clauses if grounds_sanction(party=c.party, sanctionable=c.sanctionable)]


# --- the council's part (sanct2): the period a suspension covers, the part executed ---------------------------------


def suspension_end(start: date, months: Decimal) -> date:
    """R58, R59: the last day of a suspension of `months` from `start` (the core's suspension_last_day)."""
    return suspension_last_day(start, months)


def executed_share(*, share: Decimal, deferred_share: Decimal | None) -> Decimal:
    """R58, R61: the part of the RI actually withheld each day of the period, net of a deferral (suspended_amount
    for one month of an RI of 1)."""
    return suspended_amount(
        ri_monthly=Decimal(1), months=Decimal(1), share=share, deferred_share=deferred_share or Decimal(0)
    )
