"""The reports pages: the monthly subsidy claim (R68–R71, R73) with its CSV and the coverage rate, the evidence of
each claimed line for the SPP IS inspector (R74) with its ZIP, and the annual global evaluation (R50) with its PDF
and CSV. Every figure comes from piis.reports.subsidy and piis.reports.annual; reads of people are audited."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from piis.audit.enums import AuditVerb
from piis.audit.services import record_people_shown
from piis.core.decorators import cpas_permission_required
from piis.core.deferred import AfterCommit
from piis.core.errors import ServiceError
from piis.jobs.enums import JobKind
from piis.jobs.selectors import recent_jobs
from piis.reports import claims, exports
from piis.reports.builds import allowed_kinds, annual_pdf_html, annual_with_charts, coverage_chart
from piis.reports.perms import (
    can_compute_subsidy_claim,
    can_view_annual_report,
    can_view_reports,
    can_view_subsidy_claim,
    can_view_subsidy_evidence,
)
from piis.reports.subsidy import (
    SubsidyLine,
    evidence_for,
    monthly_coverage,
    subsidy_line_for,
)

CLAIM_PAGE_SIZE = 50  # lines of the claim page; the CSV has them all
FIRST_YEAR = 2016  # the special PIIS subsidy exists since the 2016 reform (R68)


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= timezone.localdate().year + 1:
        raise Http404
    return year


def _month(year: int, month: int) -> date:
    if not 1 <= month <= 12:
        raise Http404
    return date(_year(year), month, 1)


@cpas_permission_required(can_view_reports)
def index(request):
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    months = []
    cursor = today.replace(day=1)
    for _step in range(12):
        months.append(cursor)
        cursor = (cursor - timedelta(days=1)).replace(day=1)
    context = {
        "months": months if can_view_subsidy_claim(request.membership) else [],
        "last_month": last_month,
        "years": list(range(today.year, max(FIRST_YEAR, today.year - 4) - 1, -1))
        if can_view_annual_report(request.membership)
        else [],
        # the reports being built or built in the background (reports.builds), of the kinds this role may read
        "builds": recent_jobs(request.cpas, allowed_kinds(request.membership)),
    }
    return render(request, "reports/index.html", context)


def _claim_state(request, day: date) -> dict:
    """The stored claim of the month (reports.claims), when it was computed, whether it may be out of date, and the
    computation under way if one was started."""
    run = claims.stored_run(request.cpas, day)
    running = next(
        (
            job
            for job in recent_jobs(request.cpas, [JobKind.CLAIM_RUN], limit=5)
            if not job.is_finished and job.params.get("year") == day.year and job.params.get("month") == day.month
        ),
        None,
    )
    return {
        "run": run,
        "out_of_date": run is not None and claims.is_out_of_date(request.cpas, run),
        "computing": running,
        "can_compute": can_compute_subsidy_claim(request.membership),
    }


@cpas_permission_required(can_view_subsidy_claim)
def subsidy_claim(request, year: int, month: int):
    """The month's claim as it was last computed and stored: the totals and a page of lines read from the table
    (never every line of the CPAS per request). A month never computed says so and offers the computation."""
    day = _month(year, month)
    state = _claim_state(request, day)
    run = state["run"]
    page: Page[SubsidyLine] | None = None
    if run is not None:
        # A page of lines (a phone, a CPAS of thousands); the totals are the run's, over every line of the month.
        page = Paginator(claims.StoredLines(request.cpas, run), CLAIM_PAGE_SIZE).get_page(request.GET.get("page"))
        record_people_shown(
            actor=request.user,
            cpas=request.cpas,
            beneficiary_ids=[pk for line in page for pk in line.beneficiary_ids],
            context=request.get_full_path(),
            verb=AuditVerb.SUBSIDY_CLAIM_OPENED,
        )
    # The coverage rate as computed with the claim (reading the year's decisions and PIIS costs more than the page).
    coverage = claims.run_coverage(run) if run is not None else []
    previous = (day - timedelta(days=1)).replace(day=1)
    following = (day + timedelta(days=32)).replace(day=1)
    context = {
        **state,
        "month": day,
        "lines": page.object_list if page is not None else [],
        "page": page,
        "totals": run,
        "coverage": coverage,
        "coverage_chart": coverage_chart(coverage) if coverage else "",
        "bonus_malus": claims.run_bonus_malus(run) if run is not None else None,
        "can_see_evidence": can_view_subsidy_evidence(request.membership),
        "previous": previous if previous.year >= FIRST_YEAR else None,
        "following": following if following.year <= timezone.localdate().year + 1 else None,
    }
    return render(request, "reports/subsidy_claim.html", context)


@cpas_permission_required(can_view_subsidy_claim)
def subsidy_claim_csv(request, year: int, month: int):
    """Every stored line of the month (read in chunks from the table); a month never computed goes back to the page,
    which offers the computation."""
    day = _month(year, month)
    run = claims.stored_run(request.cpas, day)
    if run is None:
        messages.info(request, _("The claim of this month has not been computed yet: compute it first."))
        return redirect("reports:subsidy_claim", year=year, month=month)
    lines = list(claims.iter_stored_lines(request.cpas, run))
    record_people_shown(
        actor=request.user,
        cpas=request.cpas,
        beneficiary_ids=[pk for line in lines for pk in line.beneficiary_ids],
        context=request.get_full_path(),
        verb=AuditVerb.SUBSIDY_CLAIM_EXPORTED,
    )
    return exports.csv_response(
        exports.claim_rows(request.cpas, day, lines), f"piis-subsidy-{request.cpas.nis_code}-{day:%Y-%m}.csv"
    )


@cpas_permission_required(can_view_subsidy_claim)
def coverage_csv(request, year: int):
    coverage = monthly_coverage(request.cpas, _year(year))
    return exports.csv_response(exports.coverage_rows(coverage), f"piis-coverage-{request.cpas.nis_code}-{year}.csv")


def _claimed_line(request, year: int, month: int, beneficiary_id: int):
    line = subsidy_line_for(request.cpas, _month(year, month), beneficiary_id)
    if line is None:  # not a person with an RI of this CPAS that month: as for any object outside the CPAS
        raise Http404
    return line


@cpas_permission_required(can_view_subsidy_evidence)
def evidence(request, year: int, month: int, beneficiary_id: int):
    line = _claimed_line(request, year, month, beneficiary_id)
    people = evidence_for(request.cpas, line)
    record_people_shown(
        actor=request.user,
        cpas=request.cpas,
        beneficiary_ids=line.beneficiary_ids,
        context=request.get_full_path(),
        verb=AuditVerb.SUBSIDY_EVIDENCE_OPENED,
    )
    context = {"month": _month(year, month), "line": line, "people": people}
    return render(request, "reports/evidence.html", context)


def _zip_response_later(build: exports.Bundle, *, request, beneficiary_ids) -> AfterCommit:
    actor, cpas, path = request.user, request.cpas, request.get_full_path()

    def work() -> bytes:
        return exports.finish_bundle(build)

    def finish(content: bytes) -> HttpResponse:
        record_people_shown(
            actor=actor, cpas=cpas, beneficiary_ids=beneficiary_ids, context=path,
            verb=AuditVerb.SUBSIDY_EVIDENCE_EXPORTED,
        )  # fmt: skip
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{build.filename}"'
        return response

    return AfterCommit(work, finish)


@cpas_permission_required(can_view_subsidy_evidence)
def evidence_bundle(request, year: int, month: int, beneficiary_id: int):
    """One line's evidence as a ZIP: a manifest, the records as JSON and the signed PIIS as PDFs (laid out after
    the request's transaction)."""
    day = _month(year, month)
    line = _claimed_line(request, year, month, beneficiary_id)
    build = exports.build_bundle(request.cpas, day, [line], actor=request.user, with_pdfs=True)
    return _zip_response_later(build, request=request, beneficiary_ids=line.beneficiary_ids)


@cpas_permission_required(can_view_subsidy_evidence)
def month_bundle(request, year: int, month: int):
    """Every claimed line's evidence of the month as one ZIP (records and manifest; the PDFs per line)."""
    day = _month(year, month)
    lines = claims.claimed_lines(request.cpas, day)
    build = exports.build_bundle(request.cpas, day, lines, actor=request.user, with_pdfs=False)
    return _zip_response_later(
        build, request=request, beneficiary_ids=[pk for li in lines for pk in li.beneficiary_ids]
    )


def _annual(request, year: int):
    return annual_with_charts(request.cpas, _year(year))


@cpas_permission_required(can_view_annual_report)
def annual(request, year: int):
    report, charts = _annual(request, year)
    context = {
        "report": report,
        "sections": [(s, charts.get(s.key)) for s in report.sections],
        "coverage_chart": coverage_chart(report.coverage),
        "years": [y for y in (year - 1, year + 1) if FIRST_YEAR <= y <= timezone.localdate().year],
    }
    return render(request, "reports/annual.html", context)


@cpas_permission_required(can_view_annual_report)
def annual_csv(request, year: int):
    report, _charts = _annual(request, year)
    return exports.csv_response(exports.annual_rows(report), f"piis-annual-{request.cpas.nis_code}-{year}.csv")


@cpas_permission_required(can_view_annual_report)
def annual_pdf(request, year: int):
    """The report the council adopts, as a PDF laid out after the request's transaction (core.deferred)."""
    html = annual_pdf_html(request.cpas, _year(year))
    cpas = request.cpas

    def work():
        from piis.contracts.pdf import html_to_pdf

        try:
            return html_to_pdf(html)
        except ServiceError as error:
            return error

    def finish(result):
        if isinstance(result, ServiceError):
            return redirect("reports:annual", year=year)
        response = HttpResponse(result, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="piis-annual-{cpas.nis_code}-{year}.pdf"'
        return response

    return AfterCommit(work, finish)
