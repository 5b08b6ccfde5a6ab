"""Reads of the follow-up: evaluation compliance, meeting requests, the caseload agenda of legal deadlines.

Every date comes from the rules core (evaluation_years, meeting_deadline stored on the request, piis_obligation
through contracts.obligation.obligation_for_file, contracts.reflection); this module only gathers the rows and
sorts the answers. See README.md beside this file for the agenda's algorithm and query budget.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from piis.accounts.models import ClosureDay, Membership
from piis.cases.access import require_file_access
from piis.cases.models import Beneficiary
from piis.contracts.enums import OPEN_COMMITMENT_STATUSES, CommitmentStatus, ContractStatus, Party
from piis.contracts.models import AmendmentRequest, Clause, Contract, ContractVersion, Objective, Step
from piis.contracts.obligation import obligation_for_file
from piis.contracts.reflection import reflection_dates
from piis.followup.enums import MeetingStatus, Progress
from piis.followup.models import CalendarFeed, Evaluation, MeetingRequest, ObjectiveProgress
from piis.followup.perms import CASELOAD_ROLES, can_record_followup, can_view_followup
from piis.rules import Evaluation as RulesEvaluation
from piis.rules import EvaluationYear, InvalidInput, evaluation_years

# --- compliance per contract year (R43–R47) ------------------------------------------------------------------

STATUS_LABELS = {
    "compliant": _("Compliant"),
    "in_progress": _("In progress"),
    "at_risk": _("At risk"),
    "non_compliant_count": _("Not compliant: too few evaluations"),
    "non_compliant_in_person": _("Not compliant: too few in person"),
}
RULE_LABELS = {"three_two": _("Evaluations per contract year"), "quarterly": _("Former rule: one per quarter")}
COMPLIANCE_STATUSES = frozenset({ContractStatus.IN_FORCE, ContractStatus.ENDED})


@dataclass(frozen=True)
class YearCompliance:
    """One contract year as the rules core judged it, with what the page says about it."""

    number: int
    year: EvaluationYear
    today: date

    @property
    def status(self) -> str:
        return self.year.status

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.year.status, self.year.status))

    @property
    def rule_label(self) -> str:
        return str(RULE_LABELS.get(self.year.rule, self.year.rule))

    @property
    def is_current(self) -> bool:
        return self.year.start <= self.today <= self.year.end

    @property
    def days_left(self) -> int:
        return (self.year.end - self.today).days

    @property
    def missing_text(self) -> str:
        """What is still missing ("2 more evaluations, 1 of them in person"), empty when nothing is."""
        needed = max(self.year.missing, self.year.missing_in_person)
        if not needed:
            return ""
        if not self.year.missing_in_person:
            return ngettext("%(n)s more evaluation", "%(n)s more evaluations", needed) % {"n": needed}
        if needed == self.year.missing_in_person:
            return ngettext("%(n)s more evaluation in person", "%(n)s more evaluations in person", needed) % {
                "n": needed
            }
        return ngettext(
            "%(n)s more evaluation, %(p)s of them in person", "%(n)s more evaluations, %(p)s of them in person", needed
        ) % {"n": needed, "p": self.year.missing_in_person}


def contract_compliance(*, contract: Contract, evaluations, today: date) -> list[YearCompliance]:
    """R43–R47 — one entry per started contract year of a concluded PIIS (empty before signature).

    `evaluations` are the contract's Evaluation rows (any iterable, so callers pass prefetched ones).
    """
    if contract.status not in COMPLIANCE_STATUSES or contract.signed_on is None:
        return []
    held = [RulesEvaluation(held_on=e.held_on, mode=e.mode) for e in evaluations]
    try:
        years = evaluation_years(
            signed_on=contract.signed_on, evaluations=held, ended_on=contract.ended_on, today=today
        )
    except InvalidInput:
        return []
    return [YearCompliance(number, year, today) for number, year in enumerate(years, start=1)]


def current_year(years: list[YearCompliance]) -> YearCompliance | None:
    """The contract year containing today, else the last one (a PIIS that has ended)."""
    return next((y for y in years if y.is_current), years[-1] if years else None)


def evaluation_list_for_contract(*, contract: Contract) -> list[Evaluation]:
    return list(
        Evaluation.objects.for_cpas(contract.cpas_id)
        .filter(contract=contract)
        .select_related("recorded_by")
        .prefetch_related("third_parties", "progress__objective", "commitments__clause", "person_comments")
    )


def evaluation_get_for_user(*, membership, evaluation_id: int) -> Evaluation:
    """One evaluation inside the membership's CPAS (404 otherwise, or for a role that may not see files)."""
    if not can_view_followup(membership):
        raise Http404
    try:
        evaluation = (
            Evaluation.objects.for_cpas(membership.cpas)
            .select_related("contract__beneficiary", "recorded_by")
            .prefetch_related("third_parties", "progress__objective", "commitments__clause__third_party")
            .get(pk=evaluation_id)
        )
    except Evaluation.DoesNotExist:
        raise Http404 from None
    assert evaluation.cpas_id == membership.cpas_id
    require_file_access(membership, evaluation.contract.beneficiary)
    return evaluation


def reviewable_commitments(contract: Contract) -> list:
    """The CPAS's and third parties' commitments, whose delivery each evaluation reviews."""
    return [c for c in contract.clauses.select_related("third_party") if c.party in (Party.CPAS, Party.THIRD_PARTY)]


def followup_context_for_contract(*, membership, contract, today) -> dict:
    """Template context for followup/_contract_section.html on the contract page."""
    evaluations = evaluation_list_for_contract(contract=contract)
    years = contract_compliance(contract=contract, evaluations=evaluations, today=today)
    return {
        "followup_applies": contract.status in COMPLIANCE_STATUSES and contract.signed_on is not None,
        "followup_years": years,
        "followup_current_year": current_year(years),
        "followup_evaluations": evaluations,
        "followup_can_record": can_record_followup(membership) and contract.status == ContractStatus.IN_FORCE,
        "followup_has_adjustments": any(e.adjustments.strip() for e in evaluations),
        "followup_delivery_choices": CommitmentStatus.choices,
    }


# --- meeting requests (R41) -------------------------------------------------------------------------------------


def meeting_request_get_for_user(*, membership, meeting_request_id: int) -> MeetingRequest:
    if not can_view_followup(membership):
        raise Http404
    try:
        request = (
            MeetingRequest.objects.for_cpas(membership.cpas).select_related("beneficiary").get(pk=meeting_request_id)
        )
    except MeetingRequest.DoesNotExist:
        raise Http404 from None
    assert request.cpas_id == membership.cpas_id
    require_file_access(membership, request.beneficiary)
    return request


@dataclass(frozen=True)
class ContractSummary:
    contract: Contract
    current: YearCompliance | None


def followup_context_for_file(*, membership, beneficiary, today) -> dict:
    """Template context for followup/_file_section.html on the file page: compliance of its concluded PIIS (the
    current contract year) and its meeting requests with the days left."""
    contracts = list(
        Contract.objects.for_cpas(membership.cpas)
        .filter(beneficiary=beneficiary, status__in=COMPLIANCE_STATUSES)
        .prefetch_related(
            Prefetch("evaluations", queryset=Evaluation.objects.only("id", "contract_id", "held_on", "mode"))
        )
        .order_by("-signed_on", "-id")
    )
    summaries = [
        ContractSummary(c, current_year(contract_compliance(contract=c, evaluations=c.evaluations.all(), today=today)))
        for c in contracts
    ]
    requests = list(
        MeetingRequest.objects.for_cpas(membership.cpas)
        .filter(beneficiary=beneficiary)
        .order_by("-requested_on", "-id")
    )
    return {
        "followup_contracts": summaries,
        "followup_open_meetings": [r for r in requests if r.status == MeetingStatus.OPEN],
        "followup_closed_meetings": [r for r in requests if r.status != MeetingStatus.OPEN],
        "followup_can_record": can_record_followup(membership),
        "followup_today": today,
    }


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


@dataclass(frozen=True)
class AgendaItem:
    """One deadline over a worker's files. `workers` are the users whose agenda shows it; `url` is the page where
    the worker acts on it; `label` says what to do, `detail` what it is about (an objective's title, a commitment's
    text: shown on the agenda page, never put in a calendar feed or an e-mail)."""

    kind: str
    due_on: date
    beneficiary: Beneficiary
    contract: Contract | None
    label: str
    overdue: bool
    object_id: int
    at_risk: bool = False
    workers: frozenset = field(default=frozenset(), compare=False)
    url: str = field(default="", compare=False)
    detail: str = field(default="", compare=False)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

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


def _conclusion_item(beneficiary, *, today, closures) -> AgendaItem | None:
    contracts = list(beneficiary.contracts.all())
    obligation = obligation_for_file(beneficiary=beneficiary, today=today, contracts=contracts, closures=closures)
    decision = obligation.ri_decision
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
        label=str(_("Conclude the PIIS (obligatory) by this date")),
        overdue=obligation.late,
        object_id=decision.pk,
        workers=_workers(beneficiary),
    )


def _contract_items(beneficiary, contract, *, today) -> list[AgendaItem]:
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
                    label=str(_("Reflection period over: the contract may be signed from this date")),
                    overdue=False,
                    object_id=version.pk,
                    workers=_workers(beneficiary, contract),
                )
            )
    elif contract.status == ContractStatus.IN_FORCE:
        year = current_year(
            contract_compliance(contract=contract, evaluations=contract.evaluations.all(), today=today)
        )
        if year is not None and year.status != "compliant":
            items.append(
                AgendaItem(
                    url=reverse("followup:evaluation_add", args=[contract.pk]),
                    kind=Kind.EVALUATION,
                    due_on=year.year.end,
                    beneficiary=beneficiary,
                    contract=contract,
                    label=f"{year.status_label} — {year.missing_text}",
                    overdue=year.year.end < today,
                    object_id=contract.pk,
                    at_risk=year.status == "at_risk",
                    workers=_workers(beneficiary, contract),
                )
            )
        items.extend(_due_date_items(beneficiary, contract, today=today))
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
            label=str(_("The person asks for an amendment: answer them")),
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


def _due_date_items(beneficiary, contract, *, today) -> list[AgendaItem]:
    """The dates a PIIS in force sets itself: its planned end, its objectives and their dated steps (until the
    objective is reached or abandoned at an evaluation), its commitments with a due date not yet done or not done."""
    workers = _workers(beneficiary, contract)
    detail_url = reverse("contracts:detail", args=[contract.pk])
    evaluation_url = reverse("followup:evaluation_add", args=[contract.pk])

    def dated(kind, due_on, label, object_id, url, detail="") -> AgendaItem:
        return AgendaItem(
            kind=kind,
            due_on=due_on,
            beneficiary=beneficiary,
            contract=contract,
            label=str(label),
            overdue=due_on < today,
            object_id=object_id,
            workers=workers,
            url=url,
            detail=detail,
        )

    items = []
    if contract.end_on is not None:
        end_label = _("Planned end of the PIIS: end it, or extend it by an amendment")
        items.append(dated(Kind.CONTRACT_END, contract.end_on, end_label, contract.pk, detail_url + LIFECYCLE_ANCHOR))
    objective_label = _("Objective due: record at an evaluation whether it is reached")
    step_label = _("Step of an objective due by this date")
    for objective in contract.objectives.all():
        if _objective_closed(objective):
            continue
        items.append(
            dated(Kind.OBJECTIVE_DUE, objective.due_on, objective_label, objective.pk, evaluation_url, objective.title)
        )
        items.extend(
            dated(Kind.STEP_DUE, step.due_on, step_label, step.pk, evaluation_url, step.description)
            for step in objective.steps.all()
        )
    items.extend(
        dated(
            Kind.COMMITMENT_DUE,
            clause.due_on,
            COMMITMENT_DUE_LABELS[clause.party],
            clause.pk,
            f"{detail_url}#clause-{clause.pk}",
            clause.text[:AGENDA_DETAIL_LENGTH],
        )
        for clause in contract.clauses.all()
    )
    return items


def _exemption_items(beneficiary, *, today) -> list[AgendaItem]:
    """R12 / A2: the review date of each exemption still running (not lifted, not over, not ending before it)."""
    items = []
    for exemption in beneficiary.exemptions.all():
        if exemption.lifted_on is not None:
            continue
        if exemption.end_on is not None and (exemption.end_on < today or exemption.review_on > exemption.end_on):
            continue
        items.append(
            AgendaItem(
                kind=Kind.EXEMPTION_REVIEW,
                due_on=exemption.review_on,
                beneficiary=beneficiary,
                contract=None,
                label=str(_("Review the exemption from the PIIS decided on %(date)s"))
                % {"date": date_format(exemption.decided_on, "SHORT_DATE_FORMAT")},
                overdue=exemption.review_on < today,
                object_id=exemption.pk,
                url=reverse("cases:record_edit", args=[beneficiary.pk, "exemption", exemption.pk]),
                workers=_workers(beneficiary),
            )
        )
    return items


def _meeting_items(beneficiary, *, today) -> list[AgendaItem]:
    return [
        AgendaItem(
            url=reverse("followup:meeting_held", args=[request.pk]),
            kind=Kind.MEETING,
            due_on=request.deadline,
            beneficiary=beneficiary,
            contract=None,
            label=str(
                _("Hold the meeting the person asked for on their portal")
                if request.from_portal
                else _("Hold the meeting the person asked for")
            )
            + (f" — {request.subject}" if request.subject else ""),
            overdue=request.deadline < today,
            object_id=request.pk,
            workers=_workers(beneficiary),
        )
        for request in beneficiary.meeting_requests.all()
    ]


def _agenda(*, cpas, user, today) -> list[AgendaItem]:
    closures = list(ClosureDay.objects.for_cpas(cpas).values_list("day", flat=True))
    items: list[AgendaItem] = []
    for beneficiary in _files_queryset(cpas=cpas, user=user):
        conclusion = _conclusion_item(beneficiary, today=today, closures=closures)
        if conclusion is not None:
            items.append(conclusion)
        for contract in beneficiary.contracts.all():
            if user is None or user.pk in (contract.social_worker_id, beneficiary.social_worker_id):
                items.extend(_contract_items(beneficiary, contract, today=today))
        items.extend(_meeting_items(beneficiary, today=today))
        items.extend(_exemption_items(beneficiary, today=today))
    return sorted(items, key=_sort_key)


def agenda_for_user(*, cpas, user, today) -> list[AgendaItem]:
    """Every upcoming and overdue legal deadline over the files of `user` in `cpas`, most urgent first.

    A file is the user's when they are its social worker or the social worker of one of its contracts. Kinds:
    the conclusion deadline of an obligatory PIIS not yet concluded (R13), the end of a reflection period (R39), the
    evaluations still due in the current contract year (R43–R47), the meeting requests still open (R41), the review
    of an exemption still running (R12), and the dates a PIIS in force sets itself: its planned end, its objectives
    not yet reached and their dated steps, its commitments with a due date not yet delivered. Each item links to
    where the worker acts (`url`). Overdue first, then by date. A fixed number of queries, whatever the number of
    files.
    """
    return _agenda(cpas=cpas, user=user, today=today)


def agenda_for_cpas(*, cpas, today) -> list[AgendaItem]:
    """The deadlines of every file of the CPAS that has a social worker (team view, reminders); each item names
    the workers whose agenda shows it (`workers`). Same query budget as agenda_for_user."""
    return _agenda(cpas=cpas, user=None, today=today)


@dataclass(frozen=True)
class AgendaView:
    items: list[AgendaItem]
    counts: dict
    overdue: int
    total: int

    @property
    def per_kind(self) -> list[tuple[str, str, int]]:
        return [(kind, str(KIND_LABELS[kind]), self.counts[kind]) for kind in KINDS]


def agenda_filter(
    items: list[AgendaItem], *, today: date, kind: str = "", horizon_days: int | None = None
) -> AgendaView:
    """Narrow an agenda by kind and horizon (overdue items are always within the horizon); counts per kind are
    of the items within the horizon, before the kind filter, so the user sees what the other tabs hold."""
    within = items if horizon_days is None else [i for i in items if i.due_on <= today + timedelta(days=horizon_days)]
    counts = {k: sum(1 for i in within if i.kind == k) for k in KINDS}
    shown = [i for i in within if i.kind == kind] if kind else within
    return AgendaView(shown, counts, sum(1 for i in within if i.overdue), len(within))


def caseload_members(*, cpas) -> list[Membership]:
    """The members of the CPAS who carry a caseload (their agendas are what a team lead may look at)."""
    return list(
        Membership.objects.filter(cpas=cpas, is_active=True, role__in=CASELOAD_ROLES)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def caseload_member_get(*, cpas, user_id) -> Membership:
    try:
        return Membership.objects.select_related("user").get(
            cpas=cpas, user_id=user_id, is_active=True, role__in=CASELOAD_ROLES
        )
    except (Membership.DoesNotExist, ValueError):
        raise Http404 from None


@dataclass(frozen=True)
class WorkerLoad:
    member: Membership
    files: int
    overdue: int
    weeks: list[int]

    @property
    def peak(self) -> int:
        return max(self.weeks, default=0)


TEAM_WEEKS = 8  # how far the team view looks ahead (a planning horizon, not a legal figure)


def _files_per_worker(*, cpas) -> dict[int, set[int]]:
    """Each worker's files: those they are the social worker of, or of whose open contract they are (one query)."""
    rows = (
        Beneficiary.objects.for_cpas(cpas)
        .filter(Q(social_worker__isnull=False) | Q(contracts__isnull=False))
        .values_list("pk", "social_worker_id", "contracts__social_worker_id", "contracts__status")
    )
    files: dict[int, set[int]] = {}
    for pk, file_worker, contract_worker, status in rows:
        for worker in (file_worker, contract_worker if status != ContractStatus.ENDED else None):
            if worker:
                files.setdefault(worker, set()).add(pk)
    return files


def team_load(*, cpas, today, weeks: int = TEAM_WEEKS) -> tuple[list[date], list[WorkerLoad]]:
    """Per caseload member: files, overdue deadlines and deadlines per week (weeks starting on Monday of this
    week) over the next `weeks` weeks — the same deadlines as each worker's agenda, in a fixed number of queries."""
    monday = today - timedelta(days=today.weekday())
    starts = [monday + timedelta(weeks=n) for n in range(weeks)]
    members = caseload_members(cpas=cpas)
    items = agenda_for_cpas(cpas=cpas, today=today)
    files = _files_per_worker(cpas=cpas)
    rows = []
    for member in members:
        mine = [i for i in items if member.user_id in i.workers]
        per_week = [0] * weeks
        for item in mine:
            index = (item.due_on - monday).days // 7
            if 0 <= index < weeks and not item.overdue:
                per_week[index] += 1
        rows.append(
            WorkerLoad(member, len(files.get(member.user_id, ())), sum(1 for i in mine if i.overdue), per_week)
        )
    return starts, rows


# --- calendar feeds -------------------------------------------------------------------------------------------


def calendar_feed_for_user(*, cpas, user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(cpas=cpas, user=user, revoked_at__isnull=True).first()


def calendar_feed_by_token(token: str) -> CalendarFeed | None:
    """A feed by its token, whatever the CPAS (a directory lookup: no CPAS is known yet). None if revoked, unknown
    or if its owner no longer works in that CPAS."""
    feed = CalendarFeed.objects.filter(token=token, revoked_at__isnull=True).select_related("user", "cpas").first()
    if (
        feed is None
        or not Membership.objects.filter(
            cpas_id=feed.cpas_id, user_id=feed.user_id, is_active=True, role__in=CASELOAD_ROLES
        ).exists()
    ):
        return None
    return feed
