"""The month's subsidy claim, computed once and stored (reports.models.ClaimRun, ClaimLine): computing it (a
background job started from the claim page, or the nightly `manage.py compute_claims`), and reading it back — the
totals and a page of lines from the table — for the claim page, its CSV and the API.

The figures are those of piis.reports.subsidy.subsidy_lines, line for line (tests/reports/test_claim_runs.py); the
evidence of one line is still computed live (subsidy_line_for), for the inspector. A stored claim says when it was
computed and may be out of date: `is_out_of_date` looks for a change to the files, RI decisions, exemptions,
households or PIIS of the CPAS recorded in the audit trail after the computation started (one indexed look-up).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import overload

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.cases.models import Beneficiary
from piis.reports.models import ClaimLine, ClaimRun
from piis.reports.subsidy import (
    CLAIMED,
    NOT_DUE,
    RECOVERABLE,
    BonusMalus,
    Coverage,
    SubsidyLine,
    bonus_malus_of,
    monthly_coverage,
    subsidy_lines,
    subsidy_lines_in_languages,
    year_coverage,
)
from piis.rules import Period

BATCH = 2000

# The changes recorded in the audit trail after which a stored claim may say something else (what subsidy_lines
# reads: the files, their decisions, earlier periods, exemptions, partners, PIIS and evaluations).
CHANGES = (
    AuditVerb.FILE_CREATED, AuditVerb.FILE_UPDATED,
    AuditVerb.HOUSEHOLD_MEMBER_ADDED, AuditVerb.HOUSEHOLD_MEMBER_CHANGED, AuditVerb.HOUSEHOLD_MEMBER_REMOVED,
    AuditVerb.RI_DECISION_RECORDED, AuditVerb.RI_DECISION_CORRECTED, AuditVerb.RI_DECISION_REMOVED,
    AuditVerb.EARLIER_PERIOD_RECORDED, AuditVerb.EARLIER_PERIOD_CORRECTED, AuditVerb.EARLIER_PERIOD_REMOVED,
    AuditVerb.EXEMPTION_GRANTED, AuditVerb.EXEMPTION_CHANGED, AuditVerb.EXEMPTION_REMOVED,
    AuditVerb.CONTRACT_SIGNED, AuditVerb.CONTRACT_CONCLUDED, AuditVerb.AMENDMENT_CONCLUDED, AuditVerb.CONTRACT_ENDED,
    AuditVerb.EVALUATION_RECORDED, AuditVerb.EVALUATION_CORRECTED,
)  # fmt: skip


def languages() -> list[str]:
    """The site's languages, the default first (the order the reasons are worded in)."""
    codes = [code for code, _name in settings.LANGUAGES]
    return sorted(codes, key=lambda code: code != settings.LANGUAGE_CODE)


def compute_claim(cpas, month: date, *, user=None, progress: Callable[[int], None] | None = None) -> ClaimRun:
    """Compute `cpas`'s claim of `month` and store it in place of the previous one (one transaction: a reader sees
    the old claim or the new one). The caller has set the CPAS for row-level security (jobs.services.in_cpas)."""
    month = month.replace(day=1)
    began, clock = timezone.now(), time.monotonic()
    words = languages()
    lines = subsidy_lines_in_languages(
        cpas, month, words, progress=(lambda done: progress(10 + 60 * done // len(words))) if progress else None
    )
    claimed = [line for line, _reasons in lines if line.status == CLAIMED]
    coverage = monthly_coverage(cpas, month.year, until=max(month, timezone.localdate()))
    year = year_coverage(cpas, month.year)
    with transaction.atomic():
        ClaimRun.objects.for_cpas(cpas).filter(month=month).delete()
        run = ClaimRun.objects.create(
            cpas=cpas,
            month=month,
            computed_at=timezone.now(),
            computed_by=user,
            data_as_of=began,
            lines=len(lines),
            claimed=len(claimed),
            claimed_amount=sum((line.amount for line in claimed), Decimal("0.00")),
            recoverable=sum(1 for line, _r in lines if line.status == RECOVERABLE),
            not_due=sum(1 for line, _r in lines if line.status == NOT_DUE),
            coverage=[
                {
                    "start": c.start.isoformat(),
                    "end": c.end.isoformat(),
                    "with_ri": c.with_ri,
                    "with_piis": c.with_piis,
                }
                for c in coverage
            ],  # fmt: skip
            year_coverage=year,
        )
        for first in range(0, len(lines), BATCH):
            ClaimLine.objects.bulk_create(
                [_stored(run, position, line, reasons) for position, (line, reasons) in
                 enumerate(lines[first : first + BATCH], start=first)]
            )  # fmt: skip
            if progress is not None:
                progress(70 + 29 * (first + BATCH) // max(len(lines), 1))
        run.seconds = Decimal(f"{time.monotonic() - clock:.2f}")
        run.save(update_fields=["seconds"])
    return run


def _stored(run: ClaimRun, position: int, line: SubsidyLine, reasons: dict[str, str]) -> ClaimLine:
    return ClaimLine(
        cpas_id=run.cpas_id,
        run=run,
        position=position,
        beneficiary_id=line.beneficiary_id,
        partner_id=line.partner_id,
        category=line.category,
        ri_granted=line.ri_granted,
        status=line.status,
        amount=line.amount,
        reasons=reasons,
        start=line.start,
        code=line.code,
        first_period_start=line.first_period.start if line.first_period else None,
        first_period_end=line.first_period.end if line.first_period else None,
        contract_id=line.contract_id,
        signed_on=line.signed_on,
        rate=line.rate,
    )


# --- reading a stored claim ------------------------------------------------------------------------------------


def stored_run(cpas, month: date) -> ClaimRun | None:
    return ClaimRun.objects.for_cpas(cpas).filter(month=month.replace(day=1)).first()


def run_coverage(run: ClaimRun) -> list[Coverage]:
    """The coverage rate month by month as computed with the claim."""
    return [
        Coverage(date.fromisoformat(c["start"]), date.fromisoformat(c["end"]), c["with_ri"], c["with_piis"])
        for c in run.coverage
    ]


def run_bonus_malus(run: ClaimRun) -> BonusMalus:
    return bonus_malus_of(run.month.year, run.year_coverage)


def is_out_of_date(cpas, run: ClaimRun) -> bool:
    """A change that the claim reads was recorded after its computation started (the audit trail's index on CPAS
    and time; the rows of the day, not the year)."""
    since = run.data_as_of or run.computed_at
    return AuditEvent.objects.filter(cpas=cpas, occurred_at__gt=since, verb__in=list(CHANGES)).exists()


def _name(person: Beneficiary | None) -> str:
    return f"{person.last_name} {person.first_name}" if person is not None else ""


def _reason(reasons: dict[str, str]) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    for code in (language, language.split("-")[0], settings.LANGUAGE_CODE):
        if code in reasons:
            return reasons[code]
    return next(iter(reasons.values()), "")


def as_line(row: ClaimLine) -> SubsidyLine:
    """The stored line as subsidy_lines gives it, its reason in the active language (names read from the files)."""
    first_period = (
        Period(row.first_period_start, row.first_period_end)
        if row.first_period_start is not None and row.first_period_end is not None
        else None
    )
    return SubsidyLine(
        beneficiary_id=row.beneficiary_id,
        name=_name(row.beneficiary),
        national_number=row.beneficiary.national_number,
        category=row.category,
        ri_granted=row.ri_granted,
        status=row.status,
        amount=row.amount,
        reason=_reason(row.reasons),
        start=row.start,
        code=row.code,
        first_period=first_period,
        contract_id=row.contract_id,
        signed_on=row.signed_on,
        partner_id=row.partner_id,
        partner_name=_name(row.partner),
        partner_national_number=row.partner.national_number if row.partner is not None else "",
        rate=row.rate,
    )


def _rows(cpas, run: ClaimRun, status: str | None = None):
    rows = ClaimLine.objects.for_cpas(cpas).filter(run=run).select_related("beneficiary", "partner")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("position")


def stored_lines(cpas, run: ClaimRun, *, status: str | None = None, offset: int = 0, limit: int | None = None):
    """The lines from `offset` (in the claim's order), `limit` of them (all when None), read from the table. Without
    a status the positions are the offsets (0, 1, … in order): a range of the (run, position) index, whatever the
    table's statistics say (a claim just stored has none yet); with one, the (run, status, position) index."""
    rows = _rows(cpas, run, status)
    if status:
        window = rows[offset : offset + limit] if limit is not None else rows[offset:]
    else:
        window = rows.filter(position__gte=offset)
        if limit is not None:
            window = window.filter(position__lt=offset + limit)
    return [as_line(row) for row in window]


def iter_stored_lines(cpas, run: ClaimRun, *, status: str | None = None) -> Iterator[SubsidyLine]:
    """Every line, read in chunks (the CSV of a CPAS of 90,000 files)."""
    for row in _rows(cpas, run, status).iterator(chunk_size=BATCH):
        yield as_line(row)


def claimed_lines(cpas, month: date) -> list[SubsidyLine]:
    """The month's claimed lines (the evidence ZIP of the month): the stored claim's, as the page shows them, or
    computed now for a month never computed."""
    run = stored_run(cpas, month)
    if run is None:
        return [line for line in subsidy_lines(cpas, month) if line.status == CLAIMED]
    return list(iter_stored_lines(cpas, run, status=CLAIMED))


class StoredLines(Sequence[SubsidyLine]):
    """The stored lines as Django's Paginator wants them: the count from the run (no COUNT over the table), a page
    read as one range of positions."""

    def __init__(self, cpas, run: ClaimRun):
        self.cpas, self.run = cpas, run

    def __len__(self) -> int:
        return self.run.lines

    @overload
    def __getitem__(self, index: int) -> SubsidyLine: ...

    @overload
    def __getitem__(self, index: slice) -> list[SubsidyLine]: ...

    def __getitem__(self, index: int | slice) -> SubsidyLine | list[SubsidyLine]:
        if isinstance(index, int):
            found = stored_lines(self.cpas, self.run, offset=index, limit=1)
            if not found:
                raise IndexError(index)
            return found[0]
        start = index.start or 0
        stop = self.run.lines if index.stop is None else index.stop
        return stored_lines(self.cpas, self.run, offset=start, limit=max(stop - start, 0))
