"""The reports that take seconds on a big CPAS, built in the background (Django's task framework, reports.tasks):
the annual report as a PDF, the month's subsidy claim as CSV and the month's evidence for the inspector as a ZIP
(with the signed PIIS as PDFs, which the page's own ZIP leaves out for time). The page starts a build
(views.build_start), shows its progress (views.build_status, refreshed by htmx) and serves its file
(views.build_download): only inside the same CPAS, to a role that may read that report, audited as the same export
made on the page.

Every build reads the CPAS's data in short transactions with the CPAS set for row-level security
(jobs.services.in_cpas) and lays out its PDFs outside any transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from piis.accounts.models import Cpas
from piis.audit.enums import AuditVerb
from piis.contracts.tasks import signed_pdf
from piis.jobs.enums import JobKind
from piis.jobs.models import Job
from piis.jobs.services import JobOutput, Progress, in_cpas
from piis.reports import claims, exports
from piis.reports.annual import annual_report
from piis.reports.charts import bar_chart, column_chart
from piis.reports.perms import (
    can_compute_subsidy_claim,
    can_view_annual_report,
    can_view_subsidy_claim,
    can_view_subsidy_evidence,
)
from piis.reports.subsidy import subsidy_lines


def coverage_chart(coverage):
    rows = [(date_format(c.start, "M"), c.percent) for c in coverage]
    return column_chart(rows, title=_("Share of people with an RI who have a PIIS, month by month (%)"))


def annual_with_charts(cpas, year: int):
    report = annual_report(cpas, year)
    charts = {
        s.key: bar_chart([(f.label, f.value) for f in s.chart_figures if f.value is not None], title=s.title)
        for s in report.sections
        if s.chart and s.chart_figures
    }
    return report, charts


def annual_pdf_html(cpas, year: int) -> str:
    report, charts = annual_with_charts(cpas, year)
    return render_to_string(
        "reports/pdf/annual.html",
        {
            "report": report,
            "sections": [(s, charts.get(s.key)) for s in report.sections],
            "coverage_chart": coverage_chart(report.coverage),
            "generated": timezone.localtime(),
        },
    )


@dataclass(frozen=True)
class BuildKind:
    """What the reports app serves of one job kind: who may start, follow and download it, and how a download is
    audited (None: the file names nobody, as the annual report's counts)."""

    allowed: Any
    audit_verb: AuditVerb | None
    monthly: bool


KINDS = {
    JobKind.ANNUAL_PDF: BuildKind(can_view_annual_report, None, monthly=False),
    JobKind.CLAIM_CSV: BuildKind(can_view_subsidy_claim, AuditVerb.SUBSIDY_CLAIM_EXPORTED, monthly=True),
    JobKind.MONTH_BUNDLE: BuildKind(can_view_subsidy_evidence, AuditVerb.SUBSIDY_EVIDENCE_EXPORTED, monthly=True),
    # The month's claim computed and stored (reports.claims): no file, the claim page reads it.
    JobKind.CLAIM_RUN: BuildKind(can_compute_subsidy_claim, None, monthly=True),
}


def allowed_kinds(membership) -> list[str]:
    return [kind for kind, spec in KINDS.items() if spec.allowed(membership)]


def _cpas(job: Job) -> Cpas:
    return Cpas.objects.get(pk=job.cpas_id)


def _month(job: Job) -> date:
    return date(int(job.params["year"]), int(job.params["month"]), 1)


def _annual_pdf(job: Job, progress: Progress) -> JobOutput:
    from piis.contracts.pdf import html_to_pdf

    year = int(job.params["year"])
    with in_cpas(job.cpas_id):
        cpas = _cpas(job)
        html = annual_pdf_html(cpas, year)
    progress(40)
    content = html_to_pdf(html, timeout=settings.TASK_PDF_RENDER_TIMEOUT)
    return JobOutput(content, f"piis-annual-{cpas.nis_code}-{year}.pdf", "application/pdf")


def _claim_csv(job: Job, progress: Progress) -> JobOutput:
    day = _month(job)
    with in_cpas(job.cpas_id):
        cpas = _cpas(job)
        run = claims.stored_run(cpas, day)  # the stored claim, as the page shows it; computed here when never stored
        lines = list(claims.iter_stored_lines(cpas, run)) if run is not None else subsidy_lines(cpas, day)
        content = exports.csv_bytes(exports.claim_rows(cpas, day, lines))
    return JobOutput(
        content,
        f"piis-subsidy-{cpas.nis_code}-{day:%Y-%m}.csv",
        "text/csv",
        [pk for line in lines for pk in line.beneficiary_ids],
    )


def _signed_pdf(version) -> bytes:
    content = signed_pdf(version.pk, version.cpas_id)
    if content is None:
        raise ValueError(_("This version is too long to be printed."))
    return content


def _month_bundle(job: Job, progress: Progress) -> JobOutput:
    day = _month(job)
    with in_cpas(job.cpas_id):
        cpas = _cpas(job)
        lines = claims.claimed_lines(cpas, day)
        progress(10)
        bundle = exports.build_bundle(cpas, day, lines, actor=job.requested_by, with_pdfs=True, render_pdf=_signed_pdf)
    progress(20)
    content = exports.finish_bundle(bundle, progress=lambda done, total: progress(20 + 75 * done // total))
    return JobOutput(
        content, bundle.filename, "application/zip", [pk for line in lines for pk in line.beneficiary_ids]
    )


def _claim_run(job: Job, progress: Progress) -> None:
    """The month's claim, every line computed and stored in place of the previous computation."""
    day = _month(job)
    with in_cpas(job.cpas_id):
        claims.compute_claim(_cpas(job), day, user=job.requested_by, progress=progress)
    return None


BUILDERS: dict[JobKind, Any] = {
    JobKind.CLAIM_RUN: _claim_run,
    JobKind.ANNUAL_PDF: _annual_pdf,
    JobKind.CLAIM_CSV: _claim_csv,
    JobKind.MONTH_BUNDLE: _month_bundle,
}


def build(job: Job, progress: Progress) -> JobOutput | None:
    """The file of `job`, in the language of the person who started it."""
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        return BUILDERS[JobKind(job.kind)](job, progress)
