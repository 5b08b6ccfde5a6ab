"""The PIIS obligation of a file and whether a PIIS met it in time (R1–R15), said once for every screen.

`obligation_for_file` is the one adapter the file page, the contract page, the sign form, the agenda and the reports
use: the file's facts go to the rules core through cases.facts, the file's contracts say when a PIIS was concluded,
and the rules core says whether that was late. `conclusion_for_contract` reads the same answer from one contract's
side, so the pages cannot disagree.
"""

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from piis.cases.facts import StudyPiisCheck, obligation_on, study_piis_check
from piis.cases.models import Beneficiary, RiDecision
from piis.cases.selectors import set_empty, set_prefetched
from piis.contracts.enums import ContractStatus
from piis.contracts.models import Contract
from piis.core import compiled
from piis.core.legal import assumptions
from piis.rules import Obligation
from piis.rules.obligation import is_concluded_late
from piis.rules.params import param_int

# A PIIS counts as concluded once every required party has signed: in force, or ended since.
CONCLUDED_STATUSES = frozenset({ContractStatus.IN_FORCE, ContractStatus.ENDED})


@dataclass(frozen=True)
class Label:
    code: str
    label: str


REASON_LABELS = {
    "new_beneficiary": _("New beneficiary: first RI, or RI again after a gap without RI or CPAS-supported employment"),
    "studies": _("Full-time studies accepted on equity grounds"),
    "employed_with_top_up": _("Works and receives the RI as a top-up to wages: a PIIS may still be proposed"),
    "exempted": _("Exempted for health or equity reasons"),
    "not_new_beneficiary": _("No ground applies: a PIIS is optional, at the person's or the CPAS's request"),
}
# The rules behind each ground, for the box's "Legal basis" disclosure (piis.core.legal; IDs are never shown).
REASON_RULES = {
    "under_25": ("R1",),
    "new_beneficiary": ("R2", "R3"),
    "studies": ("R5",),
    "employed_with_top_up": ("R4",),
    "exempted": ("R9",),
    "not_new_beneficiary": ("R6",),
}


def _reason_label(code: str, *, on: date) -> str:
    if code == "under_25":
        return _("Under %(age)s on the date of the RI decision") % {"age": param_int("under_25_age_limit", on=on)}
    return str(REASON_LABELS.get(code, code))


@dataclass(frozen=True)
class FileObligation:
    """What every screen says about the PIIS obligation of a file on `today`.

    `obligation` is the rules core's answer for the latest RI decision, or None when there is no RI decision
    (`ri_decision` None) or the file's dates cannot be right (`error`, translated).
    """

    today: date
    ri_decision: RiDecision | None
    obligation: Obligation | None = None
    reasons: tuple[Label, ...] = ()
    assumptions: tuple[Label, ...] = ()
    concluded_on: date | None = None
    late: bool = False
    revived: bool = False
    error: str = ""
    study: StudyPiisCheck | None = None

    @property
    def required(self) -> bool:
        return bool(self.obligation and self.obligation.required)

    @property
    def deadline(self) -> date | None:
        return self.obligation.deadline if self.obligation and self.obligation.required else None

    @property
    def warning_date(self) -> date | None:
        return self.obligation.warning_date if self.obligation else None

    @property
    def days_left(self) -> int | None:
        return (self.deadline - self.today).days if self.deadline else None

    @property
    def legal_rules(self) -> tuple[str, ...]:
        """The rules this answer rests on, for a "Legal basis" disclosure (titles and articles, never the IDs)."""
        rules = [rule for reason in self.reasons for rule in REASON_RULES.get(reason.code, ())]
        if self.required:
            rules.append("R13")
        if self.revived:
            rules.append("R12")
        if self.late:
            rules.append("R15")
        return tuple(rules)


def _in_force_on(contract: Contract, day: date) -> bool:
    return (
        contract.status in CONCLUDED_STATUSES
        and contract.signed_on is not None
        and contract.signed_on <= day
        and (contract.ended_on is None or contract.ended_on >= day)
    )


def concluded_on(contracts, decision: RiDecision, obligation: Obligation) -> date | None:
    """The conclusion that meets the obligation of `decision`: the first PIIS signed on or after the decision.

    A decision that renews or revises an entitlement without the gap of R2 (so not a "new beneficiary" decision),
    taken while a PIIS is in force, opens no new conclusion deadline: the PIIS in force already meets the
    obligation (the legal service's answer to the question left open in issue 5).
    """
    concluded = [c for c in contracts if c.status in CONCLUDED_STATUSES and c.signed_on is not None]
    if "new_beneficiary" not in obligation.reasons:
        carried = [c.signed_on for c in concluded if _in_force_on(c, decision.decided_on)]
        if carried:
            return min(carried)
    return min((c.signed_on for c in concluded if c.signed_on >= decision.decided_on), default=None)


def obligation_for_file(*, beneficiary: Beneficiary, today: date, contracts=None, closures=None) -> FileObligation:
    """R1–R15, R22 — the PIIS obligation of a file on `today`, whether a PIIS met it, and whether late.

    Uses the prefetched relations of cases.selectors.beneficiary_file_prefetch when present. `contracts` (the file's
    PIIS contracts) and `closures` (the CPAS's closure days) are read when not given.
    """
    answer = obligation_on(beneficiary, today=today, closures=closures)
    latest = answer.ri_decision
    if latest is None:
        return FileObligation(today=today, ri_decision=None)
    study = study_piis_check(beneficiary=beneficiary, ri_decision=latest, today=today)
    obligation = answer.obligation
    if obligation is None:
        error = answer.error.message if answer.error else ""
        return FileObligation(today=today, ri_decision=latest, error=error, study=study)
    if contracts is None:
        contracts = Contract.objects.for_cpas(beneficiary.cpas_id).filter(beneficiary=beneficiary)
    concluded = concluded_on(list(contracts), latest, obligation)
    late = bool(
        obligation.required
        and obligation.deadline
        and is_concluded_late(deadline=obligation.deadline, signed_on=concluded, today=today)
    )
    return FileObligation(
        today=today,
        ri_decision=latest,
        obligation=obligation,
        reasons=tuple(Label(code, _reason_label(code, on=latest.decided_on)) for code in obligation.reasons),
        # Shown only to the CPAS administrator and the DPO (accounts.perms.can_view_legal_assumptions).
        assumptions=tuple(Label(code, str(a.text)) for code in obligation.assumptions for a in assumptions(code)),
        concluded_on=concluded,
        late=late,
        revived="A2" in obligation.assumptions,
        study=study,
    )


@dataclass(frozen=True)
class ContractConclusion:
    """The file's obligation seen from one contract: the deadline it must meet, and whether it is late.

    A contract answers the obligation when it is the PIIS that met it, or when none has met it yet and this one is
    not concluded; another contract of the file shows no deadline (its obligation was met elsewhere).
    """

    file: FileObligation
    answers: bool

    @property
    def deadline(self) -> date | None:
        return self.file.deadline if self.answers else None

    @property
    def late(self) -> bool:
        return self.answers and self.file.late


def _ri_decisions(*, beneficiary: int):
    """The file's RI decisions as prefetch_related reads them (the same SQL: the relation's order)."""
    return RiDecision.objects.filter(beneficiary__in=[beneficiary])


def conclusion_for_contract(contract: Contract, *, today: date) -> ContractConclusion:
    """The contract page's and the sign form's view of the obligation: obligation_for_file, read for `contract`."""
    beneficiary = contract.beneficiary
    # One query per relation the answer reads (the file's decisions, periods, exemptions and contracts: of these, only
    # the fields concluded_on reads, in no order, since it takes the earliest date). A contract read with
    # contracts.selectors.obligation_facts tells which of them hold rows, and the CPAS's closure days: the reads that
    # would find nothing, and the closure days' read, are skipped.
    lookups: list = []
    if connection.vendor == "postgresql":  # its SQL compiled once (core.compiled)
        decisions = compiled.instances(("contract_file_ri_decisions",), _ri_decisions, beneficiary=beneficiary.pk)
        set_prefetched(beneficiary, "ri_decisions", decisions)
    else:
        lookups.append("ri_decisions")
    present = getattr(contract, "relations_present", None)
    for name in ("income_periods", "exemptions"):
        if present is None or name in present:
            lookups.append(name)
        else:
            set_empty(beneficiary, name)
    if getattr(contract, "other_contracts", True):
        only = ("id", "cpas_id", "beneficiary_id", "status", "signed_on", "ended_on")
        lookups.append(Prefetch("contracts", queryset=Contract.objects.only(*only).order_by()))
    prefetch_related_objects([beneficiary], *lookups)
    if not Contract.ri_decision.is_cached(contract):
        # The contract's decision is one of the file's, just read (contract_get_for_user, with_obligation_facts).
        decision = next((d for d in beneficiary.ri_decisions.all() if d.pk == contract.ri_decision_id), None)
        if decision is not None:
            contract.ri_decision = decision
    contracts = beneficiary.contracts.all() if getattr(contract, "other_contracts", True) else [contract]
    closures = getattr(contract, "cpas_closure_days", None)
    file = obligation_for_file(beneficiary=beneficiary, today=today, contracts=contracts, closures=closures)
    if contract.status == ContractStatus.ENDED or not file.required:
        return ContractConclusion(file, answers=False)
    # Before any conclusion, the unsigned contract is the one expected; after, the one that concluded.
    answers = contract.signed_on is None if file.concluded_on is None else contract.signed_on == file.concluded_on
    return ContractConclusion(file, answers=answers)
