"""The observatory page, its CSV exports, and the federal figures (R76, R77)."""

from __future__ import annotations

import json

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from piis.accounts.perms import can_export_federal_figures, can_view_observatory
from piis.audit.enums import AuditVerb
from piis.audit.services import record, record_people_shown
from piis.core.decorators import cpas_permission_required
from piis.core.spreadsheet import csv_writer
from piis.observatory import equity, federal
from piis.observatory.forms import FederalPeriodForm
from piis.observatory.metrics import FIGURES, MIN_PEOPLE, UNITS, Value
from piis.observatory.periods import Granularity
from piis.observatory.perms import can_view_equity_between_cpas
from piis.observatory.selectors import build_dashboard

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


@cpas_permission_required(can_export_federal_figures)
def federal_statistics(request):
    """R76: the PIIS type and measures per beneficiary for one half-year, as CSV."""
    form = FederalPeriodForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        return render(request, "observatory/federal.html", {"form": form}, status=400)
    start, end = form.period()
    rows = federal.statistics_rows(request.cpas, start=start, end=end)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv_writer(response, delimiter=";")
    writer.writerow(federal.STATISTICS_COLUMNS)
    writer.writerows(row.cells() for row in rows)
    record_people_shown(
        actor=request.user,
        cpas=request.cpas,
        beneficiary_ids=[row.beneficiary_id for row in rows],
        context=request.get_full_path(),
        verb=AuditVerb.FEDERAL_STATISTICS_EXPORTED,
    )
    response["Content-Disposition"] = f'attachment; filename="piis-statistics-{form.code()}.csv"'
    return response


@cpas_permission_required(can_export_federal_figures)
def federal_exchange(request):
    """R77: the agreements and evaluations of one half-year in the exchange format (docs/federal-exports.md)."""
    form = FederalPeriodForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        return render(request, "observatory/federal.html", {"form": form}, status=400)
    start, end = form.period()
    document, people = federal.exchange_document(request.cpas, start=start, end=end, generated_on=timezone.localdate())
    record_people_shown(
        actor=request.user,
        cpas=request.cpas,
        beneficiary_ids=people,
        context=request.get_full_path(),
        verb=AuditVerb.FEDERAL_EXCHANGE_EXPORTED,
    )
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="piis-exchange-{form.code()}.json"'
    return response


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
