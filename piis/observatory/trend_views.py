"""The comparison between CPAS over time (observatory.equity): the director's CPAS quarter by quarter beside the
quartiles of all CPAS (none named), and the SPP IS's every CPAS named, quarter by quarter; each as a page (an SVG chart
per figure with its numbers in a table beside it) and a CSV. They read only the stored aggregates (CpasFigure)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from piis.audit.enums import AuditVerb
from piis.audit.services import record
from piis.core.decorators import cpas_permission_required
from piis.core.spreadsheet import csv_writer
from piis.observatory import equity
from piis.observatory.metrics import FIGURES, FIGURES_BY_KEY, MIN_PEOPLE, UNITS, Value
from piis.observatory.perms import can_view_cpas_among_all, can_view_equity_between_cpas

SUPPRESSED = "<5"


def _cell(value: Value | None) -> object:
    if value is None:
        return ""
    if value.suppressed:
        return SUPPRESSED
    return "" if value.value is None else value.value


def _plain(number) -> object:
    return "" if number is None else number


def _opened(request, view: str, **changes) -> None:
    record(
        actor=request.user,
        cpas=request.cpas,
        verb=AuditVerb.OBSERVATORY_OPENED,
        changes={"view": view, **changes},
        context=request.get_full_path(),
    )


def _exported(request, table: str) -> None:
    record(
        actor=request.user,
        cpas=request.cpas,
        verb=AuditVerb.OBSERVATORY_EXPORTED,
        changes={"table": table},
        context=request.get_full_path(),
    )


def _stamp(periods) -> str:
    return f"{periods[0].code}-{periods[-1].code}" if periods else "none"


@cpas_permission_required(can_view_cpas_among_all)
def among_cpas(request):
    """The director's CPAS among all CPAS, quarter by quarter: per figure, their value beside the quartiles."""
    history = equity.history_for(request.cpas)
    own_label = _("Your CPAS")
    trends = [(trend, equity.director_trend_chart(trend, own_label=own_label)) for trend in history.trends]
    _opened(request, "among_cpas")
    context = {"history": history, "trends": trends, "units": UNITS, "min_people": MIN_PEOPLE}
    return render(request, "observatory/among_cpas.html", context)


@cpas_permission_required(can_view_cpas_among_all)
def among_cpas_csv(request):
    """One row per quarter and figure: the CPAS's value, the number of CPAS compared, the quartiles and its quarter
    (empty where fewer than MIN_CPAS CPAS have a value). No other CPAS appears."""
    history = equity.history_for(request.cpas)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv_writer(response)
    writer.writerow(["period", "figure", "your_cpas", "cpas_count", "q1", "median", "q3", "quarter"])
    for trend in history.trends:
        for point in trend.points:
            spread = point.spread
            numbers = [spread.count, spread.q1, spread.median, spread.q3] if spread else ["", "", "", ""]
            writer.writerow([point.period.code, trend.figure.key, _cell(point.own), *numbers, point.quarter or ""])
    _exported(request, "among_cpas")
    response["Content-Disposition"] = f'attachment; filename="observatory-among-cpas-{_stamp(history.periods)}.csv"'
    return response


@cpas_permission_required(can_view_equity_between_cpas)
def between_cpas_over_time(request):
    """The SPP IS's view of one figure over the quarters: every CPAS named, and the spread each quarter."""
    figure = FIGURES_BY_KEY.get(request.GET.get("figure", ""), FIGURES[0])
    history = equity.federal_history(figure)
    footer = [
        (_("Lowest"), [s.lowest for s in history.spreads]),
        (_("First quartile"), [s.q1 for s in history.spreads]),
        (_("Median"), [s.median for s in history.spreads]),
        (_("Third quartile"), [s.q3 for s in history.spreads]),
        (_("Highest"), [s.highest for s in history.spreads]),
        (_("Gap"), [s.gap for s in history.spreads]),
    ]
    _opened(request, "between_cpas_over_time", figure=figure.key)
    context = {
        "history": history,
        "figure": figure,
        "figures": FIGURES,
        "chart": equity.federal_trend_chart(history) if history.periods else "",
        "columns": [{"label": period.label, "unit": figure.unit} for period in history.periods],
        "footer": footer,
        "units": UNITS,
        "min_people": MIN_PEOPLE,
    }
    return render(request, "observatory/between_cpas_over_time.html", context)


@cpas_permission_required(can_view_equity_between_cpas)
def between_cpas_over_time_csv(request):
    """Every CPAS named, one row per CPAS and quarter with every figure ("<5" where suppressed), then per quarter the
    spread rows [lowest], [q1], [median], [q3], [highest], [gap]."""
    histories = [equity.federal_history(figure) for figure in FIGURES]
    periods = histories[0].periods
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv_writer(response)
    writer.writerow(["period", "cpas", *[f.key for f in FIGURES]])
    # Every CPAS has a row for every figure of a quarter it was computed for: the CPAS come in the same order.
    for p, period in enumerate(periods):
        for n, (name, _values) in enumerate(histories[0].cpas):
            writer.writerow([period.code, name, *[_cell(h.cpas[n][1][p]) for h in histories]])
        for label in ("lowest", "q1", "median", "q3", "highest", "gap"):
            writer.writerow([period.code, f"[{label}]", *[_plain(getattr(h.spreads[p], label)) for h in histories]])
    _exported(request, "between_cpas_over_time")
    response["Content-Disposition"] = f'attachment; filename="observatory-between-cpas-{_stamp(periods)}.csv"'
    return response
