"""The deadlines of one file, computed in Python from its rows by the rules core's adapters (one function,
file_items), and the words of an agenda line (deadline_label, in the active language).

piis.followup.deadlines stores what file_items finds in the deadline table (Deadline), which the agenda, the home
page, the team load and the reminders read; computed_agenda is the same computation over a whole caseload, kept as
the reference the table is tested against. See README.md beside this file.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from piis.accounts.models import ClosureDay
from piis.cases.facts import obligation_changes_after
from piis.cases.models import Beneficiary
from piis.contracts.enums import OPEN_COMMITMENT_STATUSES, ContractStatus, Party
from piis.contracts.models import AmendmentRequest, Clause, Contract, ContractVersion, Objective, Step
from piis.contracts.obligation import obligation_for_file
from piis.contracts.reflection import reflection_dates
from piis.core.texts import KeptLabels, gettext
from piis.followup.compliance import (
    STATUS_LABELS,
    compliance_changes_on,
    contract_compliance,
    current_year,
    missing_text,
)
from piis.followup.enums import MeetingStatus, Progress
from piis.followup.models import Evaluation, MeetingRequest, ObjectiveProgress
from piis.rules import late_from

# --- the caseload agenda ----------------------------------------------------------------------------------------


class Kind:
    CONCLUSION = "conclusion"
    REFLECTION = "reflection"
    EVALUATION = "evaluation"
    MEETING = "meeting"
    EXEMPTION_REVIEW = "exemption_review"
    OBJECTIVE_DUE = "objective_due"
    STEP_DUE = "step_due"
    COMMITMENT_DUE = "commitment_due"
    CONTRACT_END = "contract_end"
    AMENDMENT_REQUEST = "amendment_request"


KIND_LABELS = {
    Kind.CONCLUSION: _("PIIS to conclude"),
    Kind.REFLECTION: _("Reflection period ends"),
    Kind.EVALUATION: _("Evaluations due"),
    Kind.MEETING: _("Meeting requested"),
    Kind.EXEMPTION_REVIEW: _("Exemption to review"),
    Kind.OBJECTIVE_DUE: _("Objective due"),
    Kind.STEP_DUE: _("Step due"),
    Kind.COMMITMENT_DUE: _("Commitment due"),
    Kind.CONTRACT_END: _("Planned end of the PIIS"),
    Kind.AMENDMENT_REQUEST: _("Amendment asked for by the person"),
}
KINDS = tuple(KIND_LABELS)


class FileRef:
    """A file as an agenda line names it, read with the line (the deadline table's values) rather than as a Beneficiary
    instance: its key and the person's name; str() is Beneficiary's. Equal to another by its key, as a model is."""

    __slots__ = ("pk", "cpas_id", "first_name", "last_name")

    def __init__(self, pk: int, cpas_id: int, first_name: str, last_name: str):
        self.pk, self.cpas_id, self.first_name, self.last_name = pk, cpas_id, first_name, last_name

    @property
    def id(self) -> int:
        return self.pk

    __str__ = Beneficiary.__str__

    def __eq__(self, other) -> bool:
        return isinstance(other, (FileRef, Beneficiary)) and other.pk == self.pk

    def __hash__(self) -> int:
        return hash(self.pk)


class ContractRef:
    """The PIIS of an agenda line by its key alone (the agenda links to it)."""

    __slots__ = ("pk",)

    def __init__(self, pk: int):
        self.pk = pk

    @property
    def id(self) -> int:
        return self.pk

    def __eq__(self, other) -> bool:
        return isinstance(other, (ContractRef, Contract)) and other.pk == self.pk

    def __hash__(self) -> int:
        return hash(self.pk)


@dataclass(frozen=True)
class AgendaItem:
    """One deadline over a worker's files. `workers` are the users whose agenda shows it; `url` is the page where
    the worker acts on it; `label` says what to do, `detail` what it is about (an objective's title, a commitment's
    text: shown on the agenda page, never put in a calendar feed or an e-mail)."""

    kind: str
    due_on: date
    beneficiary: Beneficiary | FileRef
    contract: Contract | ContractRef | None
    label: str
    overdue: bool
    object_id: int
    at_risk: bool = False
    workers: frozenset = field(default=frozenset(), compare=False)
    url: str = field(default="", compare=False)
    detail: str = field(default="", compare=False)
    # What the label is worded from (deadline_label): stored in the deadline table, worded when read.
    params: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def kind_label(self) -> str:
        return KIND_TEXTS[self.kind]

    @property
    def key(self) -> str:
        """Stable identity of this deadline (reminders are sent once per key)."""
        return f"{self.kind}:{self.object_id}:{self.due_on.isoformat()}"

    @property
    def file_label(self) -> str:
        """The file without the person's full name (calendar feeds, e-mails): number and initials."""
        b = self.beneficiary
        return _("File %(number)s (%(initials)s)") % {
            "number": b.pk,
            "initials": f"{b.first_name[:1]}. {b.last_name[:1]}.",
        }

    def days_left(self, today: date) -> int:
        return (self.due_on - today).days

    @property
    def opens_signing(self) -> bool:
        """The end of a reflection period (R39) is not a deadline the worker can miss: from that day the person may
        sign. Never overdue; once reached, the agenda says "signing possible since", not "days overdue"."""
        return self.kind == Kind.REFLECTION


_ONE_DAY = timedelta(days=1)


class Bound:
    """The first day after `today` on which a file's items may change with time alone (`day`; None: never), as
    file_items finds it: each place where an item reads `today` says from which day its answer may differ.
    Conservative: a day given may change nothing, but nothing changes before it."""

    def __init__(self, today: date):
        self.today = today
        self.day: date | None = None

    def at(self, day: date | None) -> None:
        """The answer may change on `day` (ignored unless after today)."""
        if day is not None and day > self.today and (self.day is None or day < self.day):
            self.day = day

    def overdue_after(self, due_on: date) -> None:
        """An item is overdue once today is after its date (`due_on < today`): it changes the day after."""
        self.at(due_on + _ONE_DAY)


def _sort_key(item: AgendaItem):
    return (not item.overdue, item.due_on, item.kind, item.object_id)


# What the agenda reads of a contract (the obligation, the reflection period, the evaluation years, the planned end).
AGENDA_CONTRACT_FIELDS = (
    "id",
    "cpas_id",
    "beneficiary_id",
    "status",
    "signed_on",
    "ended_on",
    "end_on",
    "social_worker_id",
)
# An objective is no longer expected once its latest progress says so (Progress, recorded at an evaluation).
CLOSED_PROGRESS = frozenset({Progress.REACHED, Progress.ABANDONED})
LIFECYCLE_ANCHOR = "#lifecycle-title"  # the contract page's section with the hand-over, signatures, amendment, end
AGENDA_DETAIL_LENGTH = 120  # how much of a commitment's text the agenda repeats
COMMITMENT_DUE_LABELS = {
    Party.BENEFICIARY: _("Commitment of the person due: record whether it was delivered"),
    Party.CPAS: _("Commitment of the CPAS due: record whether it was delivered"),
    Party.THIRD_PARTY: _("Commitment of a third party due: record whether it was delivered"),
}


def _files_queryset(*, cpas, user):
    """The files whose deadlines an agenda shows, with everything the deadlines need, in one query per relation."""
    qs = Beneficiary.objects.for_cpas(cpas)
    # Subqueries on the contracts, not a join: no DISTINCT, and each side reads its own index (led by cpas_id) instead
    # of a scan of every file and contract of the CPAS (issue 15: 1.3 s → a few ms for a worker of a CPAS of 90,000).
    contracts = Contract.objects.for_cpas(cpas)
    if user is None:
        # A file whose contracts have all ended and that has no social worker has nobody to show a deadline to.
        open_contracts = contracts.exclude(status=ContractStatus.ENDED).values("beneficiary_id")
        qs = qs.filter(Q(social_worker__isnull=False) | Q(pk__in=open_contracts))
    else:
        # A contract that has ended no longer makes its worker responsible for the file.
        theirs = contracts.filter(social_worker=user).exclude(status=ContractStatus.ENDED).values("beneficiary_id")
        own = Beneficiary.objects.for_cpas(cpas).filter(social_worker=user).values("pk")
        qs = qs.filter(pk__in=own.order_by().union(theirs.order_by()))
    return with_deadline_relations(qs)


def with_deadline_relations(qs):
    """Files with everything their deadlines need (file_items), in one query per relation."""
    return qs.prefetch_related(
        "ri_decisions",
        "income_periods",
        "exemptions",
        Prefetch(
            "contracts",
            queryset=Contract.objects.only(*AGENDA_CONTRACT_FIELDS).prefetch_related(
                Prefetch("evaluations", queryset=Evaluation.objects.only("id", "contract_id", "held_on", "mode")),
                Prefetch(
                    "versions", queryset=ContractVersion.objects.only("id", "contract_id", "number", "handed_over_on")
                ),
                # What the person asked to change, on their portal, not yet answered.
                Prefetch(
                    "amendment_requests",
                    queryset=AmendmentRequest.objects.filter(answered_on__isnull=True).only(
                        "id", "contract_id", "text", "requested_on", "answered_on"
                    ),
                ),
                # Due dates of a PIIS in force: objectives (with their progress), dated steps, commitments expected.
                Prefetch(
                    "objectives",
                    queryset=Objective.objects.filter(contract__status=ContractStatus.IN_FORCE)
                    .only("id", "contract_id", "title", "due_on")
                    .prefetch_related(
                        Prefetch(
                            "steps",
                            queryset=Step.objects.filter(due_on__isnull=False).only(
                                "id", "objective_id", "description", "due_on"
                            ),
                        ),
                        Prefetch(
                            "progress",
                            queryset=ObjectiveProgress.objects.select_related("evaluation").only(
                                "id", "objective_id", "progress", "evaluation__id", "evaluation__held_on"
                            ),
                        ),
                    ),
                ),
                Prefetch(
                    "clauses",
                    queryset=Clause.objects.filter(
                        contract__status=ContractStatus.IN_FORCE,
                        due_on__isnull=False,
                        delivery_status__in=OPEN_COMMITMENT_STATUSES,
                    ).only("id", "contract_id", "text", "due_on", "party", "third_party_id", "delivery_status"),
                ),
            ),
        ),
        Prefetch("meeting_requests", queryset=MeetingRequest.objects.filter(status=MeetingStatus.OPEN)),
    )


def _workers(beneficiary, contract=None) -> frozenset:
    if contract is not None:
        return frozenset(w for w in (contract.social_worker_id, beneficiary.social_worker_id) if w)
    ids = {beneficiary.social_worker_id} | {
        c.social_worker_id for c in beneficiary.contracts.all() if c.status != ContractStatus.ENDED
    }
    return frozenset(w for w in ids if w)


def _conclusion_item(beneficiary, *, today, closures, bound: Bound) -> AgendaItem | None:
    contracts = list(beneficiary.contracts.all())
    obligation = obligation_for_file(beneficiary=beneficiary, today=today, contracts=contracts, closures=closures)
    decision = obligation.ri_decision
    if decision is not None and obligation.obligation is not None:
        # The day the obligation itself may change (an exemption starting or ending), and lateness (R15).
        bound.at(obligation_changes_after(beneficiary, today=today, ri_decision=decision))
        if obligation.required and obligation.deadline and obligation.concluded_on is None:
            bound.at(late_from(obligation.deadline))
    if decision is None or not obligation.required or obligation.concluded_on is not None or not obligation.deadline:
        return None
    # Where the worker acts: the PIIS being negotiated, else a new one.
    open_contract = next((c for c in contracts if c.status != ContractStatus.ENDED), None)
    if open_contract is not None:
        url = reverse("contracts:detail", args=[open_contract.pk])
    else:
        url = reverse("contracts:create", args=[beneficiary.pk])
    return AgendaItem(
        url=url,
        kind=Kind.CONCLUSION,
        due_on=obligation.deadline,
        beneficiary=beneficiary,
        contract=None,
        label=deadline_label(Kind.CONCLUSION, {}),
        overdue=obligation.late,
        object_id=decision.pk,
        workers=_workers(beneficiary),
    )


def _contract_items(beneficiary, contract, *, today, bound: Bound) -> list[AgendaItem]:
    items = []
    if contract.status == ContractStatus.HANDED_OVER:
        version = max(contract.versions.all(), key=lambda v: v.number, default=None)
        if version is not None:
            items.append(
                AgendaItem(
                    url=reverse("contracts:detail", args=[contract.pk]) + LIFECYCLE_ANCHOR,
                    kind=Kind.REFLECTION,
                    due_on=reflection_dates(version.handed_over_on).signature_from,
                    beneficiary=beneficiary,
                    contract=contract,
                    label=deadline_label(Kind.REFLECTION, {}),
                    overdue=False,
                    object_id=version.pk,
                    workers=_workers(beneficiary, contract),
                )
            )
    elif contract.status == ContractStatus.IN_FORCE:
        evaluations = contract.evaluations.all()
        year = current_year(contract_compliance(contract=contract, evaluations=evaluations, today=today))
        bound.at(compliance_changes_on(contract=contract, evaluations=evaluations, today=today))
        if year is not None and year.status != "compliant":
            params = {
                "status": year.status,
                "missing": year.year.missing,
                "missing_in_person": year.year.missing_in_person,
            }
            items.append(
                AgendaItem(
                    url=reverse("followup:evaluation_add", args=[contract.pk]),
                    kind=Kind.EVALUATION,
                    due_on=year.year.end,
                    beneficiary=beneficiary,
                    contract=contract,
                    label=deadline_label(Kind.EVALUATION, params),
                    params=params,
                    overdue=year.year.end < today,
                    object_id=contract.pk,
                    at_risk=year.status == "at_risk",
                    workers=_workers(beneficiary, contract),
                )
            )
        items.extend(_due_date_items(beneficiary, contract, today=today, bound=bound))
        items.extend(_amendment_request_items(beneficiary, contract))
    return items


AMENDMENT_REQUESTS_ANCHOR = "#amendment-requests"  # the contract page's list of the person's requests


def _amendment_request_items(beneficiary, contract) -> list[AgendaItem]:
    """The person asked, on their portal, for a change to their PIIS in force: on the agenda from the day they
    asked until the worker marks it answered (the law sets no deadline: never overdue)."""
    return [
        AgendaItem(
            kind=Kind.AMENDMENT_REQUEST,
            due_on=request.requested_on,
            beneficiary=beneficiary,
            contract=contract,
            label=deadline_label(Kind.AMENDMENT_REQUEST, {}),
            overdue=False,
            object_id=request.pk,
            workers=_workers(beneficiary, contract),
            url=reverse("contracts:detail", args=[contract.pk]) + AMENDMENT_REQUESTS_ANCHOR,
            detail=request.text[:AGENDA_DETAIL_LENGTH],
        )
        for request in contract.amendment_requests.all()
    ]


def _objective_closed(objective) -> bool:
    """Reached or abandoned by agreement at its latest evaluation."""
    latest = max(objective.progress.all(), key=lambda p: (p.evaluation.held_on, p.evaluation.id), default=None)
    return latest is not None and latest.progress in CLOSED_PROGRESS


def _due_date_items(beneficiary, contract, *, today, bound: Bound) -> list[AgendaItem]:
    """The dates a PIIS in force sets itself: its planned end, its objectives and their dated steps (until the
    objective is reached or abandoned at an evaluation), its commitments with a due date not yet done or not done."""
    workers = _workers(beneficiary, contract)
    detail_url = reverse("contracts:detail", args=[contract.pk])
    evaluation_url = reverse("followup:evaluation_add", args=[contract.pk])

    def dated(kind, due_on, object_id, url, detail="", params=None) -> AgendaItem:
        bound.overdue_after(due_on)
        return AgendaItem(
            kind=kind,
            due_on=due_on,
            beneficiary=beneficiary,
            contract=contract,
            label=deadline_label(kind, params or {}),
            params=params or {},
            overdue=due_on < today,
            object_id=object_id,
            workers=workers,
            url=url,
            detail=detail,
        )

    items = []
    if contract.end_on is not None:
        items.append(dated(Kind.CONTRACT_END, contract.end_on, contract.pk, detail_url + LIFECYCLE_ANCHOR))
    for objective in contract.objectives.all():
        if _objective_closed(objective):
            continue
        items.append(dated(Kind.OBJECTIVE_DUE, objective.due_on, objective.pk, evaluation_url, objective.title))
        items.extend(
            dated(Kind.STEP_DUE, step.due_on, step.pk, evaluation_url, step.description)
            for step in objective.steps.all()
        )
    items.extend(
        dated(
            Kind.COMMITMENT_DUE,
            clause.due_on,
            clause.pk,
            f"{detail_url}#clause-{clause.pk}",
            clause.text[:AGENDA_DETAIL_LENGTH],
            {"party": clause.party},
        )
        for clause in contract.clauses.all()
    )
    return items


def _exemption_items(beneficiary, *, today, bound: Bound) -> list[AgendaItem]:
    """R12 / A2: the review date of each exemption still running (not lifted, not over, not ending before it)."""
    items = []
    for exemption in beneficiary.exemptions.all():
        if exemption.lifted_on is not None:
            continue
        if exemption.end_on is not None and exemption.review_on <= exemption.end_on:
            bound.overdue_after(exemption.end_on)  # over (off the agenda) the day after its end
        if exemption.end_on is not None and (exemption.end_on < today or exemption.review_on > exemption.end_on):
            continue
        bound.overdue_after(exemption.review_on)
        params = {"decided_on": exemption.decided_on.isoformat()}
        items.append(
            AgendaItem(
                kind=Kind.EXEMPTION_REVIEW,
                due_on=exemption.review_on,
                beneficiary=beneficiary,
                contract=None,
                label=deadline_label(Kind.EXEMPTION_REVIEW, params),
                params=params,
                overdue=exemption.review_on < today,
                object_id=exemption.pk,
                url=reverse("cases:record_edit", args=[beneficiary.pk, "exemption", exemption.pk]),
                workers=_workers(beneficiary),
            )
        )
    return items


def _meeting_items(beneficiary, *, today, bound: Bound) -> list[AgendaItem]:
    items = []
    for request in beneficiary.meeting_requests.all():
        bound.overdue_after(request.deadline)
        params = {"portal": request.from_portal, "subject": request.subject}
        items.append(_meeting_item(beneficiary, request, params, today=today))
    return items


def _meeting_item(beneficiary, request, params, *, today) -> AgendaItem:
    return AgendaItem(
        url=reverse("followup:meeting_held", args=[request.pk]),
        kind=Kind.MEETING,
        due_on=request.deadline,
        beneficiary=beneficiary,
        contract=None,
        label=deadline_label(Kind.MEETING, params),
        params=params,
        overdue=request.deadline < today,
        object_id=request.pk,
        workers=_workers(beneficiary),
    )


# The words of an agenda line, by kind: worded when read (deadline_label), from the kind and the params stored.
FIXED_LABELS = {
    Kind.CONCLUSION: _("Conclude the PIIS (obligatory) by this date"),
    Kind.REFLECTION: _("Reflection period over: the contract may be signed from this date"),
    Kind.AMENDMENT_REQUEST: _("The person asks for an amendment: answer them"),
    Kind.CONTRACT_END: _("Planned end of the PIIS: end it, or extend it by an amendment"),
    Kind.OBJECTIVE_DUE: _("Objective due: record at an evaluation whether it is reached"),
    Kind.STEP_DUE: _("Step of an objective due by this date"),
}
# The labels as the active language's strings, made once per language (core.texts: a row asks for two of them).
KIND_TEXTS = KeptLabels(KIND_LABELS)
FIXED_TEXTS = KeptLabels(FIXED_LABELS)
COMMITMENT_DUE_TEXTS = KeptLabels(COMMITMENT_DUE_LABELS)
STATUS_TEXTS = KeptLabels(STATUS_LABELS)


def deadline_label(kind: str, params: dict) -> str:
    """What to do about a deadline, in the active language, from its kind and the params file_items stored."""
    if kind in FIXED_LABELS:
        return FIXED_TEXTS[kind]
    if kind == Kind.EVALUATION:
        status = STATUS_TEXTS.get(params["status"], params["status"])
        return f"{status} — {missing_text(params['missing'], params['missing_in_person'])}"
    if kind == Kind.COMMITMENT_DUE:
        return COMMITMENT_DUE_TEXTS[params["party"]]
    if kind == Kind.EXEMPTION_REVIEW:
        decided = date_format(date.fromisoformat(params["decided_on"]), "SHORT_DATE_FORMAT")
        return gettext("Review the exemption from the PIIS decided on %(date)s") % {"date": decided}
    if kind == Kind.MEETING:
        if params.get("portal"):
            label = gettext("Hold the meeting the person asked for on their portal")
        else:
            label = gettext("Hold the meeting the person asked for")
        return label + (f" — {params['subject']}" if params.get("subject") else "")
    raise ValueError(f"unknown deadline kind {kind!r}")


def file_items(beneficiary, *, today: date, closures, bound: Bound | None = None) -> list[AgendaItem]:
    """Every deadline of one file on `today` (unsorted), each naming the workers whose agenda shows it. The file
    comes with the relations of with_deadline_relations; `closures` are its CPAS's closure days.

    `bound`, when given, learns the first day after `today` on which the answer may change with time alone (an item
    turning overdue or at risk, a contract year starting, an exemption starting or ending, …): for any day before
    it, file_items gives the same items as for `today` (file_deadlines; the deadline table's `valid_until`)."""
    bound = bound if bound is not None else Bound(today)
    items: list[AgendaItem] = []
    conclusion = _conclusion_item(beneficiary, today=today, closures=closures, bound=bound)
    if conclusion is not None:
        items.append(conclusion)
    for contract in beneficiary.contracts.all():
        items.extend(_contract_items(beneficiary, contract, today=today, bound=bound))
    items.extend(_meeting_items(beneficiary, today=today, bound=bound))
    items.extend(_exemption_items(beneficiary, today=today, bound=bound))
    return items


def file_deadlines(beneficiary, *, today: date, closures) -> tuple[list[AgendaItem], date | None]:
    """file_items on `today`, and the first day on which they may change with time alone (None: never)."""
    bound = Bound(today)
    items = file_items(beneficiary, today=today, closures=closures, bound=bound)
    return items, bound.day


def computed_agenda(*, cpas, user, today) -> list[AgendaItem]:
    """The agenda of `user` (every file of the CPAS with a worker when None) computed file by file, without the
    table: the reference that the deadline table must equal (tests), and what the table stores per file."""
    closures = list(ClosureDay.objects.for_cpas(cpas).values_list("day", flat=True))
    items = [
        item
        for beneficiary in _files_queryset(cpas=cpas, user=user)
        for item in file_items(beneficiary, today=today, closures=closures)
        if user is None or user.pk in item.workers
    ]
    return sorted(items, key=_sort_key)
