"""What one member may see of the observatory, and the dashboard built for them.

Directors see their CPAS, every team and every worker; a team lead sees the teams they lead and the workers of
those teams' files. Nobody sees their own row (never an individual score on one's own screen); social workers do
not reach the observatory at all (accounts.perms.can_view_observatory). Another CPAS's data never enters a figure:
`metrics.load` reads inside the member's CPAS only (and row-level security holds it there on PostgreSQL).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from piis.accounts.enums import Role
from piis.accounts.models import Team, User
from piis.contracts.reflection import legal_reflection_days
from piis.observatory import charts, metrics
from piis.observatory.metrics import FIGURES, THEMES, UNITS, Figure, Value
from piis.observatory.periods import Granularity, Period, last_periods


@dataclass(frozen=True)
class Scope:
    cpas: object
    viewer_id: int
    team_ids: frozenset[int] | None  # None: the whole CPAS
    label: str

    def includes(self, c: metrics.ContractFacts) -> bool:
        return self.team_ids is None or c.team in self.team_ids


def scope_for(membership) -> Scope:
    if membership.role == Role.DIRECTOR:
        return Scope(membership.cpas, membership.user_id, None, _("The whole CPAS"))
    teams = set(Team.objects.for_cpas(membership.cpas).filter(lead_id=membership.user_id).values_list("id", flat=True))
    if not teams and membership.team_id:
        teams = {membership.team_id}
    return Scope(membership.cpas, membership.user_id, frozenset(teams), _("Your teams"))


@dataclass
class Chart:
    key: str
    title: str
    unit: str
    figures: list[Figure]
    rows: list[tuple[Period, list[Value]]]
    svg: str = ""
    reference: tuple[str, Decimal] | None = None


@dataclass
class GroupRow:
    key: object
    label: str
    values: list[Value]


@dataclass
class Dashboard:
    scope: Scope
    granularity: Granularity
    periods: list[Period]
    charts: list[Chart]
    window: list[Value]  # the scope over the whole window, one per figure
    teams: list[GroupRow]
    workers: list[GroupRow]
    equity: list[dict] = field(default_factory=list)
    figures: tuple[Figure, ...] = FIGURES

    @property
    def start(self) -> date:
        return self.periods[0].start

    @property
    def end(self) -> date:
        return self.periods[-1].end


def _chart_groups() -> list[tuple[str, str, list[Figure]]]:
    groups: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    for figure in FIGURES:
        groups[(figure.theme, figure.unit)].append(figure)
    return [(f"{theme}-{unit}", theme, figures) for (theme, unit), figures in groups.items()]


def build_dashboard(membership, *, today: date, granularity: Granularity) -> Dashboard:
    scope = scope_for(membership)
    periods = last_periods(today, granularity)
    data = metrics.load(scope.cpas, start=periods[0].start, end=periods[-1].end, today=today)
    cells = metrics.tally(data, periods, include=scope.includes)
    whole = metrics.window_cells(cells)
    labels = [p.label for p in periods]

    charts_: list[Chart] = []
    for key, theme, figures in _chart_groups():
        unit = figures[0].unit
        rows = [(p, [f.of(cells.get((("all", None), i))) for f in figures]) for i, p in enumerate(periods)]
        title = f"{THEMES[theme]} ({UNITS[unit]})"
        chart = Chart(key, title, unit, figures, rows)
        if figures[0].key == "reflection_days":
            chart.reference = (_("legal period"), Decimal(legal_reflection_days(today)))
        chart.svg = charts.line_chart(
            chart_id=f"chart-{key}",
            title=title,
            labels=labels,
            series=[charts.Series(str(f.label), [row[1][n].shown for row in rows]) for n, f in enumerate(figures)],
            percent=unit == "percent",
            reference=chart.reference,
        )
        charts_.append(chart)

    window = [f.of(whole.get(("all", None))) for f in FIGURES]
    team_ids = sorted({k for (kind, k) in whole if kind == "team" and k is not None})
    team_names = dict(Team.objects.for_cpas(scope.cpas).filter(id__in=team_ids).values_list("id", "name"))
    teams = [
        GroupRow(pk, team_names.get(pk, "?"), [f.of(whole[("team", pk)]) for f in FIGURES])
        for pk in sorted(team_ids, key=lambda pk: team_names.get(pk, ""))
    ]
    if ("team", None) in whole:
        teams.append(GroupRow(None, _("Files without a team"), [f.of(whole[("team", None)]) for f in FIGURES]))
    # Nobody sees their own row.
    worker_ids = sorted({k for (kind, k) in whole if kind == "worker" and k is not None and k != scope.viewer_id})
    names = {
        u.pk: (u.get_full_name() or u.username)
        for u in User.objects.filter(id__in=worker_ids).only("id", "username", "first_name", "last_name")
    }
    workers = sorted(
        (GroupRow(pk, names.get(pk, "?"), [f.of(whole[("worker", pk)]) for f in FIGURES]) for pk in worker_ids),
        key=lambda row: row.label,
    )
    equity = []
    for n, figure in enumerate(FIGURES):
        w_low, w_high, w_spread = metrics.spread(row.values[n].shown for row in workers)
        t_low, t_high, t_spread = metrics.spread(row.values[n].shown for row in teams)
        equity.append(
            {
                "figure": figure,
                "value": window[n],
                "workers": (w_low, w_high, w_spread),
                "teams": (t_low, t_high, t_spread),
            }
        )
    return Dashboard(scope, granularity, periods, charts_, window, teams, workers, equity)
