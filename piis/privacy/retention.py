"""How long each kind of record is kept, what is past its period (the dry run), and its erasure.

The law sets no retention period for PIIS files (R78, "not found"; GDPR art. 5(1)(e): no longer than needed), so
every period is the CPAS's choice, with the defaults below; each default says what it rests on, and all are
working assumptions for the CPAS's legal service to confirm (shown as such on the retention page).

`retention_plan(cpas, today)` lists, per kind, what is past its period: the dry run (`manage.py retention
--dry-run`, the retention page) shows it and writes nothing; `erase_plan(plan)` erases exactly those objects, one
file per transaction, and writes one audit row per file and kind with the counts erased (never a name).

The audit trail is never edited: no audit row is updated or deleted by an erasure. The trail keeps its own period by
dropping whole monthly partitions (piis.audit.partitions) once every CPAS's audit period is over, since a partition
holds the rows of every CPAS; the rows about an erased file stay in the trail, with the name they were written with,
until their partition is dropped.
"""

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.deletion import ProtectedError
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.audit.partitions import month_partitions
from piis.audit.services import record
from piis.cases.models import Beneficiary, Exemption, NeedsAssessment, RiDecision
from piis.contracts.enums import ContractStatus
from piis.contracts.models import Contract, Signature
from piis.core.rls import set_current_cpas
from piis.documents.models import Document, Letter
from piis.followup.enums import MeetingStatus
from piis.followup.models import Evaluation, MeetingRequest, Reminder
from piis.privacy.enums import RecordKind
from piis.privacy.models import RetentionPeriod


@dataclass(frozen=True)
class KindPolicy:
    kind: RecordKind
    default_years: int
    counted_from: Promise  # the date the period runs from
    erasure: Promise  # what happens at the end of it
    basis: Promise  # what the default rests on (a working assumption: no text of law sets it)


_TEN_YEARS = _(
    "Ten years: the longest limitation period of civil claims (Civil Code, art. 2262bis), within which the CPAS may "
    "have to show what was decided and signed, and the evidence the inspection of the PPS Social Integration checks."
)
# fmt: off
POLICIES: dict[str, KindPolicy] = {
    policy.kind: policy
    for policy in (
        KindPolicy(RecordKind.CLOSED_FILE, 10,
                   _("the end of the last RI decision and of the last PIIS (the file's creation if it has neither)"),
                   _("The whole file is deleted: identity, household, decisions, assessments, contracts and "
                     "follow-up."),
                   _TEN_YEARS),
        KindPolicy(RecordKind.ENDED_CONTRACT, 10, _("the end of the contract"),
                   _("The contract is deleted with its versions, signatures, scans and evaluations."), _TEN_YEARS),
        KindPolicy(RecordKind.EVALUATION, 10, _("the evaluation, once its contract has ended"),
                   _("The evaluation is deleted with its progress notes."), _TEN_YEARS),
        KindPolicy(RecordKind.MEETING_REQUEST, 2, _("the meeting held or the request withdrawn"),
                   _("The request is deleted."),
                   _("Two years: the follow-up of the deadline is over; the file's evaluations record the rest.")),
        KindPolicy(RecordKind.REMINDER, 1, _("the day the reminder was sent"), _("The record of the reminder is "
                   "deleted."), _("One year: it only keeps a reminder from being sent twice.")),
        KindPolicy(RecordKind.SIGNATURE_SCAN, 10, _("the end of the contract"),
                   _("The scanned file is deleted; the signature itself (who, when) is kept with the contract."),
                   _TEN_YEARS),
        KindPolicy(RecordKind.DOCUMENT, 10, _("the date of the document"),
                   _("The document and its file are deleted."), _TEN_YEARS),
        KindPolicy(RecordKind.LETTER, 10, _("the day the letter was sent"),
                   _("The letter as sent, its text and its PDF, is deleted."), _TEN_YEARS),
        KindPolicy(RecordKind.AUDIT, 10, _("the month of the event"),
                   _("Whole months of the trail are dropped, once the period of every CPAS is over (a month holds "
                     "the events of every CPAS); no single event is ever changed or deleted."),
                   _("Ten years: as long as the files whose reads and changes it records can be contested.")),
    )
}
# fmt: on


def years_ago(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def retention_years(cpas) -> dict[str, int]:
    """The CPAS's period for every kind: its own where it set one, the default otherwise."""
    years = {kind: policy.default_years for kind, policy in POLICIES.items()}
    years.update(RetentionPeriod.objects.for_cpas(cpas).values_list("kind", "years"))
    return years


@dataclass(frozen=True)
class Candidate:
    """One object past its period: `pk` of the kind's model, the file it belongs to, the date its period ran from."""

    pk: int
    file_id: int | None
    since: datetime.date


@dataclass
class KindPlan:
    kind: str
    years: int
    cutoff: datetime.date
    candidates: list[Candidate] = field(default_factory=list)
    # The audit trail: the CPAS's rows in the monthly partitions that would be dropped (partitions, not objects).
    audit_rows: int = 0
    audit_oldest: datetime.date | None = None
    partitions: list[str] = field(default_factory=list)

    @property
    def policy(self) -> KindPolicy:
        return POLICIES[self.kind]

    @property
    def label(self) -> str:
        return str(RecordKind(self.kind).label)

    @property
    def count(self) -> int:
        return self.audit_rows if self.kind == RecordKind.AUDIT else len(self.candidates)

    @property
    def oldest(self) -> datetime.date | None:
        if self.kind == RecordKind.AUDIT:
            return self.audit_oldest
        return min((c.since for c in self.candidates), default=None)


def _to_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


# --- what is past its period (reads only) ---------------------------------------------------------------------------


def _closed_files(cpas, cutoff: datetime.date) -> list[Candidate]:
    """Files with nothing running since the cutoff: no RI decision, PIIS, exemption, assessment or open meeting
    request after it, and created before it."""
    mine = {"cpas": cpas, "beneficiary": OuterRef("pk")}
    recent = (
        RiDecision.objects.filter(Q(end_on__isnull=True) | Q(end_on__gte=cutoff) | Q(decided_on__gte=cutoff), **mine),
        Contract.objects.filter(
            ~Q(status=ContractStatus.ENDED) | Q(ended_on__isnull=True) | Q(ended_on__gte=cutoff), **mine
        ),
        Exemption.objects.filter(
            Q(start_on__gte=cutoff) | (Q(end_on__isnull=True) & Q(lifted_on__isnull=True)) | Q(end_on__gte=cutoff),
            **mine,
        ),
        NeedsAssessment.objects.filter(assessed_on__gte=cutoff, **mine),
        MeetingRequest.objects.filter(Q(status=MeetingStatus.OPEN) | Q(requested_on__gte=cutoff), **mine),
    )
    files = Beneficiary.objects.for_cpas(cpas).filter(created_at__date__lt=cutoff)
    for queryset in recent:
        files = files.exclude(Exists(queryset))
    rows = list(files.values_list("pk", "created_at"))
    last_ri = _last_ri_end(cpas, [pk for pk, _created in rows])
    return [Candidate(pk, pk, last_ri.get(pk) or _to_date(created)) for pk, created in rows]


def _last_ri_end(cpas, pks: list[int]) -> dict[int, datetime.date]:
    """The end of each file's last RI decision (bounded: the files listed, one query)."""
    ends: dict[int, datetime.date] = {}
    for pk, end in RiDecision.objects.for_cpas(cpas).filter(beneficiary__in=pks).values_list("beneficiary", "end_on"):
        if end is not None and (pk not in ends or end > ends[pk]):
            ends[pk] = end
    return ends


def _ended_contracts(cpas, cutoff, erased_files: set[int]) -> list[Candidate]:
    rows = (
        Contract.objects.for_cpas(cpas)
        .filter(status=ContractStatus.ENDED, ended_on__lt=cutoff)
        .exclude(beneficiary__in=erased_files)
        .values_list("pk", "beneficiary_id", "ended_on")
    )
    return [Candidate(pk, file_id, since) for pk, file_id, since in rows]


def _evaluations(cpas, cutoff, erased_files: set[int], erased_contracts: set[int]) -> list[Candidate]:
    rows = (
        Evaluation.objects.for_cpas(cpas)
        .filter(contract__status=ContractStatus.ENDED, held_on__lt=cutoff)
        .exclude(contract__in=erased_contracts)
        .exclude(contract__beneficiary__in=erased_files)
        .values_list("pk", "contract__beneficiary_id", "held_on")
    )
    return [Candidate(pk, file_id, since) for pk, file_id, since in rows]


def _meeting_requests(cpas, cutoff, erased_files: set[int]) -> list[Candidate]:
    rows = (
        MeetingRequest.objects.for_cpas(cpas)
        .exclude(status=MeetingStatus.OPEN)
        .annotate(settled_on=Coalesce("held_on", "withdrawn_on", "requested_on"))
        .filter(settled_on__lt=cutoff)
        .exclude(beneficiary__in=erased_files)
        .values_list("pk", "beneficiary_id", "settled_on")
    )
    return [Candidate(pk, file_id, since) for pk, file_id, since in rows]


def _signature_scans(cpas, cutoff, erased_files: set[int], erased_contracts: set[int]) -> list[Candidate]:
    rows = (
        Signature.objects.for_cpas(cpas)
        .exclude(scan="")
        .filter(version__contract__status=ContractStatus.ENDED, version__contract__ended_on__lt=cutoff)
        .exclude(version__contract__in=erased_contracts)
        .exclude(version__contract__beneficiary__in=erased_files)
        .values_list("pk", "version__contract__beneficiary_id", "version__contract__ended_on")
    )
    return [Candidate(pk, file_id, since) for pk, file_id, since in rows]


def _documents(cpas, cutoff, erased_files: set[int]) -> list[Candidate]:
    rows = (
        Document.objects.for_cpas(cpas)
        .filter(dated_on__lt=cutoff)
        .exclude(beneficiary__in=erased_files)
        .values_list("pk", "beneficiary_id", "dated_on")
    )
    return [Candidate(pk, file_id, since) for pk, file_id, since in rows]


def _letters(cpas, cutoff, erased_files: set[int]) -> list[Candidate]:
    rows = (
        Letter.objects.for_cpas(cpas)
        .filter(sent_on__lt=cutoff)
        .exclude(beneficiary__in=erased_files)
        .values_list("pk", "beneficiary_id", "sent_on")
    )
    return [Candidate(pk, file_id, since) for pk, file_id, since in rows]


def _reminders(cpas, cutoff) -> list[Candidate]:
    start = datetime.datetime.combine(cutoff, datetime.time.min, timezone.get_current_timezone())
    rows = Reminder.objects.for_cpas(cpas).filter(sent_at__lt=start).values_list("pk", "sent_at")
    return [Candidate(pk, None, _to_date(sent_at)) for pk, sent_at in rows]


def _month_bounds(name: str) -> tuple[datetime.date, datetime.date] | None:
    suffix = name.removeprefix("audit_auditevent_")
    if len(suffix) != 6 or not suffix.isdigit():
        return None  # the default partition: rows outside every month, never dropped
    low = datetime.date(int(suffix[:4]), int(suffix[4:]), 1)
    high = datetime.date(low.year + low.month // 12, low.month % 12 + 1, 1)
    return low, high


def droppable_partitions(boundary: datetime.date) -> list[tuple[str, datetime.date, datetime.date]]:
    """The monthly audit partitions that end on or before `boundary`: (name, first day, first day after)."""
    found = []
    for name in month_partitions():
        bounds = _month_bounds(name)
        if bounds is not None and bounds[1] <= boundary:
            found.append((name, *bounds))
    return found


def _audit_plan(cpas, plan: KindPlan, boundary: datetime.date | None) -> None:
    """The CPAS's rows in the partitions that would go. `boundary` is the first day kept by every CPAS (given by the
    command, which reads every CPAS's period); a page, which sees one CPAS only, reads its own period."""
    partitions = droppable_partitions(boundary or plan.cutoff)
    plan.partitions = [name for name, _low, _high in partitions]
    if not partitions:
        return
    low, high = partitions[0][1], partitions[-1][2]
    rows = AuditEvent.objects.for_cpas(cpas).filter(occurred_at__date__gte=low, occurred_at__date__lt=high)
    plan.audit_rows = rows.count()
    oldest = rows.order_by("occurred_at").values_list("occurred_at", flat=True).first()
    plan.audit_oldest = _to_date(oldest) if oldest else None


def retention_plan(cpas, today: datetime.date, *, audit_boundary: datetime.date | None = None) -> list[KindPlan]:
    """Per kind, in RecordKind order, what is past the CPAS's period on `today`. Reads only (the dry run).

    An object is listed under one kind only: a contract of a file erased whole is not listed again as an ended
    contract, nor its evaluations or scans. Call it with the CPAS set for row-level security."""
    years = retention_years(cpas)
    plans = {kind: KindPlan(kind, years[kind], years_ago(today, years[kind])) for kind in RecordKind.values}
    plans[RecordKind.CLOSED_FILE].candidates = _closed_files(cpas, plans[RecordKind.CLOSED_FILE].cutoff)
    files = {c.pk for c in plans[RecordKind.CLOSED_FILE].candidates}
    plans[RecordKind.ENDED_CONTRACT].candidates = _ended_contracts(
        cpas, plans[RecordKind.ENDED_CONTRACT].cutoff, files
    )
    contracts = {c.pk for c in plans[RecordKind.ENDED_CONTRACT].candidates}
    plans[RecordKind.EVALUATION].candidates = _evaluations(cpas, plans[RecordKind.EVALUATION].cutoff, files, contracts)
    plans[RecordKind.MEETING_REQUEST].candidates = _meeting_requests(
        cpas, plans[RecordKind.MEETING_REQUEST].cutoff, files
    )
    plans[RecordKind.SIGNATURE_SCAN].candidates = _signature_scans(
        cpas, plans[RecordKind.SIGNATURE_SCAN].cutoff, files, contracts
    )
    plans[RecordKind.REMINDER].candidates = _reminders(cpas, plans[RecordKind.REMINDER].cutoff)
    plans[RecordKind.DOCUMENT].candidates = _documents(cpas, plans[RecordKind.DOCUMENT].cutoff, files)
    plans[RecordKind.LETTER].candidates = _letters(cpas, plans[RecordKind.LETTER].cutoff, files)
    _audit_plan(cpas, plans[RecordKind.AUDIT], audit_boundary)
    return [plans[kind] for kind in RecordKind.values]


# --- the erasure ----------------------------------------------------------------------------------------------------


def _deleted(queryset) -> Counter:
    _total, by_model = queryset.delete()
    return Counter({label.lower(): count for label, count in by_model.items() if count})


def _forget_scans(names: Iterable[str]) -> None:
    """Delete the scanned files once the transaction that dropped their rows has committed."""
    storage = Signature._meta.get_field("scan").storage
    names = [name for name in names if name]

    def remove() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove)


def _erase_stored(queryset, field: str) -> Counter:
    """Delete document or letter rows and, once committed, their stored files."""
    storage = queryset.model._meta.get_field(field).storage
    names = [name for name in queryset.values_list(field, flat=True) if name]
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return _deleted(queryset)


def _erase_contracts(cpas, pks: list[int]) -> Counter:
    counts = _erase_stored(Document.objects.for_cpas(cpas).filter(contract__in=pks), "file")
    counts += _erase_stored(Letter.objects.for_cpas(cpas).filter(contract__in=pks), "pdf")
    signatures = Signature.objects.for_cpas(cpas).filter(version__contract__in=pks)
    _forget_scans(signatures.exclude(scan="").values_list("scan", flat=True))
    counts += _deleted(signatures)  # a signature protects its third party: first
    counts += _deleted(Evaluation.objects.for_cpas(cpas).filter(contract__in=pks))  # protect objectives, clauses
    counts += _deleted(Contract.objects.for_cpas(cpas).filter(pk__in=pks))
    return counts


def _erase_files(cpas, pks: list[int]) -> Counter:
    contracts = list(Contract.objects.for_cpas(cpas).filter(beneficiary__in=pks).values_list("pk", flat=True))
    counts = _erase_contracts(cpas, contracts)
    counts += _erase_stored(Document.objects.for_cpas(cpas).filter(beneficiary__in=pks), "file")
    counts += _erase_stored(Letter.objects.for_cpas(cpas).filter(beneficiary__in=pks), "pdf")
    counts += _deleted(MeetingRequest.objects.for_cpas(cpas).filter(beneficiary__in=pks))
    counts += _deleted(RiDecision.objects.for_cpas(cpas).filter(beneficiary__in=pks))
    counts += _deleted(Beneficiary.objects.for_cpas(cpas).filter(pk__in=pks))  # its other records cascade
    return counts


def _clear_scans(cpas, pks: list[int]) -> Counter:
    signatures = Signature.objects.for_cpas(cpas).filter(pk__in=pks)
    _forget_scans(signatures.values_list("scan", flat=True))
    return Counter({"contracts.signature.scan": signatures.update(scan="")})


ERASERS: dict[str, Callable[[Any, list[int]], Counter]] = {
    RecordKind.CLOSED_FILE: _erase_files,
    RecordKind.ENDED_CONTRACT: _erase_contracts,
    RecordKind.EVALUATION: lambda cpas, pks: _deleted(Evaluation.objects.for_cpas(cpas).filter(pk__in=pks)),
    RecordKind.MEETING_REQUEST: lambda cpas, pks: _deleted(MeetingRequest.objects.for_cpas(cpas).filter(pk__in=pks)),
    RecordKind.REMINDER: lambda cpas, pks: _deleted(Reminder.objects.for_cpas(cpas).filter(pk__in=pks)),
    RecordKind.SIGNATURE_SCAN: _clear_scans,
    RecordKind.DOCUMENT: lambda cpas, pks: _erase_stored(Document.objects.for_cpas(cpas).filter(pk__in=pks), "file"),
    RecordKind.LETTER: lambda cpas, pks: _erase_stored(Letter.objects.for_cpas(cpas).filter(pk__in=pks), "pdf"),
}
TARGET_TYPES: dict[str, str] = {
    RecordKind.CLOSED_FILE: "cases.beneficiary",
    RecordKind.ENDED_CONTRACT: "contracts.contract",
    RecordKind.EVALUATION: "followup.evaluation",
    RecordKind.MEETING_REQUEST: "followup.meetingrequest",
    RecordKind.REMINDER: "followup.reminder",
    RecordKind.SIGNATURE_SCAN: "contracts.signature",
    RecordKind.DOCUMENT: "documents.document",
    RecordKind.LETTER: "documents.letter",
}


@dataclass
class Erased:
    """What one transaction erased (or kept: `kept` says why, nothing of that file was erased)."""

    file_id: int | None
    kinds: dict[str, list[int]]
    rows: Counter
    kept: str = ""


def erase_plan(cpas, plans: list[KindPlan], *, context: str = "manage.py retention --apply") -> list[Erased]:
    """Erase what `plans` lists (the objects only: the audit partitions are dropped by drop_audit_partitions), one
    file per transaction with the CPAS set for row-level security, each file's kinds with one audit row each.
    A file another record still protects (a later app's) is kept whole and reported."""
    by_file: dict[int | None, dict[str, list[int]]] = {}
    for plan in plans:
        if plan.kind == RecordKind.AUDIT:
            continue
        for candidate in plan.candidates:
            by_file.setdefault(candidate.file_id, {}).setdefault(plan.kind, []).append(candidate.pk)
    cutoffs = {plan.kind: plan for plan in plans}
    done = []
    for file_id, kinds in by_file.items():
        rows: Counter = Counter()
        try:
            with transaction.atomic():
                set_current_cpas(cpas.pk)
                for kind, pks in kinds.items():
                    erased = ERASERS[kind](cpas, pks)
                    rows += erased
                    record(
                        actor=None,
                        cpas=cpas,
                        verb=AuditVerb.RETENTION_ERASED,
                        target_type=TARGET_TYPES[kind],
                        beneficiary_id=file_id,
                        changes={
                            "kind": kind,
                            "years": cutoffs[kind].years,
                            "before": cutoffs[kind].cutoff.isoformat(),
                            "count": len(pks),
                            "ids": sorted(pks),
                            "rows": dict(sorted(erased.items())),
                        },
                        context=context,
                    )
        except ProtectedError as error:
            labels = sorted({obj._meta.label_lower for obj in error.protected_objects})
            done.append(Erased(file_id, kinds, Counter(), kept=", ".join(labels)))
            continue
        done.append(Erased(file_id, kinds, rows))
    return done


def drop_audit_partitions(boundary: datetime.date, counts: dict[int, int], *, context: str) -> list[str]:
    """Drop the monthly audit partitions that end on or before `boundary` (the first day every CPAS keeps), then
    write, for each CPAS that had rows in them (`counts`: CPAS id → rows, read under each CPAS beforehand), one audit
    row saying how many of its events went. Needs the owner of the audit table (the migration role)."""
    from django.db import connection

    names = [name for name, _low, _high in droppable_partitions(boundary)]
    with transaction.atomic():
        with connection.cursor() as cursor:
            for name in names:
                cursor.execute(f'DROP TABLE "{name}"')
        for cpas_id, count in counts.items():
            if not count:
                continue
            set_current_cpas(cpas_id)
            record(
                actor=None,
                cpas=cpas_id,
                verb=AuditVerb.AUDIT_PARTITIONS_DROPPED,
                target_type="audit.auditevent",
                changes={"partitions": names, "rows": count, "before": boundary.isoformat()},
                context=context,
            )
    return names
