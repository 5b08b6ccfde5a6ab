"""The special PIIS subsidy of a month, per beneficiary (R68–R71): the one adapter between the rules core's
subsidy functions and the claim page, its CSV, the inspection and the API.

Each line says what the rules core answers for one person (or one couple on the category-3 RI) in the month, and why
in words: the start (`subsidy_start`), the amount (`monthly_piis_subsidy`, `couple_piis_subsidy`), the first period
and its prolongation (`first_subsidy_period`, `check_subsidy_prolongation`), the recovery when a compulsory PIIS is
missing (the obligation through `contracts.obligation.obligation_for_file`). Nothing of the law is said here.

Facts this module gathers for the core (conventions, docs/reports.md):
- the RI granted in the month is the monthly amount of the latest RI decision covering a day of the month;
- a PIIS is in force on a day from its conclusion to its end (concluded or ended contracts);
- the written motivation of a prolongation is an evaluation of the PIIS held on or before the last day of the first
  period that records difficulties or adjustments (R69: "e.g. following an evaluation");
- a couple is two files of the CPAS on the category-3 RI, each naming the other as partner in its household.
The coverage rate (R71, numerator and denominator not found in the law, DESIGN): of the people with an RI granted
for at least one day of the period, the share with a PIIS in force on at least one day of it.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import translation
from django.utils.translation import gettext as _

from piis.accounts.models import ClosureDay
from piis.cases.enums import HouseholdRelation, RiCategory
from piis.cases.models import Beneficiary, Exemption, HouseholdMember, IncomePeriod, NeedsAssessment, RiDecision
from piis.contracts.models import Contract
from piis.contracts.obligation import CONCLUDED_STATUSES, FileObligation, obligation_for_file
from piis.core.prefetch import prefetch_reverse
from piis.followup.models import Evaluation
from piis.rules import (
    InvalidInput,
    Period,
    RuleViolation,
    check_subsidy_prolongation,
    couple_piis_subsidy,
    first_subsidy_period,
    monthly_piis_subsidy,
    subsidy_start,
)
from piis.rules.subsidy import bonus_malus_rate

CODE_FIRST = "11"  # R69/R73: first subsidy
CODE_PROLONGATION = "17"  # R69/R73: prolongation

CLAIMED = "claimed"
RECOVERABLE = "recoverable"
NOT_DUE = "not_due"
STATUSES = (CLAIMED, RECOVERABLE, NOT_DUE)


def status_label(status: str) -> str:
    return {CLAIMED: _("Claimed"), RECOVERABLE: _("Recoverable"), NOT_DUE: _("Not due")}[status]


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def bonus_malus_enabled() -> bool:
    """R71: the deployment's flag for the pending 2028 reform (settings.PIIS_SUBSIDY_BONUS_MALUS)."""
    return bool(getattr(settings, "PIIS_SUBSIDY_BONUS_MALUS", False))


@dataclass(frozen=True)
class SubsidyLine:
    """One line of the month's claim: a person, or a couple on the category-3 RI (then `partner_*` are set)."""

    beneficiary_id: int
    name: str
    national_number: str
    category: int
    ri_granted: Decimal
    status: str
    amount: Decimal
    reason: str
    start: date | None = None
    code: str = ""
    first_period: Period | None = None
    contract_id: int | None = None
    signed_on: date | None = None
    partner_id: int | None = None
    partner_name: str = ""
    partner_national_number: str = ""
    rate: Decimal | None = None

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def claimed(self) -> bool:
        return self.status == CLAIMED

    @property
    def beneficiary_ids(self) -> tuple[int, ...]:
        return (self.beneficiary_id,) if self.partner_id is None else (self.beneficiary_id, self.partner_id)


@dataclass
class _File:
    """What one file brings to the month: the decision, the obligation, the PIIS in force.

    The obligation (the rules core, most of a file's cost) is asked on first read, as of `today`: a page of the
    claim asks it of the files of its lines only."""

    beneficiary: Beneficiary
    decision: RiDecision
    contracts: list[Contract]
    in_force: list[Contract]
    today: date
    closures: list[date]

    @cached_property
    def obligation(self) -> FileObligation:
        return obligation_for_file(
            beneficiary=self.beneficiary, today=self.today, contracts=self.contracts, closures=self.closures
        )

    @property
    def name(self) -> str:
        return f"{self.beneficiary.last_name} {self.beneficiary.first_name}"


def _in_force_between(contract: Contract, start: date, end: date) -> bool:
    return (
        contract.status in CONCLUDED_STATUSES
        and contract.signed_on is not None
        and contract.signed_on <= end
        and (contract.ended_on is None or contract.ended_on >= start)
    )


def _piis_period(contract: Contract) -> Period:
    assert contract.signed_on is not None
    return Period(contract.signed_on, contract.ended_on or date.max)


def _covering(decisions: Iterable[RiDecision], start: date, end: date) -> list[RiDecision]:
    return [d for d in decisions if d.start_on <= end and (d.end_on is None or d.end_on >= start)]


def _files_queryset(cpas, start: date, end: date):
    overlapping = Q(start_on__lte=end) & (Q(end_on__isnull=True) | Q(end_on__gte=start))
    return (
        Beneficiary.objects.for_cpas(cpas)
        .filter(pk__in=RiDecision.objects.for_cpas(cpas).filter(overlapping).values("beneficiary_id"))
        .order_by("last_name", "first_name", "pk")
    )


def _prefetch_files(cpas, people: list[Beneficiary]) -> None:
    """What the obligation and the lines read of each file, one query per relation (core.prefetch: Django's
    prefetch_related cloned a queryset per file and relation, most of the annual report's time on 90,000 files)."""
    for relation, model in (
        ("ri_decisions", RiDecision),
        ("income_periods", IncomePeriod),
        ("exemptions", Exemption),
        ("household", HouseholdMember),
        ("contracts", Contract),
    ):
        prefetch_reverse(people, relation, model.objects.for_cpas(cpas))
    contracts = [c for person in people for c in person.contracts.all()]
    prefetch_reverse(contracts, "evaluations", Evaluation.objects.for_cpas(cpas).order_by("held_on"))


def gather_files(cpas, start: date, end: date, *, today: date | None = None, only: Q | None = None) -> list[_File]:
    """The files with an RI granted for a day of [start, end], with their obligation as of `today` (else `end`);
    `only` narrows them (one person and those who may be their partner)."""
    closures = list(ClosureDay.objects.for_cpas(cpas).values_list("day", flat=True))
    queryset = _files_queryset(cpas, start, end)
    if only is not None:
        queryset = queryset.filter(only)
    people = list(queryset)
    _prefetch_files(cpas, people)
    files = []
    for beneficiary in people:
        covering = _covering(beneficiary.ri_decisions.all(), start, end)
        if not covering:
            continue
        decision = max(covering, key=lambda d: (d.decided_on, d.pk))
        contracts = list(beneficiary.contracts.all())
        in_force = [c for c in contracts if _in_force_between(c, start, end)]
        files.append(_File(beneficiary, decision, contracts, in_force, today or end, closures))
    return files


class _Related(list):
    """A file's rows of one relation, read as `beneficiary.<relation>.all()` as obligation_on and the lines do."""

    def all(self) -> _Related:
        return self


def _row(**values) -> Any:
    """A plain row standing for a model instance (the fields the obligation and the lines read, nothing else)."""
    return SimpleNamespace(**values)


def _rows_by_file(queryset, fields: Sequence[str], key: str = "beneficiary_id") -> dict[int, _Related]:
    groups: dict[int, _Related] = {}
    for values in queryset.values("id", *fields):
        groups.setdefault(values[key], _Related()).append(_row(pk=values["id"], **values))
    return groups


def _claim_files(cpas, start: date, end: date, *, only: Q | None = None) -> list[_File]:
    """gather_files for the claim: the same files, decisions and obligations, read as plain rows (values()) in a
    fixed number of queries, whatever the number of files (the annual report keeps gather_files' instances).

    Only what the claim reads is fetched: the concluded PIIS (the obligation's conclusion and the lines read no
    other), the partners named in the households, the evaluations recording difficulties or adjustments."""
    closures = list(ClosureDay.objects.for_cpas(cpas).values_list("day", flat=True))
    queryset = _files_queryset(cpas, start, end)
    if only is not None:
        queryset = queryset.filter(only)
    among = queryset.order_by().values("pk")  # a subquery: no list of ids sent back
    decisions = _rows_by_file(
        RiDecision.objects.for_cpas(cpas).filter(beneficiary_id__in=among),
        ("beneficiary_id", "decided_on", "start_on", "end_on", "category", "monthly_amount",
         "employed_with_top_up", "full_time_studies"),
    )  # fmt: skip
    periods = _rows_by_file(
        IncomePeriod.objects.for_cpas(cpas).filter(beneficiary_id__in=among),
        ("beneficiary_id", "kind", "start_on", "end_on"),
    )
    exemptions = _rows_by_file(
        Exemption.objects.for_cpas(cpas).filter(beneficiary_id__in=among),
        ("beneficiary_id", "ground", "start_on", "end_on", "lifted_on", "decided_on"),
    )
    for rows in exemptions.values():
        for exemption in rows:
            exemption.effective_end = Exemption.effective_end.fget(exemption)  # type: ignore[attr-defined]
    partners = _rows_by_file(
        HouseholdMember.objects.for_cpas(cpas).filter(beneficiary_id__in=among, relation=HouseholdRelation.PARTNER),
        ("beneficiary_id", "relation", "name"),
    )
    concluded = Contract.objects.for_cpas(cpas).filter(
        beneficiary_id__in=among, status__in=CONCLUDED_STATUSES, signed_on__isnull=False
    )
    contracts = _rows_by_file(concluded, ("beneficiary_id", "status", "signed_on", "ended_on"))
    evaluations = _rows_by_file(
        Evaluation.objects.for_cpas(cpas)
        .filter(contract_id__in=concluded.order_by().values("pk"))
        .exclude(difficulties="", adjustments="")
        .order_by("held_on"),
        ("contract_id", "held_on", "difficulties", "adjustments"),
        key="contract_id",
    )
    files = []
    fields = ("id", "cpas_id", "first_name", "last_name", "national_number", "birth_date")
    for values in queryset.values(*fields):
        pk = values["id"]
        own = contracts.get(pk, _Related())
        for contract in own:
            contract.evaluations = evaluations.get(contract.pk, _Related())
        beneficiary = _row(
            pk=pk, **values, ri_decisions=decisions.get(pk, _Related()), income_periods=periods.get(pk, _Related()),
            exemptions=exemptions.get(pk, _Related()), household=partners.get(pk, _Related()), contracts=own,
        )  # fmt: skip
        covering = _covering(beneficiary.ri_decisions, start, end)
        if not covering:
            continue
        decision = max(covering, key=lambda d: (d.decided_on, d.pk))
        in_force = [c for c in own if _in_force_between(c, start, end)]
        files.append(_File(beneficiary, decision, own, in_force, end, closures))
    return files


def _normalised(name: str) -> str:
    return " ".join(name.casefold().split())


def _couples(files: list[_File]) -> dict[int, int]:
    """beneficiary id → partner's id, for two files on the category-3 RI each naming the other as partner."""
    by_name: dict[str, list[_File]] = {}
    for f in files:
        if f.decision.category == RiCategory.FAMILY:
            for name in (f"{f.beneficiary.first_name} {f.beneficiary.last_name}", f.name):
                by_name.setdefault(_normalised(name), []).append(f)
    named: dict[int, set[int]] = {}
    for f in files:
        if f.decision.category != RiCategory.FAMILY:
            continue
        for member in f.beneficiary.household.all():
            if member.relation == HouseholdRelation.PARTNER:
                for other in by_name.get(_normalised(member.name), []):
                    if other.beneficiary.pk != f.beneficiary.pk:
                        named.setdefault(f.beneficiary.pk, set()).add(other.beneficiary.pk)
    return {a: b for a, partners in named.items() for b in partners if a in named.get(b, set())}


def _motivated(contract: Contract, last_day: date) -> bool:
    return any(
        e.held_on <= last_day and (e.difficulties.strip() or e.adjustments.strip()) for e in contract.evaluations.all()
    )


def _rate_and_coverage(on: date, coverage: Decimal | None) -> tuple[bool, Decimal | None]:
    flag = bonus_malus_enabled()
    return flag, (coverage if flag else None)


def _amount(ri_granted: Decimal, *, on: date, coverage: Decimal | None) -> Decimal:
    flag, cover = _rate_and_coverage(on, coverage)
    try:
        return monthly_piis_subsidy(ri_granted, on=on, coverage=cover, bonus_malus=flag)
    except InvalidInput:
        return monthly_piis_subsidy(ri_granted, on=on)


def _single_line(f: _File, start: date, end: date, coverage: Decimal | None) -> SubsidyLine:
    b = f.beneficiary
    zero = Decimal("0.00")
    # The person's line; each outcome below replaces its status, amount and reason (and its dates once known).
    base = SubsidyLine(
        beneficiary_id=b.pk,
        name=f.name,
        national_number=b.national_number,
        category=f.decision.category,
        ri_granted=f.decision.monthly_amount,
        status=NOT_DUE,
        amount=zero,
        reason="",
    )
    ob = f.obligation
    if ob.required and ob.concluded_on is None:
        if ob.deadline and ob.deadline < end:
            return replace(
                base, status=RECOVERABLE, amount=zero,
                reason=_("A compulsory PIIS was not concluded by %(deadline)s: the subsidy is recovered.")
                % {"deadline": ob.deadline.strftime("%d/%m/%Y")},
            )  # fmt: skip
        return replace(base, status=NOT_DUE, amount=zero, reason=_("The PIIS is not concluded yet."))
    # The subsidy runs from the first PIIS in force on this entitlement (the RI granted without interruption).
    granted_from = _entitlement_start(f)
    signed = [c for c in f.contracts if c.signed_on is not None and c.status in CONCLUDED_STATUSES]
    since_ri = [c for c in signed if c.ended_on is None or c.ended_on >= granted_from]
    if not since_ri:
        return replace(base, status=NOT_DUE, amount=zero, reason=_("No PIIS in force this month."))
    first_contract = min(since_ri, key=lambda c: (c.signed_on, c.pk))
    contract = min(f.in_force, key=lambda c: (c.signed_on, c.pk)) if f.in_force else first_contract
    assert first_contract.signed_on is not None
    start_on = subsidy_start(ri_granted_from=granted_from, piis_signed_on=first_contract.signed_on)
    period = first_subsidy_period(start_on)
    dated = replace(base, start=start_on, first_period=period, contract_id=contract.pk, signed_on=contract.signed_on)
    if not f.in_force and start <= period.end:
        return replace(dated, status=NOT_DUE, amount=zero, reason=_("No PIIS in force this month."))
    if start_on > end:
        return replace(dated, status=NOT_DUE, amount=zero, reason=_("The subsidy starts later."))
    amount = _amount(f.decision.monthly_amount, on=start, coverage=coverage)
    if start <= period.end:
        return replace(
            dated, status=CLAIMED, amount=amount, code=CODE_FIRST,
            reason=_("First subsidy period, from %(start)s to %(end)s.")
            % {"start": start_on.strftime("%d/%m/%Y"), "end": period.end.strftime("%d/%m/%Y")},
        )  # fmt: skip
    motivated = any(_motivated(c, period.end) for c in signed)
    try:
        check_subsidy_prolongation(
            first_period=period, piis_in_force=[_piis_period(c) for c in signed], written_motivation=motivated
        )
    except RuleViolation as refusal:
        reason = {
            "NO_PIIS_ON_LAST_DAY": _("No prolongation: no PIIS was in force on the last day of the first period."),
            "MOTIVATION_MISSING": _(
                "No prolongation: no written motivation (an evaluation) before the first period ended."
            ),
        }.get(refusal.code, _("No prolongation."))
        return replace(dated, status=NOT_DUE, amount=zero, reason=reason)
    if not f.in_force:
        return replace(dated, status=NOT_DUE, amount=zero, reason=_("No PIIS in force this month."))
    return replace(
        dated, status=CLAIMED, amount=amount, code=CODE_PROLONGATION,
        reason=_("Prolongation: a PIIS was in force on %(day)s and an evaluation motivates it.")
        % {"day": period.end.strftime("%d/%m/%Y")},
    )  # fmt: skip


def _entitlement_start(f: _File) -> date:
    """The start of the RI granted without interruption up to the month's decision (decisions that follow each
    other day after day, or overlap)."""
    earlier = sorted(
        (d for d in f.beneficiary.ri_decisions.all() if d.start_on <= f.decision.start_on),
        key=lambda d: d.start_on,
        reverse=True,
    )
    start = f.decision.start_on
    for decision in earlier:
        if decision.end_on is None or decision.end_on >= start - timedelta(days=1):
            start = min(start, decision.start_on)
        else:
            break
    return start


def _couple_line(a: _File, b: _File, start: date, end: date, coverage: Decimal | None) -> SubsidyLine:
    """R70: one line for the couple, on the category-3 amount, never doubled; recoverable if an obliged partner has
    no PIIS (each obligation assessed per partner, R8)."""
    ri_granted = max(a.decision.monthly_amount, b.decision.monthly_amount)
    partners = (a, b)
    has_piis = [bool(p.in_force) for p in partners]
    obliged = [p.obligation.required for p in partners]
    # An obliged partner whose deadline has not passed yet is not (yet) missing.
    missing_counts = [
        must and (p.obligation.deadline is not None and p.obligation.deadline < end)
        for must, p in zip(obliged, partners, strict=True)
    ]
    result = couple_piis_subsidy(ri_granted=ri_granted, on=start, obliged=missing_counts, has_piis=has_piis)
    lines = [_single_line(p, start, end, coverage) for p in partners]
    claimed = [line for line in lines if line.claimed]
    first = claimed[0] if claimed else lines[0]
    # The couple's line; each outcome below replaces its status, amount and reason.
    base = SubsidyLine(
        beneficiary_id=a.beneficiary.pk,
        name=a.name,
        national_number=a.beneficiary.national_number,
        partner_id=b.beneficiary.pk,
        partner_name=b.name,
        partner_national_number=b.beneficiary.national_number,
        category=RiCategory.FAMILY,
        ri_granted=ri_granted,
        start=first.start,
        first_period=first.first_period,
        contract_id=first.contract_id,
        signed_on=first.signed_on,
        code=first.code,
        status=NOT_DUE,
        amount=Decimal("0.00"),
        reason="",
    )
    if result.recoverable:
        return replace(
            base, status=RECOVERABLE, amount=Decimal("0.00"),
            reason=_("Couple: a partner obliged to have a PIIS has none: the subsidy is recovered."),
        )  # fmt: skip
    if not claimed:
        return replace(base, status=NOT_DUE, amount=Decimal("0.00"), reason=first.reason)
    amount = _amount(ri_granted, on=start, coverage=coverage) if bonus_malus_enabled() else result.amount
    both = len(claimed) == 2
    reason = (
        _("Couple: both partners have a PIIS; one subsidy on the category-3 amount, not doubled.")
        if both
        else _("Couple: one partner has a PIIS; the subsidy is on the category-3 amount.")
    )
    return replace(base, status=CLAIMED, amount=amount, reason=f"{reason} {first.reason}")


def _lines(files: list[_File], start: date, end: date, coverage: Decimal | None) -> Iterator[SubsidyLine]:
    """The lines in name order, each computed when it is read (the couples need every file's decision and
    household, not their obligations)."""
    couples = _couples(files)
    by_id = {f.beneficiary.pk: f for f in files}
    for f in files:
        partner = couples.get(f.beneficiary.pk)
        if partner is None:
            yield _single_line(f, start, end, coverage)
        elif f.beneficiary.pk < partner:
            yield _couple_line(f, by_id[partner], start, end, coverage)


def subsidy_lines(cpas, month: date) -> list[SubsidyLine]:
    """R68–R71 — the PIIS subsidy of `month` (any day of it) per person with an RI granted that month, in name
    order: claimed, recoverable or not due, each with its reason in words."""
    return list(iter_subsidy_lines(cpas, month))


def iter_subsidy_lines(cpas, month: date) -> Iterator[SubsidyLine]:
    """subsidy_lines one line at a time: the files' rows are read at once (a fixed number of queries), each line's
    obligation and reason when the line is read, so a page of the claim costs its lines, not the CPAS's."""
    start, end = month_bounds(month)
    files = _claim_files(cpas, start, end)
    coverage = year_coverage(cpas, start.year) if bonus_malus_enabled() and start.year >= 2028 else None
    return _lines(files, start, end, coverage)


def subsidy_lines_in_languages(
    cpas, month: date, languages: Sequence[str], *, progress: Callable[[int], None] | None = None
) -> list[tuple[SubsidyLine, dict[str, str]]]:
    """subsidy_lines, each line with its reason in each of `languages` (the stored claim, reports.claims): the
    files are read and each obligation asked once (the first language's pass); the other languages only word the
    same lines again. The lines are those of subsidy_lines in the first language, figure for figure."""
    start, end = month_bounds(month)
    files = _claim_files(cpas, start, end)
    coverage = year_coverage(cpas, start.year) if bonus_malus_enabled() and start.year >= 2028 else None
    worded: list[list[SubsidyLine]] = []
    for number, language in enumerate(languages):
        with translation.override(language):
            worded.append(list(_lines(files, start, end, coverage)))
        if progress is not None:
            progress(number + 1)
    return [
        (line, {language: str(lines[index].reason) for language, lines in zip(languages, worded, strict=True)})
        for index, line in enumerate(worded[0])
    ]


def _possible_partners(cpas, beneficiary_id: int) -> Q:
    """The person, and the files named as partner in their household (first and last name in either order)."""
    names = (
        HouseholdMember.objects.for_cpas(cpas)
        .filter(beneficiary_id=beneficiary_id, relation=HouseholdRelation.PARTNER)
        .values_list("name", flat=True)
    )
    narrowed = Q(pk=beneficiary_id)
    for name in names:
        words = name.split()
        for cut in range(1, len(words)):
            first, last = " ".join(words[:cut]), " ".join(words[cut:])
            narrowed |= Q(first_name__iexact=first, last_name__iexact=last)
            narrowed |= Q(first_name__iexact=last, last_name__iexact=first)
    return narrowed


def subsidy_line_for(cpas, month: date, beneficiary_id: int) -> SubsidyLine | None:
    """The month's line of one person (or of the couple they belong to), None when they have no RI that month. Reads
    the person and the files that may be their partner only, not the whole CPAS."""
    start, end = month_bounds(month)
    files = _claim_files(cpas, start, end, only=_possible_partners(cpas, beneficiary_id))
    coverage = year_coverage(cpas, start.year) if bonus_malus_enabled() and start.year >= 2028 else None
    lines = _lines(files, start, end, coverage)
    return next((line for line in lines if beneficiary_id in line.beneficiary_ids), None)


@dataclass(frozen=True)
class ClaimTotals:
    claimed: int
    claimed_amount: Decimal
    recoverable: int
    not_due: int


def claim_totals(lines: Sequence[SubsidyLine]) -> ClaimTotals:
    claimed = [line for line in lines if line.status == CLAIMED]
    return ClaimTotals(
        claimed=len(claimed),
        claimed_amount=sum((line.amount for line in claimed), Decimal("0.00")),
        recoverable=sum(1 for line in lines if line.status == RECOVERABLE),
        not_due=sum(1 for line in lines if line.status == NOT_DUE),
    )


# --- coverage (R71) ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """The share of people with an RI in a period who had a PIIS in force in it (DESIGN, see the module)."""

    start: date
    end: date
    with_ri: int
    with_piis: int

    @property
    def rate(self) -> Decimal | None:
        if not self.with_ri:
            return None
        return (Decimal(self.with_piis) / Decimal(self.with_ri)).quantize(Decimal("0.0001"))

    @property
    def percent(self) -> Decimal | None:
        rate = self.rate
        return None if rate is None else (rate * 100).quantize(Decimal("0.1"))


def _coverage_rows(cpas, start: date, end: date):
    overlapping = Q(start_on__lte=end) & (Q(end_on__isnull=True) | Q(end_on__gte=start))
    decisions = (
        RiDecision.objects.for_cpas(cpas).filter(overlapping).values_list("beneficiary_id", "start_on", "end_on")
    )
    contracts = (
        Contract.objects.for_cpas(cpas)
        .filter(status__in=CONCLUDED_STATUSES, signed_on__isnull=False, signed_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .values_list("beneficiary_id", "signed_on", "ended_on")
    )
    return list(decisions), list(contracts)


def _coverage_of(decisions, contracts, start: date, end: date) -> Coverage:
    with_ri = {b for b, s, e in decisions if s <= end and (e is None or e >= start)}
    with_piis = {b for b, s, e in contracts if b in with_ri and s <= end and (e is None or e >= start)}
    return Coverage(start, end, len(with_ri), len(with_piis))


def monthly_coverage(cpas, year: int, *, until: date | None = None) -> list[Coverage]:
    """The coverage rate month by month for `year` (up to the month of `until`), from two queries."""
    decisions, contracts = _coverage_rows(cpas, date(year, 1, 1), date(year, 12, 31))
    months = []
    for number in range(1, 13):
        start, end = month_bounds(date(year, number, 1))
        if until is not None and start > until:
            break
        months.append(_coverage_of(decisions, contracts, start, end))
    return months


def year_coverage(cpas, year: int) -> Decimal:
    """R71: the calendar year's coverage ratio, as the rules core's bonus-malus takes it (0 when nobody had RI)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    decisions, contracts = _coverage_rows(cpas, start, end)
    return _coverage_of(decisions, contracts, start, end).rate or Decimal(0)


@dataclass(frozen=True)
class BonusMalus:
    enabled: bool
    year: int
    coverage: Decimal
    rate: Decimal | None

    @property
    def coverage_percent(self) -> Decimal:
        return (self.coverage * 100).quantize(Decimal("0.1"))

    @property
    def rate_percent(self) -> Decimal | None:
        return None if self.rate is None else (self.rate * 100).quantize(Decimal("0.1"))


def bonus_malus_for(cpas, year: int) -> BonusMalus:
    """R71 (pending, behind its flag): the year's PIIS subsidy rate from its coverage; `rate` None before the
    reform's date or with the flag off."""
    return bonus_malus_of(year, year_coverage(cpas, year))


def bonus_malus_of(year: int, coverage: Decimal) -> BonusMalus:
    """bonus_malus_for from the year's coverage already computed (the stored claim keeps it)."""
    enabled = bonus_malus_enabled()
    rate = None
    if enabled and year >= 2028:
        rate = bonus_malus_rate(coverage, on=date(year, 1, 1))
    return BonusMalus(enabled, year, coverage, rate)


# --- evidence for inspection (R74) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """R74: what an inspector checks behind a claimed line, for each person of the line."""

    beneficiary: Beneficiary
    assessments: list[NeedsAssessment]
    contracts: list[Contract]
    evaluations: list[Evaluation]

    @property
    def complete(self) -> bool:
        return bool(self.assessments and self.contracts)


def evidence_for(cpas, line: SubsidyLine) -> list[Evidence]:
    """The needs assessments, the concluded PIIS (with their versions) and the evaluations of the line's people."""
    people = (
        Beneficiary.objects.for_cpas(cpas)
        .filter(pk__in=line.beneficiary_ids)
        .prefetch_related(
            Prefetch("assessments", queryset=NeedsAssessment.objects.for_cpas(cpas).order_by("assessed_on")),
            Prefetch(
                "contracts",
                queryset=Contract.objects.for_cpas(cpas)
                .filter(status__in=CONCLUDED_STATUSES)
                .prefetch_related("versions", "evaluations")
                .order_by("signed_on"),
            ),
        )
        .order_by("pk")
    )
    result = []
    for person in people:
        contracts = list(person.contracts.all())
        evaluations = sorted((e for c in contracts for e in c.evaluations.all()), key=lambda e: e.held_on)
        result.append(Evidence(person, list(person.assessments.all()), contracts, evaluations))
    return result
