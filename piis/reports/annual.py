"""The annual global evaluation of a CPAS's PIIS (R50; its current legal basis was not found, O9: produced anyway).

Every figure is counted from the rows, and every legal judgement comes from the adapter that gives it to the pages:
the obligation and lateness from `contracts.obligation.obligation_for_file` (over `reports.subsidy`'s files as rows),
the evaluation compliance per contract year from `followup.selectors.contract_compliance`, the meeting requests'
deadlines as stored by the follow-up service, sanctions and transfers from their own rows and enums. Counts only: no
person is named, so the report can go to the council as it is.

The figures come in sections (`Section`), each a list of labelled counts, so that the page, the PDF and the CSV
show the same thing; `chart` marks the sections shown as a bar chart (with their table beside it).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from importlib import import_module
from typing import NamedTuple, cast

from django.db.models import Choices, Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from piis.cases.enums import ExemptionGround
from piis.cases.models import Exemption
from piis.contracts.models import Contract
from piis.contracts.obligation import obligation_for_file
from piis.followup.enums import EvaluationMode, MeetingStatus
from piis.followup.models import Evaluation, MeetingRequest
from piis.followup.selectors import STATUS_LABELS, contract_compliance
from piis.reports.subsidy import Coverage, _claim_files, monthly_coverage
from piis.sanctions.enums import (
    SANCTION_OUTCOMES,
    AppealOutcome,
    ClosureReason,
    DecisionOutcome,
    Deferral,
    ItemKind,
)
from piis.sanctions.models import Appeal, Decision, SanctionDossier
from piis.transfers.enums import TransferStatus
from piis.transfers.models import IncomingTransfer, Transfer


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int | Decimal | None

    @property
    def display(self) -> str:
        if self.value is None:
            return "—"
        return str(self.value)


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    chart: bool = False
    note: str = ""

    def add(self, key: str, label, value) -> None:
        self.figures.append(Figure(key, str(label), value))

    def value(self, key: str):
        return next(f.value for f in self.figures if f.key == key)

    @property
    def chart_figures(self) -> list[Figure]:
        return [f for f in self.figures if isinstance(f.value, int)]


@dataclass
class AnnualReport:
    cpas: object
    year: int
    as_of: date
    sections: list[Section]
    coverage: list[Coverage]
    missing_sources: list[str] = field(default_factory=list)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def _in(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


def _obligations(cpas, start: date, end: date, as_of: date) -> Section:
    section = Section("obligation", _("PIIS: compulsory and optional"), chart=True)
    # The claim's files read as plain rows (values(), a fixed number of queries): the same files, decisions,
    # periods, exemptions and concluded PIIS as gather_files' model instances, a third of the time on 90,000 files.
    # The obligation is the adapter's, as of `as_of` (the claim's rows carry the month's end).
    files = _claim_files(cpas, start, end)
    obligations = [
        obligation_for_file(beneficiary=f.beneficiary, today=as_of, contracts=f.contracts, closures=f.closures)
        for f in files
    ]
    compulsory = [o for o in obligations if o.required]
    on_time = [o for o in compulsory if o.concluded_on and not o.late]
    late = [o for o in compulsory if o.concluded_on and o.late]
    missing = [o for o in compulsory if not o.concluded_on and o.deadline and o.deadline < as_of]
    waiting = [o for o in compulsory if not o.concluded_on and not (o.deadline and o.deadline < as_of)]
    file_ids = {f.beneficiary.pk for f in files}
    optional_files = {f.beneficiary.pk for f, o in zip(files, obligations, strict=True) if not o.required}
    # Every PIIS signed during the year (whatever its status now) of a file of the year: one column of one table.
    concluded = [
        person
        for person in Contract.objects.for_cpas(cpas)
        .filter(signed_on__isnull=False, signed_on__range=(start, end))
        .values_list("beneficiary_id", flat=True)
        if person in file_ids
    ]
    section.add("files_with_ri", gettext_lazy("People with an RI during the year"), len(files))
    section.add("compulsory", gettext_lazy("People for whom a PIIS is compulsory"), len(compulsory))
    section.add("compulsory_on_time", gettext_lazy("Compulsory PIIS concluded on time"), len(on_time))
    section.add("compulsory_late", gettext_lazy("Compulsory PIIS concluded late"), len(late))
    section.add("compulsory_missing", gettext_lazy("Compulsory PIIS missing after the deadline"), len(missing))
    section.add("compulsory_waiting", gettext_lazy("Compulsory PIIS still within the deadline"), len(waiting))
    section.add(
        "optional_concluded",
        gettext_lazy("Optional PIIS concluded during the year"),
        sum(1 for person in concluded if person in optional_files),
    )
    section.add("concluded", gettext_lazy("PIIS concluded during the year (all)"), len(concluded))
    return section


def _exemptions(cpas, start: date, end: date, as_of: date) -> Section:
    section = Section("exemptions", _("Exemptions by ground and their reviews"), chart=True)
    rows = list(Exemption.objects.for_cpas(cpas).filter(start_on__lte=end).only(
        "ground", "decided_on", "review_on", "end_on", "lifted_on", "start_on"
    ))  # fmt: skip
    decided = Counter(e.ground for e in rows if _in(e.decided_on, start, end))
    for ground in ExemptionGround:
        section.add(f"granted_{ground.value}", _("Granted: %(ground)s") % {"ground": ground.label}, decided[ground])
    due = [e for e in rows if _in(e.review_on, start, end)]
    section.add("reviews_due", gettext_lazy("Reviews due during the year"), len(due))
    section.add(
        "lifted",
        gettext_lazy("Exemptions lifted during the year"),
        sum(1 for e in rows if _in(e.lifted_on, start, end)),
    )
    overdue = [
        e for e in due if e.review_on < as_of and e.lifted_on is None and (e.end_on is None or e.end_on > e.review_on)
    ]
    section.add("reviews_overdue", gettext_lazy("Reviews past their date, exemption still running"), len(overdue))
    return section


class _Held(NamedTuple):
    held_on: date
    mode: str


class _SignedContract(NamedTuple):
    """What contract_compliance reads of a contract, as a plain row (not a model instance: 86,550 of them)."""

    pk: int
    status: str
    signed_on: date
    ended_on: date | None


def _evaluations(cpas, start: date, end: date, as_of: date) -> Section:
    section = Section("evaluations", _("Evaluations and their compliance"), chart=True)
    signed = Contract.objects.for_cpas(cpas).filter(signed_on__isnull=False, signed_on__lte=end)
    # Plain rows, not model instances: a CPAS of 90,000 files has a quarter of a million evaluations.
    by_contract: dict[int, list[_Held]] = defaultdict(list)
    held: Counter[str] = Counter()
    for contract_id, held_on, mode in (
        Evaluation.objects.for_cpas(cpas)
        .filter(contract__in=signed.order_by().values("pk"))
        .values_list("contract_id", "held_on", "mode")
    ):
        by_contract[contract_id].append(_Held(held_on, mode))
        if start <= held_on <= end:
            held[mode] += 1
    statuses: Counter[str] = Counter()
    no_evaluation: list[_Held] = []
    for row in signed.order_by().values_list("pk", "status", "signed_on", "ended_on"):
        contract = cast(Contract, _SignedContract(*row))
        years = contract_compliance(contract=contract, evaluations=by_contract.get(row[0], no_evaluation), today=as_of)
        for year in years:
            if _in(year.year.end, start, end) and year.year.end <= as_of:
                statuses[year.status] += 1
    section.add("held", gettext_lazy("Evaluations held during the year"), sum(held.values()))
    for mode in EvaluationMode:
        section.add(f"held_{mode.value}", _("Held: %(mode)s") % {"mode": mode.label}, held[mode])
    section.add("years_ended", gettext_lazy("Contract years ended during the year"), sum(statuses.values()))
    for status in ("compliant", "non_compliant_count", "non_compliant_in_person"):
        section.add(f"years_{status}", STATUS_LABELS[status], statuses[status])
    return section


def _meetings(cpas, start: date, end: date, as_of: date) -> Section:
    section = Section("meetings", _("Meeting requests and their delays"), chart=True)
    rows = list(
        MeetingRequest.objects.for_cpas(cpas)
        .filter(requested_on__range=(start, end))
        .only("requested_on", "deadline", "status", "held_on", "withdrawn_on")
    )
    held = [r for r in rows if r.status == MeetingStatus.HELD and r.held_on]
    on_time = [r for r in held if r.held_on <= r.deadline]
    overdue = [r for r in rows if r.status == MeetingStatus.OPEN and r.deadline < as_of]
    section.add("requested", gettext_lazy("Meetings requested during the year"), len(rows))
    section.add("held_on_time", gettext_lazy("Held by the deadline"), len(on_time))
    section.add("held_late", gettext_lazy("Held after the deadline"), len(held) - len(on_time))
    section.add(
        "withdrawn",
        gettext_lazy("Withdrawn by the person"),
        sum(1 for r in rows if r.status == MeetingStatus.WITHDRAWN),
    )
    section.add("open_overdue", gettext_lazy("Still open after the deadline"), len(overdue))
    days = [(r.held_on - r.requested_on).days for r in held]
    average = (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1")) if days else None
    section.add("average_days", gettext_lazy("Average days from request to meeting"), average)
    return section


def _sanctions(cpas, start: date, end: date) -> Section:
    section = Section("sanctions", _("Non-compliance procedures, sanctions and appeals"), chart=True)
    dossiers = SanctionDossier.objects.for_cpas(cpas)
    section.add("opened", gettext_lazy("Procedures opened"), dossiers.filter(opened_on__range=(start, end)).count())
    closed = Counter(
        dict(dossiers.filter(closed_on__range=(start, end)).values_list("closure_reason").annotate(n=Count("pk")))
    )
    for reason in ClosureReason:
        section.add(
            f"closed_{reason.value}",
            _("Closed without a decision: %(reason)s") % {"reason": reason.label},
            closed[reason],
        )
    decisions = list(
        Decision.objects.for_cpas(cpas)
        .filter(decided_on__range=(start, end), outcome__in=SANCTION_OUTCOMES)
        .values_list("outcome", "deferral")
    )
    outcomes = Counter(outcome for outcome, _deferral in decisions)
    for outcome in (DecisionOutcome.NO_SANCTION, DecisionOutcome.TOTAL_SUSPENSION, DecisionOutcome.PARTIAL_SUSPENSION):
        section.add(
            f"decided_{outcome.value}", _("Decided: %(outcome)s") % {"outcome": outcome.label}, outcomes[outcome]
        )
    deferrals = Counter(deferral for _outcome, deferral in decisions)
    for deferral in (Deferral.TOTAL, Deferral.PARTIAL):
        section.add(
            f"deferral_{deferral.value}",
            _("With %(deferral)s") % {"deferral": deferral.label},
            deferrals[deferral],
        )
    appeals = Appeal.objects.for_cpas(cpas)
    section.add(
        "appeals_lodged", gettext_lazy("Appeals lodged"), appeals.filter(lodged_on__range=(start, end)).count()
    )
    judged = Counter(
        dict(appeals.filter(outcome_on__range=(start, end)).values_list("outcome").annotate(n=Count("pk")))
    )
    for judgement in (AppealOutcome.CONFIRMED, AppealOutcome.ANNULLED, AppealOutcome.WITHDRAWN):
        section.add(
            f"appeal_{judgement.value}", _("Appeals: %(outcome)s") % {"outcome": judgement.label}, judged[judgement]
        )
    matters = Counter(
        dict(
            Decision.objects.for_cpas(cpas)
            .filter(decided_on__range=(start, end), item__kind=ItemKind.REFUSAL_TO_SIGN)
            .values_list("outcome")
            .annotate(n=Count("pk"))
        )
    )
    section.add(
        "refusals_to_sign",
        gettext_lazy("Refusals to sign a compulsory PIIS before the council"),
        sum(matters.values()),
    )
    return section


def _transfers(cpas, start: date, end: date) -> Section:
    section = Section("transfers", _("Transfers to and from other CPAS"), chart=True)
    out = Counter(
        dict(
            Transfer.objects.for_cpas(cpas)
            .filter(learned_on__range=(start, end))
            .values_list("status")
            .annotate(n=Count("pk"))
        )
    )
    section.add("outgoing", gettext_lazy("Moves to another CPAS"), sum(out.values()))
    section.add("outgoing_sent", gettext_lazy("PIIS sent to the new CPAS"), out[TransferStatus.SENT])
    section.add("outgoing_refused", gettext_lazy("Transfers refused by the person"), out[TransferStatus.REFUSED])
    section.add(
        "outgoing_waiting", gettext_lazy("Waiting for the person's answer"), out[TransferStatus.AWAITING_ANSWER]
    )
    incoming = IncomingTransfer.objects.for_cpas(cpas)
    section.add(
        "incoming_received",
        gettext_lazy("PIIS received from another CPAS"),
        incoming.filter(received_on__range=(start, end)).count(),
    )
    section.add(
        "incoming_refused",
        gettext_lazy("Incoming transfers refused by the person"),
        incoming.filter(refused_on__range=(start, end)).count(),
    )
    return section


def _function(module: str, name: str) -> Callable | None:
    try:
        return getattr(import_module(module), name, None)
    except ImportError:
        return None


def _choices(module: str, name: str) -> type[Choices] | None:
    """A choices enum of a package that may be absent (None then), looked up like `_function`."""
    try:
        return getattr(import_module(module), name, None)
    except ImportError:
        return None


def _target_groups(cpas, start: date, end: date) -> Section | None:
    """piis.catalogue's target groups of the CPAS's policy: the files in each, and those with a PIIS in force."""
    counts = _function("piis.catalogue.selectors", "target_group_counts")
    if counts is None:
        return None
    section = Section("target_groups", _("Target groups"), chart=True)
    for row in counts(cpas, start, end):
        section.add(f"group_{row.group_id}_files", _("%(group)s: people") % {"group": row.name}, row.files)
        section.add(
            f"group_{row.group_id}_with_piis", _("%(group)s: with a PIIS") % {"group": row.name}, row.with_piis
        )
    return section


def _outcomes(cpas, start: date, end: date) -> Section | None:
    """How the PIIS that ended during the year ended (piis.documents' outcome of an ended PIIS)."""
    counts = _function("piis.documents.selectors", "outcome_counts")
    if counts is None:
        return None
    labels = {}
    outcome = _choices("piis.documents.enums", "ExitOutcome")
    if outcome is not None:
        labels = {choice.value: choice.label for choice in outcome}
    section = Section("outcomes", _("How the PIIS ended"), chart=True)
    for key, value in counts(cpas, start, end).items():
        label = labels.get(key, _("Not recorded") if key == "unrecorded" else key)
        section.add(f"outcome_{key}", label, int(value))
    return section


def annual_report(cpas, year: int, *, today: date | None = None) -> AnnualReport:
    """R50 — the year's figures for `cpas`, as of `today` (the year's end once it is over)."""
    today = today or timezone.localdate()
    start, end = date(year, 1, 1), date(year, 12, 31)
    as_of = min(end, today)
    sections = [
        _obligations(cpas, start, end, as_of),
        _exemptions(cpas, start, end, as_of),
        _evaluations(cpas, start, end, as_of),
        _meetings(cpas, start, end, as_of),
        _sanctions(cpas, start, end),
        _transfers(cpas, start, end),
    ]
    missing = []
    for key, build in (("target_groups", _target_groups), ("outcomes", _outcomes)):
        section = build(cpas, start, end)
        if section is None:
            missing.append(key)
        elif section.figures:  # a CPAS without target groups has no section of them
            sections.append(section)
    coverage = monthly_coverage(cpas, year, until=as_of)
    return AnnualReport(cpas, year, as_of, sections, coverage, missing)
