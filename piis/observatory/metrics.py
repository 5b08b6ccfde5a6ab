"""The observatory's figures, computed from the data with a fixed number of aggregate queries.

`load(cpas, …)` reads what the figures need in eight queries whatever the number of files (one row per contract,
per commitment with a due date, per sanction dossier and decision; clause text for the similarity); `tally` then
sorts every contract and event into cells (the whole scope, each worker, each team; each period) in one pass, and
`FIGURES` turns a cell into values. The definitions are in docs/observatory.md; a cell whose base counts fewer than
`MIN_PEOPLE` distinct people is suppressed (shown as "fewer than 5", never as a number).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Sum, When
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from piis.cases.enums import AssessmentItemKind
from piis.cases.models import AssessmentItem
from piis.contracts.enums import CommitmentStatus, ContractStatus, Party, Position, VersionKind
from piis.contracts.models import Clause, Contract, ContractVersion, Objective, Signature
from piis.contracts.reflection import reflection_given
from piis.followup.enums import Delivery
from piis.followup.models import CommitmentReview
from piis.observatory import similarity
from piis.observatory.periods import Period
from piis.rules import SENSITIVE_CLAUSE_KINDS
from piis.sanctions.enums import SUSPENSION_OUTCOMES, DecisionOutcome, Deferral
from piis.sanctions.models import Decision, SanctionDossier

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Any group of fewer people than this is suppressed (shown as "fewer than 5").
MIN_PEOPLE = 5
# The person's own needs: an objective answers them when it cites one of these items of the needs assessment.
OWN_NEED_KINDS = (AssessmentItemKind.ASPIRATION, AssessmentItemKind.NEED)


@dataclass
class ContractFacts:
    id: int
    person: int
    worker: int
    team: int | None
    signed_on: date
    ended_on: date | None
    clauses: int = 0
    chars: int = 0
    template_chars: int = 0
    by_person: int = 0
    contested: int = 0
    intimate: int = 0
    objectives: int = 0
    tied: int = 0
    rounds: int = 0
    reflection_days: int | None = None
    assisted: bool | None = None
    alike: bool = False


@dataclass(frozen=True)
class Commitment:
    contract: int
    by_person: bool  # the person's own commitment; otherwise the CPAS's or a third party's
    due_on: date
    on_time: bool


@dataclass(frozen=True)
class Event:
    contract: int
    on: date
    flag: bool = False  # for a decision: partial suspension or deferred


@dataclass
class Data:
    contracts: dict[int, ContractFacts]
    commitments: list[Commitment]
    dossiers: list[Event]
    decisions: list[Event]
    legal_reflection_days: int | None = None


def _through(prefix: str, condition: Q) -> Q:
    """`condition` on `contract__…` read through a relation: `<prefix>__contract__…`."""
    children: list = [
        _through(prefix, child) if isinstance(child, Q) else (f"{prefix}__{child[0]}", child[1])  # type: ignore[index]
        for child in condition.children
    ]
    return Q(*children, _connector=condition.connector, _negated=condition.negated)


def load(cpas, *, start: date, end: date, today: date) -> Data:
    """Everything the figures of `start`…`end` need for one CPAS, in eight queries.

    Contracts are the PIIS concluded (signed) on or before `end` and not ended before `start`: the ones concluded in
    the window carry the content figures, all of them count as "in force" for the sanction rate. The similarity of a
    contract is measured against every concluded contract of the CPAS (not only those of the viewer's teams).
    """
    contracts: dict[int, ContractFacts] = {}
    rows = (
        Contract.objects.for_cpas(cpas)
        .filter(signed_on__isnull=False, signed_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .values_list("id", "beneficiary_id", "social_worker_id", "beneficiary__team_id", "signed_on", "ended_on")
    )
    for pk, person, worker, team, signed_on, ended_on in rows:
        contracts[pk] = ContractFacts(pk, person, worker, team, signed_on, ended_on)
    # The queries below select "these contracts" with the same conditions through the relation, not with a list of
    # tens of thousands of ids (Django and psycopg spent seconds quoting each id, for each of six queries).
    loaded = Q(contract__signed_on__isnull=False, contract__signed_on__lte=end) & (
        Q(contract__ended_on__isnull=True) | Q(contract__ended_on__gte=start)
    )
    in_window = loaded & Q(contract__signed_on__gte=start)

    unmodified = Q(template__isnull=False) & ~Q(template_text="") & Q(text=F("template_text"))
    clause_rows = (
        Clause.objects.for_cpas(cpas)
        .filter(in_window)
        .values("contract_id")
        .annotate(
            n=Count("id"),
            chars=Sum(Length("text")),
            template_chars=Sum(Case(When(unmodified, then=Length("text")), default=0, output_field=IntegerField())),
            by_person=Count("id", filter=Q(proposed_by=Party.BENEFICIARY)),
            contested=Count("id", filter=Q(position=Position.CONTESTED)),
            intimate=Count("id", filter=Q(kind__in=SENSITIVE_CLAUSE_KINDS)),
        )
    )
    for row in clause_rows:
        facts = contracts[row["contract_id"]]
        facts.clauses, facts.chars, facts.template_chars = row["n"], row["chars"] or 0, row["template_chars"] or 0
        facts.by_person, facts.contested, facts.intimate = row["by_person"], row["contested"], row["intimate"]

    own_need = AssessmentItem.objects.filter(
        objectives=OuterRef("pk"), kind__in=OWN_NEED_KINDS, assessment=OuterRef("contract__assessment_id")
    )
    for contract_id, tied in (
        Objective.objects.for_cpas(cpas)
        .filter(in_window)
        .annotate(tied=Exists(own_need))
        .values_list("contract_id", "tied")
    ):
        contracts[contract_id].objectives += 1
        contracts[contract_id].tied += int(tied)

    # Draft rounds: the initial versions handed over (each withdrawal back to drafting makes a new one); the one
    # concluded says whether the person was assisted, and its hand-over date starts the reflection period.
    concluded: dict[int, tuple[int, date]] = {}
    for contract_id, version_id, handed_over_on, concluded_on, assistance in (
        ContractVersion.objects.for_cpas(cpas)
        .filter(in_window, kind=VersionKind.INITIAL)
        .values_list("contract_id", "id", "handed_over_on", "concluded_on", "assistance")
    ):
        facts = contracts[contract_id]
        facts.rounds += 1
        if concluded_on is not None:
            concluded[version_id] = (contract_id, handed_over_on)
            facts.assisted = assistance == "assisted"
    for version_id, signed_on in (
        Signature.objects.for_cpas(cpas)
        .filter(
            _through("version", in_window),
            version__kind=VersionKind.INITIAL,
            version__concluded_on__isnull=False,
            party=Party.BENEFICIARY,
        )
        .values_list("version_id", "signed_on")
    ):
        if version_id not in concluded:
            continue
        contract_id, handed_over_on = concluded[version_id]
        contracts[contract_id].reflection_days = reflection_given(handed_over_on, signed_on).days_given

    signatures: dict[int, tuple[int, ...] | None] = {}
    texts: dict[int, list[str]] = defaultdict(list)
    for contract_id, text in (
        Clause.objects.for_cpas(cpas)
        .filter(contract__signed_on__isnull=False)
        .order_by()
        .values_list("contract_id", "text")
    ):
        texts[contract_id].append(text)
    # Both caches live for this computation only (they hold clause text).
    text_cache: dict[str, frozenset[str]] = {}
    hash_cache: dict[str, int] = {}
    for contract_id, clause_texts in texts.items():
        signatures[contract_id] = similarity.signature(similarity.shingles(clause_texts, cache=text_cache), hash_cache)
    best = similarity.most_alike(signatures)
    for pk, facts in contracts.items():
        if start <= facts.signed_on <= end:
            facts.alike = best.get(pk, 0.0) >= similarity.ALIKE_THRESHOLD

    # Commitments due in the window and already due today: delivered on time when marked done on or before the due
    # date, or reviewed as delivered at an evaluation held on or before it.
    reviewed_in_time = CommitmentReview.objects.filter(
        clause=OuterRef("pk"), delivery=Delivery.DELIVERED, evaluation__held_on__lte=OuterRef("due_on")
    )
    commitments = [
        Commitment(contract_id, party == Party.BENEFICIARY, due_on, bool(on_time) or reviewed)
        for contract_id, party, due_on, on_time, reviewed in (
            Clause.objects.for_cpas(cpas)
            .filter(loaded, due_on__gte=start, due_on__lte=min(end, today))
            .exclude(contract__status=ContractStatus.DRAFT)
            .annotate(
                on_time=Case(
                    When(
                        Q(delivery_status=CommitmentStatus.DONE, delivery_status_on__lte=F("due_on")),
                        then=1,
                    ),
                    default=0,
                    output_field=IntegerField(),
                ),
                reviewed=Exists(reviewed_in_time),
            )
            .order_by()
            .values_list("contract_id", "party", "due_on", "on_time", "reviewed")
        )
    ]
    dossiers = [
        Event(contract_id, opened_on)
        for contract_id, opened_on in SanctionDossier.objects.for_cpas(cpas)
        .filter(loaded, opened_on__gte=start, opened_on__lte=end)
        .values_list("contract_id", "opened_on")
    ]
    decisions = [
        Event(contract_id, decided_on, outcome == DecisionOutcome.PARTIAL_SUSPENSION or deferral != Deferral.NONE)
        for contract_id, decided_on, outcome, deferral in Decision.objects.for_cpas(cpas)
        .filter(
            outcome__in=SUSPENSION_OUTCOMES,
            dossier__isnull=False,
            executes_deferral_of__isnull=True,
            decided_on__gte=start,
            decided_on__lte=end,
        )
        .filter(_through("dossier", loaded))
        .values_list("dossier__contract_id", "decided_on", "outcome", "deferral")
    ]
    return Data(contracts, commitments, dossiers, decisions)


# --- cells ------------------------------------------------------------------------------------------------------


@dataclass
class Cell:
    """Sums over the contracts and events of one group in one period (or the whole window: `merge`)."""

    people: set[int] = field(default_factory=set)  # concluded in the cell
    contracts: int = 0
    clauses: int = 0
    chars: int = 0
    template_chars: int = 0
    alike: int = 0
    objectives: int = 0
    tied: int = 0
    by_person: int = 0
    contested: int = 0
    intimate: int = 0
    rounds: int = 0
    rounds_n: int = 0
    reflection_sum: int = 0
    reflection_n: int = 0
    assisted: int = 0
    assisted_n: int = 0
    commitment_people: set[int] = field(default_factory=set)
    cpas_due: int = 0
    cpas_on_time: int = 0
    person_due: int = 0
    person_on_time: int = 0
    in_force: set[int] = field(default_factory=set)  # contract ids in force during the cell
    in_force_people: set[int] = field(default_factory=set)
    dossiers: int = 0
    decision_people: set[int] = field(default_factory=set)
    decisions: int = 0
    partial_or_deferred: int = 0

    def merge(self, other: Cell) -> None:
        for name, value in vars(other).items():
            mine = getattr(self, name)
            if isinstance(value, set):
                mine |= value
            else:
                setattr(self, name, mine + value)

    def add_contract(self, c: ContractFacts) -> None:
        self.people.add(c.person)
        self.contracts += 1
        self.clauses += c.clauses
        self.chars += c.chars
        self.template_chars += c.template_chars
        self.alike += int(c.alike)
        self.objectives += c.objectives
        self.tied += c.tied
        self.by_person += c.by_person
        self.contested += c.contested
        self.intimate += c.intimate
        if c.rounds:
            self.rounds += c.rounds
            self.rounds_n += 1
        if c.reflection_days is not None:
            self.reflection_sum += c.reflection_days
            self.reflection_n += 1
        if c.assisted is not None:
            self.assisted += int(c.assisted)
            self.assisted_n += 1


GroupKey = tuple[str, int | None]  # ("all", None), ("worker", user id), ("team", team id)
Cells = dict[tuple[GroupKey, int], Cell]  # (group, index of the period) → cell


def _groups(c: ContractFacts) -> tuple[GroupKey, ...]:
    return (("all", None), ("worker", c.worker), ("team", c.team))


def tally(data: Data, periods: list[Period], *, include: Callable[[ContractFacts], bool] = lambda c: True) -> Cells:
    """Every contract and event of `data` in its cells: one per group it belongs to, per period it falls in."""
    cells: Cells = defaultdict(Cell)

    def index_of(day: date) -> int | None:
        for i, period in enumerate(periods):
            if period.contains(day):
                return i
        return None

    for c in data.contracts.values():
        if not include(c):
            continue
        concluded_in = index_of(c.signed_on)
        for i, period in enumerate(periods):
            if not period.overlaps(c.signed_on, c.ended_on):
                continue
            for group in _groups(c):
                cell = cells[(group, i)]
                cell.in_force.add(c.id)
                cell.in_force_people.add(c.person)
                if i == concluded_in:
                    cell.add_contract(c)
    for commitment in data.commitments:
        c = data.contracts[commitment.contract]
        at = index_of(commitment.due_on)
        if at is None or not include(c):
            continue
        for group in _groups(c):
            cell = cells[(group, at)]
            cell.commitment_people.add(c.person)
            if commitment.by_person:
                cell.person_due += 1
                cell.person_on_time += int(commitment.on_time)
            else:
                cell.cpas_due += 1
                cell.cpas_on_time += int(commitment.on_time)
    for dossier in data.dossiers:
        c = data.contracts[dossier.contract]
        at = index_of(dossier.on)
        if at is None or not include(c):
            continue
        for group in _groups(c):
            cells[(group, at)].dossiers += 1
    for decision in data.decisions:
        c = data.contracts[decision.contract]
        at = index_of(decision.on)
        if at is None or not include(c):
            continue
        for group in _groups(c):
            cell = cells[(group, at)]
            cell.decision_people.add(c.person)
            cell.decisions += 1
            cell.partial_or_deferred += int(decision.flag)
    return cells


def window_cells(cells: Cells) -> dict[GroupKey, Cell]:
    """Each group's cells of every period merged: the group over the whole window."""
    merged: dict[GroupKey, Cell] = defaultdict(Cell)
    for (group, _index), cell in cells.items():
        merged[group].merge(cell)
    return merged


# --- figures ----------------------------------------------------------------------------------------------------

ONE_DECIMAL = Decimal("0.1")


def _ratio(numerator: int, denominator: int, scale: int = 100) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * scale / Decimal(denominator)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Value:
    value: Decimal | None  # None: nothing to measure (no base), or suppressed
    people: int  # distinct people in the base
    suppressed: bool

    @property
    def shown(self) -> Decimal | None:
        return None if self.suppressed else self.value


@dataclass(frozen=True)
class Figure:
    key: str
    theme: str
    label: StrOrPromise  # lazy: translated when shown
    unit: str  # "percent", "days", "rounds", "per100"
    compute: Callable[[Cell], tuple[Decimal | None, set[int]]]

    def of(self, cell: Cell | None) -> Value:
        if cell is None:
            return Value(None, 0, False)
        value, people = self.compute(cell)
        count = len(people)
        return Value(value, count, 0 < count < MIN_PEOPLE)


class Theme:
    PERSONALISATION = "personalisation"
    NEGOTIATION = "negotiation"
    ACCOUNTABILITY = "accountability"
    INTRUSIVENESS = "intrusiveness"
    DECOUPLING = "decoupling"


THEMES = {
    Theme.PERSONALISATION: _("Personalisation"),
    Theme.NEGOTIATION: _("Negotiation"),
    Theme.ACCOUNTABILITY: _("Two-sided accountability"),
    Theme.INTRUSIVENESS: _("Intrusiveness"),
    Theme.DECOUPLING: _("Decoupling from sanctions"),
}

UNITS = {
    "percent": _("%"),
    "days": _("days"),
    "rounds": _("rounds"),
    "per100": _("per 100 PIIS"),
}


FIGURES: tuple[Figure, ...] = (
    Figure(
        "template_share",
        Theme.PERSONALISATION,
        _("Unmodified library text"),
        "percent",
        lambda c: (_ratio(c.template_chars, c.chars), c.people),
    ),
    Figure(
        "alike_share",
        Theme.PERSONALISATION,
        _("PIIS alike to another PIIS of the CPAS"),
        "percent",
        lambda c: (_ratio(c.alike, c.contracts), c.people),
    ),
    Figure(
        "objectives_own_needs",
        Theme.PERSONALISATION,
        _("Objectives answering the person's own aspirations or needs"),
        "percent",
        lambda c: (_ratio(c.tied, c.objectives), c.people),
    ),
    Figure(
        "proposed_by_person",
        Theme.NEGOTIATION,
        _("Clauses proposed by the person"),
        "percent",
        lambda c: (_ratio(c.by_person, c.clauses), c.people),
    ),
    Figure(
        "contested",
        Theme.NEGOTIATION,
        _("Clauses contested by the person"),
        "percent",
        lambda c: (_ratio(c.contested, c.clauses), c.people),
    ),
    Figure(
        "assisted",
        Theme.NEGOTIATION,
        _("Signed with an assistant of the person's choice"),
        "percent",
        lambda c: (_ratio(c.assisted, c.assisted_n), c.people),
    ),
    Figure(
        "draft_rounds",
        Theme.NEGOTIATION,
        _("Drafts handed over before signature (mean)"),
        "rounds",
        lambda c: (_ratio(c.rounds, c.rounds_n, scale=1), c.people),
    ),
    Figure(
        "reflection_days",
        Theme.NEGOTIATION,
        _("Days given to reflect before signing (mean)"),
        "days",
        lambda c: (_ratio(c.reflection_sum, c.reflection_n, scale=1), c.people),
    ),
    Figure(
        "cpas_on_time",
        Theme.ACCOUNTABILITY,
        _("CPAS and third-party commitments delivered on time"),
        "percent",
        lambda c: (_ratio(c.cpas_on_time, c.cpas_due), c.commitment_people),
    ),
    Figure(
        "person_on_time",
        Theme.ACCOUNTABILITY,
        _("The person's commitments delivered on time"),
        "percent",
        lambda c: (_ratio(c.person_on_time, c.person_due), c.commitment_people),
    ),
    Figure(
        "intimate",
        Theme.INTRUSIVENESS,
        _("Clauses in intimate life domains"),
        "percent",
        lambda c: (_ratio(c.intimate, c.clauses), c.people),
    ),
    Figure(
        "sanctions_per_100",
        Theme.DECOUPLING,
        _("Sanction procedures opened per 100 PIIS in force"),
        "per100",
        lambda c: (_ratio(c.dossiers, len(c.in_force)), c.in_force_people),
    ),
    Figure(
        "partial_or_deferred",
        Theme.DECOUPLING,
        _("Suspensions partial or deferred"),
        "percent",
        lambda c: (_ratio(c.partial_or_deferred, c.decisions), c.decision_people),
    ),
)
FIGURES_BY_KEY = {f.key: f for f in FIGURES}


def spread(values: Iterable[Decimal | None]) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """Lowest, highest and their difference among the values shown (suppressed ones excluded)."""
    shown = [v for v in values if v is not None]
    if len(shown) < 2:
        return None, None, None
    return min(shown), max(shown), max(shown) - min(shown)
