"""Reads of the follow-up: evaluation compliance, meeting requests, the caseload agenda of legal deadlines.

Every date comes from the rules core (evaluation_years, meeting_deadline stored on the request, piis_obligation
through contracts.obligation.obligation_for_file, contracts.reflection), through followup.agenda.file_items, whose
answers the deadline table (followup.deadlines) keeps per file; this module reads that table and sorts the answers.
See README.md beside this file for the agenda's algorithm and query budget.
"""

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.query import prefetch_related_objects
from django.http import Http404

from piis.accounts.models import Membership
from piis.cases.access import require_file_access
from piis.cases.models import Beneficiary
from piis.cases.selectors import set_prefetched
from piis.contracts.enums import CommitmentStatus, ContractStatus, Party
from piis.contracts.models import Contract
from piis.core import compiled
from piis.followup.agenda import KIND_LABELS, KINDS, AgendaItem, ContractRef, FileRef, Kind, deadline_label
from piis.followup.compliance import (
    COMPLIANCE_STATUSES,
    RULE_LABELS,
    STATUS_LABELS,
    YearCompliance,
    contract_compliance,
    current_year,
)
from piis.followup.deadlines import read_fresh_for_user, refresh_stale_for_cpas, refresh_stale_for_user
from piis.followup.enums import MeetingStatus
from piis.followup.models import CalendarFeed, Deadline, Evaluation, MeetingRequest
from piis.followup.perms import CASELOAD_ROLES, can_record_followup, can_view_followup

# Read from here by the pages, the API, the portal and the reports (their home is followup.compliance and
# followup.agenda).
__all__ = [
    "COMPLIANCE_STATUSES",
    "KINDS",
    "KIND_LABELS",
    "RULE_LABELS",
    "STATUS_LABELS",
    "AgendaItem",
    "Kind",
    "YearCompliance",
    "contract_compliance",
    "current_year",
]

# --- compliance per contract year (R43–R47): followup.compliance ------------------------------------------------


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


def followup_context_for_contract(*, membership, contract, today, has_evaluations: bool = True) -> dict:
    """Template context for followup/_contract_section.html on the contract page. Its evaluations come with the
    person's comments only, all the section shows of them (one query, two when there are evaluations; none when
    `has_evaluations` is False: the page knows the contract has none)."""
    evaluations = (
        list(
            Evaluation.objects.for_cpas(contract.cpas_id).filter(contract=contract).prefetch_related("person_comments")
        )
        if has_evaluations
        else []
    )
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


def followup_context_for_file(
    *, membership, beneficiary, today, contracts: list[Contract] | None = None, has_meeting_requests: bool = True
) -> dict:
    """Template context for followup/_file_section.html on the file page: compliance of its concluded PIIS (the
    current contract year) and its meeting requests with the days left. `contracts`: the file's PIIS already read
    by the page (read here when not given); `has_meeting_requests` False when the page knows the file has none."""
    evaluations = Prefetch("evaluations", queryset=Evaluation.objects.only(*_EVALUATION_FIELDS))
    if contracts is None:
        contracts = list(
            Contract.objects.for_cpas(membership.cpas)
            .filter(beneficiary=beneficiary, status__in=COMPLIANCE_STATUSES)
            .prefetch_related(evaluations)
            .order_by("-signed_on", "-id")
        )
    else:
        # The same rows and order as the query above (-signed_on, -id; PostgreSQL puts NULL first when descending).
        contracts = sorted(
            (c for c in contracts if c.status in COMPLIANCE_STATUSES),
            key=lambda c: (c.signed_on is None, c.signed_on or date.min, c.pk),
            reverse=True,
        )
        _prefetch_evaluations(contracts, evaluations)
    summaries = [
        ContractSummary(c, current_year(contract_compliance(contract=c, evaluations=c.evaluations.all(), today=today)))
        for c in contracts
    ]
    requests = (
        _read_instances(
            ("file_meeting_requests",), _meeting_requests, cpas=membership.cpas_id, beneficiary=beneficiary.pk
        )
        if has_meeting_requests
        else []
    )
    return {
        "followup_contracts": summaries,
        "followup_open_meetings": [r for r in requests if r.status == MeetingStatus.OPEN],
        "followup_closed_meetings": [r for r in requests if r.status != MeetingStatus.OPEN],
        "followup_can_record": can_record_followup(membership),
        "followup_today": today,
    }


def _meeting_requests(*, cpas: int, beneficiary: int):
    return MeetingRequest.objects.for_cpas(cpas).filter(beneficiary=beneficiary).order_by("-requested_on", "-id")


def _evaluations_of(**contracts: int):
    """The evaluations of the contracts `contracts` (c0, c1, …: their ids), as prefetch_related reads them."""
    return Evaluation.objects.only(*_EVALUATION_FIELDS).filter(contract__in=list(contracts.values()))


_EVALUATION_FIELDS = ("id", "contract_id", "held_on", "mode")


def _read_instances(key: tuple, build: Callable[..., QuerySet], **values) -> list:
    """The instances of `build(**values)`, its SQL compiled once per `key` (core.compiled) on PostgreSQL."""
    if connection.vendor != "postgresql":
        return list(build(**values))
    return compiled.instances(key, build, **values)


def _prefetch_evaluations(contracts: list[Contract], evaluations: Prefetch) -> None:
    """prefetch_related_objects(contracts, evaluations), the query's SQL compiled once per number of contracts."""
    # Those whose evaluations the page has read with them (www.files) are not read again, as prefetch_related_objects.
    contracts = [c for c in contracts if "evaluations" not in getattr(c, "_prefetched_objects_cache", {})]
    if connection.vendor != "postgresql" or not contracts:
        prefetch_related_objects(contracts, evaluations)
        return
    by_contract: dict[int, list] = {c.pk: [] for c in contracts}
    values = {f"c{i}": pk for i, pk in enumerate(by_contract)}
    for row in compiled.instances(("file_evaluations", len(values)), _evaluations_of, **values):
        by_contract[row.contract_id].append(row)
    for contract in contracts:
        set_prefetched(contract, "evaluations", by_contract[contract.pk])


# --- the caseload agenda: the deadline table -------------------------------------------------------------------

# What an agenda line reads of the table and of the file (its number and the name shown).
ROW_FIELDS = (
    "id",
    "cpas_id",
    "beneficiary_id",
    "contract_id",
    "worker_id",
    "kind",
    "due_on",
    "object_id",
    "overdue",
    "at_risk",
    "params",
    "url",
    "detail",
    "beneficiary__id",
    "beneficiary__cpas_id",
    "beneficiary__first_name",
    "beneficiary__last_name",
)
AGENDA_ORDER = ("-overdue", "due_on", "kind", "object_id")


def _rows(*, cpas, user):
    return Deadline.objects.for_cpas(cpas).filter(worker=user).select_related("beneficiary").only(*ROW_FIELDS)


def _item(row: Deadline, workers: frozenset | None = None) -> AgendaItem:
    """An agenda line from a row, worded in the active language. `contract` carries the contract's id only."""
    contract = Contract(pk=row.contract_id, cpas_id=row.cpas_id, beneficiary_id=row.beneficiary_id)
    return AgendaItem(
        kind=row.kind,
        due_on=row.due_on,
        beneficiary=row.beneficiary,
        contract=contract if row.contract_id else None,
        label=deadline_label(row.kind, row.params),
        overdue=row.overdue,
        object_id=row.object_id,
        at_risk=row.at_risk,
        workers=workers if workers is not None else frozenset({row.worker_id}),
        url=row.url,
        detail=row.detail,
        params=row.params,
    )


# What a line reads as values (the page of the agenda, the home page): no model instance per line, its file and
# contract by reference (agenda.FileRef, agenda.ContractRef). The order is _item_of_values's.
VALUE_FIELDS = (
    "kind",
    "due_on",
    "beneficiary_id",
    "beneficiary__cpas_id",
    "beneficiary__first_name",
    "beneficiary__last_name",
    "contract_id",
    "params",
    "overdue",
    "object_id",
    "at_risk",
    "worker_id",
    "url",
    "detail",
)


def _item_of_values(row: tuple) -> AgendaItem:
    """_item from the row's VALUE_FIELDS: the same line, worded in the active language."""
    kind, due_on, file_id, cpas_id, first_name, last_name, contract_id, params, overdue, object_id, at_risk = row[:11]
    if isinstance(params, str):  # read by a cursor, not through the JSONField
        params = json.loads(params)
    return AgendaItem(
        kind=kind,
        due_on=due_on,
        beneficiary=FileRef(file_id, cpas_id, first_name, last_name),
        contract=ContractRef(contract_id) if contract_id else None,
        label=deadline_label(kind, params),
        overdue=overdue,
        object_id=object_id,
        at_risk=at_risk,
        workers=frozenset({row[11]}),
        url=row[12],
        detail=row[13],
        params=params,
    )


def agenda_for_user(*, cpas, user, today) -> list[AgendaItem]:
    """Every upcoming and overdue legal deadline over the files of `user` in `cpas`, most urgent first.

    A file is the user's when they are its social worker or the social worker of one of its contracts. Kinds:
    the conclusion deadline of an obligatory PIIS not yet concluded (R13), the end of a reflection period (R39), the
    evaluations still due in the current contract year (R43–R47), the meeting requests still open (R41), the review
    of an exemption still running (R12), and the dates a PIIS in force sets itself: its planned end, its objectives
    not yet reached and their dated steps, its commitments with a due date not yet delivered. Each item links to
    where the worker acts (`url`). Overdue first, then by date. Read from the deadline table after recomputing the
    files of the caseload not computed for `today` (followup.deadlines): two queries when none is.
    """
    refresh_stale_for_user(cpas=cpas, user=user, today=today)
    return [_item(row) for row in _rows(cpas=cpas, user=user).order_by(*AGENDA_ORDER)]


def agenda_for_cpas(
    *, cpas, today, until: date | None = None, refresh_limit: int | None = None, object_ids=None
) -> list[AgendaItem]:
    """The deadlines of every file of the CPAS that has a social worker (reminders), due by `until` (every one when
    None), of these objects only when `object_ids` is given; each item names the workers whose agenda shows it
    (`workers`). Recomputes first every file not fresh on `today` (at most `refresh_limit`)."""
    refresh_stale_for_cpas(cpas=cpas, today=today, limit=refresh_limit)
    rows = Deadline.objects.for_cpas(cpas).select_related("beneficiary").only(*ROW_FIELDS)
    if until is not None:
        rows = rows.filter(due_on__lte=until)
    if object_ids is not None:
        rows = rows.filter(object_id__in=list(object_ids))
    grouped: dict[tuple, list[Deadline]] = {}
    for row in rows.order_by(*AGENDA_ORDER, "beneficiary_id", "worker_id"):
        grouped.setdefault((row.kind, row.object_id, row.due_on, row.beneficiary_id), []).append(row)
    return [_item(rows[0], frozenset(r.worker_id for r in rows)) for rows in grouped.values()]


class DeadlinePage(Sequence):
    """The rows of an agenda as a sequence the Paginator slices: its length is known from the counts (no COUNT),
    and a slice is one query of that many rows (`fetch(start, stop)`, VALUE_FIELDS), worded when read."""

    def __init__(self, fetch: Callable[[int, int], list[tuple]], length: int):
        self.fetch, self.length = fetch, length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(self.length)
            assert step == 1, index
            return [_item_of_values(row) for row in self.fetch(start, stop)] if stop > start else []
        position = index + self.length if index < 0 else index
        if not 0 <= position < self.length:
            raise IndexError(index)
        return _item_of_values(self.fetch(position, position + 1)[0])


@dataclass(frozen=True)
class AgendaView:
    items: Sequence[AgendaItem]
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


def _agenda_rows(*, cpas, user, until: date | None = None, kind: str = "", files=None):
    rows = Deadline.objects.for_cpas(cpas).filter(worker=user)
    if files is not None:
        rows = rows.filter(beneficiary__in=files.values("pk"))
    if until is not None:
        rows = rows.filter(due_on__lte=until)
    return rows.filter(kind=kind) if kind else rows


def _read(key: tuple, build: Callable[..., QuerySet], *, compile_once: bool, **values) -> list[tuple]:
    """The rows of `build(**values)` (a values_list): its SQL compiled once per `key` (core.compiled) when
    `compile_once`, else through the ORM (a subquery given by the caller, the demo on SQLite)."""
    if not compile_once or connection.vendor != "postgresql":
        return list(build(**values))
    return compiled.rows(*compiled.sql_for(key, build, **values))


def _read_fresh(
    key: tuple, build: Callable[..., QuerySet], values: dict, *, cpas, user, today: date, prepared: bool = False
) -> list[tuple]:
    """_read of `user`'s rows once their caseload is fresh on `today`: on PostgreSQL, the freshness check and the
    read in one query (deadlines.read_fresh_for_user); else refresh_stale_for_user, then the read."""
    if connection.vendor != "postgresql":
        refresh_stale_for_user(cpas=cpas, user=user, today=today)
        return list(build(**values))
    sql, params = compiled.sql_for(key, build, **values)
    return read_fresh_for_user(cpas=cpas, user=user, today=today, sql=sql, params=params, prepared=prepared)


def agenda_page_for_user(
    *, cpas, user, today: date, kind: str = "", horizon_days: int | None = None, files=None
) -> AgendaView:
    """agenda_filter(agenda_for_user(...)) in three queries whatever the caseload: the counts per kind, and the
    items as a DeadlinePage that the page's Paginator reads 50 at a time. `files` (a queryset of files) narrows to
    the files the reader may see (a team lead looking at a member's agenda). The queries' SQL is compiled once per
    shape (core.compiled) but with `files`."""
    values: dict = {"cpas": cpas.pk, "user": user.pk}
    if horizon_days is not None:
        values["until"] = today + timedelta(days=horizon_days)
    once = files is None

    def counted(**values):
        rows = _agenda_rows(**values, files=files).order_by().values("kind")
        return rows.annotate(n=Count("id"), late=Count("id", filter=Q(overdue=True))).values_list("kind", "n", "late")

    if once:  # the freshness check and the counts in one query
        found = _read_fresh(("counts", *values), counted, values, cpas=cpas, user=user, today=today)
    else:
        refresh_stale_for_user(cpas=cpas, user=user, today=today)
        found = _read(("counts", *values), counted, compile_once=False, **values)
    per_kind = {kind: (n, late) for kind, n, late in found}
    counts = {k: per_kind[k][0] if k in per_kind else 0 for k in KINDS}
    if kind:
        values["kind"] = kind

    def fetch(start: int, stop: int) -> list[tuple]:
        def page(**values):
            return _agenda_rows(**values, files=files).order_by(*AGENDA_ORDER).values_list(*VALUE_FIELDS)[start:stop]

        return _read(("page", start, stop, *values), page, compile_once=once, **values)

    items = DeadlinePage(fetch, counts.get(kind, 0) if kind else sum(counts.values()))
    overdue = sum(late for _n, late in per_kind.values())
    return AgendaView(items, counts, overdue, sum(counts.values()))


@dataclass(frozen=True)
class AgendaSummary:
    overdue: int
    overdue_items: list[AgendaItem]
    next_items: list[AgendaItem]


def _summary(*, cpas, user, today, size: int):
    """The query of agenda_summary_for_user: the `size` most urgent overdue lines with their count (a subquery the
    planner runs once), then the `size` next ones due from `today` (UNION ALL)."""
    rows = Deadline.objects.for_cpas(cpas).filter(worker=user).order_by(*AGENDA_ORDER)
    count = rows.filter(overdue=True).order_by().values("worker_id").annotate(n=Count("id")).values("n")
    overdue = rows.filter(overdue=True).annotate(n_overdue=Subquery(count))
    upcoming = rows.filter(overdue=False, due_on__gte=today).annotate(n_overdue=Value(0))
    fields = (*VALUE_FIELDS, "n_overdue")
    return overdue.values_list(*fields)[:size].union(upcoming.values_list(*fields)[:size], all=True)


def agenda_summary_for_user(*, cpas, user, today: date, size: int) -> AgendaSummary:
    """The home page's part of the agenda: how many deadlines are overdue, the `size` most urgent of them and the
    `size` next ones due from today, in one query on the table (_summary, its SQL compiled once)."""

    def build(**values):
        return _summary(**values, size=size)

    values = {"cpas": cpas.pk, "user": user.pk, "today": today}
    # Prepared (core.compiled): its generic plan measured as fast as each worker's own on N, small CPAS or large;
    # the agenda's page is not (up to 1.6 ms slower for the largest caseloads; docs/performance.md).
    found = _read_fresh(("summary", size), build, values, cpas=cpas, user=user, today=today, prepared=True)
    lines = sorted(found, key=lambda row: (not row[8], row[1], row[0], row[9]))  # AGENDA_ORDER (each part's)
    late = [row for row in lines if row[8]]
    return AgendaSummary(
        overdue=late[0][-1] if late else 0,
        overdue_items=[_item_of_values(row) for row in late],
        next_items=[_item_of_values(row) for row in lines if not row[8]],
    )


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
    week) over the next `weeks` weeks — the same deadlines as each worker's agenda, counted in the deadline table
    (the files not computed for today recomputed first, up to followup.deadlines.CPAS_REFRESH_LIMIT)."""
    monday = today - timedelta(days=today.weekday())
    starts = [monday + timedelta(weeks=n) for n in range(weeks)]
    members = caseload_members(cpas=cpas)
    refresh_stale_for_cpas(cpas=cpas, today=today)
    rows = Deadline.objects.for_cpas(cpas).order_by()
    overdue = dict(rows.filter(overdue=True).values("worker_id").annotate(n=Count("id")).values_list("worker_id", "n"))
    ahead = (
        rows.filter(overdue=False, due_on__gte=monday, due_on__lt=monday + timedelta(weeks=weeks))
        .values("worker_id", "due_on")
        .annotate(n=Count("id"))
        .values_list("worker_id", "due_on", "n")
    )
    per_week: dict[int, list[int]] = {}
    for worker, due_on, n in ahead:
        per_week.setdefault(worker, [0] * weeks)[(due_on - monday).days // 7] += n
    files = _files_per_worker(cpas=cpas)
    rows_out = [
        WorkerLoad(
            member,
            len(files.get(member.user_id, ())),
            overdue.get(member.user_id, 0),
            per_week.get(member.user_id, [0] * weeks),
        )
        for member in members
    ]
    return starts, rows_out


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
