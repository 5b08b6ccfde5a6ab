"""The observatory's exports that take seconds on a big CPAS, built in the background (Django's task framework,
observatory.tasks, as reports.builds does for the reports): the federal statistics of a half-year as CSV (R76) and
the agreements and evaluations of a half-year in the exchange format (R77). The export route starts a build
(export_views.export_start), shows its progress (export_views.export_status, refreshed by htmx) and serves its file
(export_views.export_download): only inside the same CPAS, to the director, audited as the synchronous export was
(the people the file names).

Every build reads the CPAS's data in one short transaction with the CPAS set for row-level security
(jobs.services.in_cpas)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import translation

from piis.accounts.models import Cpas
from piis.accounts.perms import can_export_federal_figures
from piis.audit.enums import AuditVerb
from piis.core.spreadsheet import csv_writer
from piis.jobs.enums import JobKind
from piis.jobs.models import Job
from piis.jobs.services import JobOutput, Progress, in_cpas
from piis.observatory import federal


@dataclass(frozen=True)
class ExportKind:
    """What the observatory serves of one job kind: who may start and download it, how a download is audited."""

    allowed: Any
    audit_verb: AuditVerb


KINDS = {
    JobKind.FEDERAL_STATISTICS: ExportKind(can_export_federal_figures, AuditVerb.FEDERAL_STATISTICS_EXPORTED),
    JobKind.FEDERAL_EXCHANGE: ExportKind(can_export_federal_figures, AuditVerb.FEDERAL_EXCHANGE_EXPORTED),
}


def allowed_kinds(membership) -> list[str]:
    return [kind for kind, spec in KINDS.items() if spec.allowed(membership)]


def period_of(job: Job) -> tuple[date, date]:
    return date.fromisoformat(job.params["start"]), date.fromisoformat(job.params["end"])


def _statistics(job: Job, progress: Progress) -> JobOutput:
    start, end = period_of(job)
    with in_cpas(job.cpas_id):
        cpas = Cpas.objects.get(pk=job.cpas_id)
        rows = federal.statistics_rows(cpas, start=start, end=end)
    progress(80)
    buffer = _Text()
    writer = csv_writer(buffer, delimiter=";")
    writer.writerow(federal.STATISTICS_COLUMNS)
    writer.writerows(row.cells() for row in rows)
    return JobOutput(
        buffer.value().encode("utf-8"),
        f"piis-statistics-{job.params['code']}.csv",
        "text/csv",
        [row.beneficiary_id for row in rows],
    )


def _exchange(job: Job, progress: Progress) -> JobOutput:
    start, end = period_of(job)
    with in_cpas(job.cpas_id):
        cpas = Cpas.objects.get(pk=job.cpas_id)
        document, people = federal.exchange_document(
            cpas, start=start, end=end, generated_on=date.fromisoformat(job.params["generated_on"])
        )
    progress(80)
    content = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    return JobOutput(content, f"piis-exchange-{job.params['code']}.json", "application/json", list(people))


class _Text:
    """A text buffer csv_writer writes into (as an HttpResponse is written)."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def value(self) -> str:
        return "".join(self.parts)


BUILDERS = {JobKind.FEDERAL_STATISTICS: _statistics, JobKind.FEDERAL_EXCHANGE: _exchange}


def build(job: Job, progress: Progress) -> JobOutput:
    """The file of `job`, in the language of the person who started it."""
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        return BUILDERS[JobKind(job.kind)](job, progress)
