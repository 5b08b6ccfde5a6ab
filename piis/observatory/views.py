"""The observatory page, its CSV exports, and the federal figures (R76, R77)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from piis.accounts.perms import can_export_federal_figures, can_view_observatory
from piis.audit.enums import AuditVerb
from piis.audit.services import record
from piis.core.decorators import cpas_permission_required
from piis.core.spreadsheet import csv_writer
from piis.jobs.enums import JobKind
from piis.jobs.selectors import recent_jobs
from piis.jobs.services import job_start
from piis.observatory import equity
from piis.observatory.forms import FederalPeriodForm
from piis.observatory.metrics import FIGURES, MIN_PEOPLE, UNITS, Value
from piis.observatory.periods import Granularity
from piis.observatory.perms import can_view_equity_between_cpas
from piis.observatory.selectors import build_dashboard
from piis.observatory.tasks import build_export

SUPPRESSED = "<5"


def _granularity(request) -> Granularity:
    try:
        return Granularity(request.GET.get("period", Granularity.MONTH))
    except ValueError:
        return Granularity.MONTH


def _cell(value: Value):
    if value.suppressed:
        return SUPPRESSED
    return "" if value.value is None else value.value


@cpas_permission_required(can_view_observatory)
def dashboard(request):
    granularity = _granularity(request)
    board = build_dashboard(request.membership, today=timezone.localdate(), granularity=granularity)
    record(
        actor=request.user,
        cpas=request.cpas,
        verb=AuditVerb.OBSERVATORY_OPENED,
        changes={"period": granularity.value, "teams": sorted(board.scope.team_ids or [])},
        context=request.get_full_path(),
    )
    between = equity.comparison_for(request.cpas) if board.scope.team_ids is None else None
    context = {
        "board": board,
        "between": between,
        "between_chart": equity.director_chart(between, own_label=_("Your CPAS")) if between else "",
        "units": UNITS,
        "min_people": MIN_PEOPLE,
        "granularities": [(Granularity.MONTH, _("By month")), (Granularity.QUARTER, _("By quarter"))],
        "can_export_federal": can_export_federal_figures(request.membership),
        "group_tables": [
            ("teams", board.teams, _("Per team")),
            ("workers", board.workers, _("Per social worker")),
        ],
    }
    return render(request, "observatory/dashboard.html", context)


@cpas_permission_required(can_view_observatory)
def export_csv(request, table: str):
    """One figure table as CSV: a chart's series, the teams, the workers, or the equity summary. Suppressed cells
    read "<5"."""
    granularity = _granularity(request)
    board = build_dashboard(request.membership, today=timezone.localdate(), granularity=granularity)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv_writer(response)
    chart = next((c for c in board.charts if c.key == table), None)
    if chart is not None:
        writer.writerow(["period", *[f.key for f in chart.figures]])
        for period, values in chart.rows:
            writer.writerow([period.code, *[_cell(v) for v in values]])
    elif table in ("teams", "workers"):
        writer.writerow([table[:-1], *[f.key for f in FIGURES]])
        for row in getattr(board, table):
            writer.writerow([row.label, *[_cell(v) for v in row.values]])
    elif table == "between-cpas" and board.scope.team_ids is None:
        between = equity.comparison_for(request.cpas)
        writer.writerow(["figure", "your_cpas", "cpas_count", "q1", "median", "q3", "quarter"])
        for item in between.lines:
            spread = item.spread
            writer.writerow(
                [item.figure.key, _cell(item.own) if item.own else "", spread.count if spread else "",
                 *([spread.q1, spread.median, spread.q3] if spread else ["", "", ""]), item.quarter or ""]
            )  # fmt: skip
    elif table == "equity":
        writer.writerow(
            ["figure", "scope", "workers_lowest", "workers_highest", "workers_spread", "teams_lowest",
             "teams_highest", "teams_spread"]
        )  # fmt: skip
        for line in board.equity:
            writer.writerow(
                [line["figure"].key, _cell(line["value"]), *[v if v is not None else "" for v in line["workers"]],
                 *[v if v is not None else "" for v in line["teams"]]]
            )  # fmt: skip
    else:
        raise Http404
    record(
        actor=request.user,
        cpas=request.cpas,
        verb=AuditVerb.OBSERVATORY_EXPORTED,
        changes={"table": table, "period": granularity.value},
        context=request.get_full_path(),
    )
    name = f"observatory-{table}-{board.start:%Y%m}-{board.end:%Y%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@cpas_permission_required(can_export_federal_figures)
def federal_page(request):
    form = FederalPeriodForm(request.GET or None, today=timezone.localdate())
    return render(request, "observatory/federal.html", {"form": form})


def _federal_export(request, kind: JobKind):
    """R76/R77 over every agreement of a half-year: seconds on a big CPAS, so built in the background
    (observatory.builds). The federal page's form (GET) lands here on a page that offers the preparation; its
    button (POST) starts the build and leads to its progress, then its download (audited there)."""
    form = FederalPeriodForm(request.POST if request.method == "POST" else request.GET, today=timezone.localdate())
    if not form.is_valid():
        return render(request, "observatory/federal.html", {"form": form}, status=400)
    start, end = form.period()
    if request.method == "POST":
        params = {"start": start.isoformat(), "end": end.isoformat(), "code": form.code(),
                  "generated_on": timezone.localdate().isoformat(), "language": request.LANGUAGE_CODE}  # fmt: skip
        job = job_start(cpas=request.cpas, user=request.user, kind=kind, params=params, task=build_export)
        return redirect("observatory:export_status", job_id=job.pk)
    recent = [job for job in recent_jobs(request.cpas, [kind], limit=5) if job.params.get("code") == form.code()]
    context = {"form": form, "kind": kind, "kind_label": JobKind(kind).label, "code": form.code(), "recent": recent}
    return render(request, "observatory/federal_export.html", context)


@cpas_permission_required(can_export_federal_figures)
def federal_statistics(request):
    """R76: the PIIS type and measures per beneficiary for one half-year, as CSV (built in the background)."""
    return _federal_export(request, JobKind.FEDERAL_STATISTICS)


@cpas_permission_required(can_export_federal_figures)
def federal_exchange(request):
    """R77: the agreements and evaluations of one half-year in the exchange format (docs/federal-exports.md), built
    in the background."""
    return _federal_export(request, JobKind.FEDERAL_EXCHANGE)


def _federal_cell(value: Value | None) -> object:
    return "" if value is None else _cell(value)


def _plain(number) -> object:
    return "" if number is None else number


@cpas_permission_required(can_view_equity_between_cpas)
def between_cpas(request):
    """The SPP IS's table: every CPAS's figures, by name, and the spread of each figure over all CPAS."""
    table = equity.federal_table()
    record(
        actor=request.user,
        cpas=request.cpas,
        verb=AuditVerb.OBSERVATORY_OPENED,
        changes={"view": "between_cpas"},
        context=request.get_full_path(),
    )
    context = {"table": table, "chart": equity.federal_chart(table), "figures": FIGURES, "units": UNITS,
               "min_people": MIN_PEOPLE}  # fmt: skip
    return render(request, "observatory/between_cpas.html", context)


@cpas_permission_required(can_view_equity_between_cpas)
def between_cpas_csv(request):
    table = equity.federal_table()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv_writer(response)
    writer.writerow(["cpas", *[f.key for f in FIGURES]])
    for name, values in table.cpas:
        writer.writerow([name, *[_federal_cell(v) for v in values]])
    for label, attribute in (("lowest", "lowest"), ("q1", "q1"), ("median", "median"), ("q3", "q3"),
                             ("highest", "highest"), ("gap", "gap")):  # fmt: skip
        writer.writerow([f"[{label}]", *[_plain(getattr(s, attribute)) for s in table.spreads]])
    record(
        actor=request.user,
        cpas=request.cpas,
        verb=AuditVerb.OBSERVATORY_EXPORTED,
        changes={"table": "between_cpas"},
        context=request.get_full_path(),
    )
    stamp = f"{table.computed_on:%Y%m%d}" if table.computed_on else "none"
    response["Content-Disposition"] = f'attachment; filename="observatory-between-cpas-{stamp}.csv"'
    return response
