"""Equity between CPAS over time (issue 14): each CPAS's figures stored per quarter, each over the twelve months
ending with it, backfilled with --since and overwritten by a second run; the director's CPAS quarter by quarter beside
the quartiles of all CPAS (none named, no distribution over fewer than MIN_CPAS CPAS, suppressed values never shown);
the SPP IS's every CPAS named, per quarter. A known data set: every stored figure, quartile and suppression checked."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from piis.accounts.enums import Role
from piis.audit.models import AuditEvent
from piis.contracts.models import Contract
from piis.observatory import equity, metrics
from piis.observatory.metrics import FIGURES
from piis.observatory.models import CpasFigure
from piis.observatory.periods import Granularity, last_periods
from tests.factories import make_cpas, make_member
from tests.observatory.builders import TODAY, D, known_world

pytestmark = pytest.mark.django_db
KEYS = [f.key for f in FIGURES]


def stored(cpas, period: str) -> dict:
    return {r.figure: (r.value, r.suppressed, r.people) for r in CpasFigure.objects.filter(cpas=cpas, period=period)}


def direct(cpas, period_code: str) -> list:
    """The figures over the quarter's twelve months computed on their own: one load and tally over that window (the
    dashboard's whole-CPAS way), to compare with the backfill's one load merged per quarter."""
    quarter = equity.quarter_from_code(period_code)
    start, end = equity.window_of(quarter)
    months = last_periods(end, Granularity.MONTH, 12)
    assert months[0].start == start
    data = metrics.load(cpas, start=start, end=end, today=TODAY)
    cell = metrics.window_cells(metrics.tally(data, months)).get(("all", None))
    return [(v.shown, v.suppressed, v.people) for v in (f.of(cell) for f in FIGURES)]


def test_a_backfill_stores_each_quarter_over_its_twelve_months(cpas_a):
    """CPAS A's plain known world, three of its eight PIIS concluded in May 2025 instead of February 2026."""
    world = known_world(cpas_a)
    shifted = [row[0].pk for row in world["rows"][5:]]
    Contract.objects.filter(pk__in=shifted).update(signed_on=D(2025, 5, 10))
    call_command("compute_equity", f"--date={TODAY.isoformat()}", "--since=2025-04-01", stdout=io.StringIO())
    codes = ["2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    assert sorted(set(CpasFigure.objects.values_list("period", flat=True))) == codes
    assert CpasFigure.objects.count() == len(codes) * len(FIGURES)
    windows = {code: (r.start, r.end) for code in codes for r in CpasFigure.objects.filter(period=code)[:1]}
    assert windows == {
        "2025-Q2": (D(2024, 7, 1), D(2025, 6, 30)),
        "2025-Q3": (D(2024, 10, 1), D(2025, 9, 30)),
        "2025-Q4": (D(2025, 1, 1), D(2025, 12, 31)),
        "2026-Q1": (D(2025, 4, 1), D(2026, 3, 31)),
        "2026-Q2": (D(2025, 7, 1), D(2026, 6, 30)),
    }
    # Every figure of every quarter is the one computed over that window alone.
    for code in codes:
        got = stored(cpas_a, code)
        assert [got[k] for k in KEYS] == direct(cpas_a, code), code
    # By hand: in 2025 only the three shifted PIIS were concluded: suppressed, their values not stored.
    for code in ("2025-Q2", "2025-Q3", "2025-Q4"):
        got = stored(cpas_a, code)
        assert got["proposed_by_person"] == (None, True, 3)
        assert got["sanctions_per_100"] == (None, True, 3)  # three PIIS in force
        assert got["cpas_on_time"] == (None, False, 0)  # no commitment due before March 2026
    # The twelve months to March 2026 hold all eight; those to June 2026 the five concluded since July 2025, and
    # all eight PIIS in force and commitments due (March 2026).
    q1, q2 = stored(cpas_a, "2026-Q1"), stored(cpas_a, "2026-Q2")
    assert q1["proposed_by_person"] == (Decimal("50.0"), False, 8)
    assert q2["proposed_by_person"] == (Decimal("50.0"), False, 5)
    assert (q1["reflection_days"], q2["reflection_days"]) == ((Decimal("8.0"), False, 8), (Decimal("8.0"), False, 5))
    assert q2["cpas_on_time"] == (Decimal("0.0"), False, 8)
    assert q2["sanctions_per_100"] == (Decimal("0.0"), False, 8)
    assert q1["template_share"][0] == q2["template_share"][0]
    # A nightly run a day later recomputes the current and the previous quarter only, replacing their rows.
    equity.refresh(today=TODAY + timedelta(days=1))
    assert CpasFigure.objects.count() == len(codes) * len(FIGURES)
    computed = dict(CpasFigure.objects.filter(figure="contested").values_list("period", "computed_on"))
    assert computed == {"2025-Q2": TODAY, "2025-Q3": TODAY, "2025-Q4": TODAY,
                        "2026-Q1": TODAY + timedelta(days=1), "2026-Q2": TODAY + timedelta(days=1)}  # fmt: skip
    assert stored(cpas_a, "2026-Q2") == q2


def test_the_quarters_a_run_computes():
    codes = [p.code for p in equity.periods_to_compute(D(2026, 1, 5))]
    assert codes == ["2025-Q4", "2026-Q1"]
    assert [p.code for p in equity.periods_to_compute(D(2026, 6, 15), D(2025, 11, 30))] == [
        "2025-Q4", "2026-Q1", "2026-Q2"
    ]  # fmt: skip
    assert [p.code for p in equity.periods_to_compute(D(2026, 6, 15), D(2026, 6, 1))] == ["2026-Q2"]
    assert equity.quarter_from_code("2026-Q3").start == D(2026, 7, 1)
    assert equity.quarter_from_code("2026-Q5") is None and equity.quarter_from_code("x") is None
    with pytest.raises(Exception, match="after the day"):
        call_command("compute_equity", "--date=2026-06-15", "--since=2026-07-01", stdout=io.StringIO())


def _store(cpas, period: str, values: dict, *, suppressed=()):
    quarter = equity.quarter_from_code(period)
    start, end = equity.window_of(quarter)
    CpasFigure.objects.bulk_create(
        CpasFigure(
            cpas=cpas,
            period=period,
            figure=key,
            value=None if key in suppressed else values.get(key),
            people=3 if key in suppressed else 10,
            suppressed=key in suppressed,
            start=start,
            end=end,
            computed_on=end if end < TODAY else TODAY,
        )
        for key in KEYS
    )


# Contested shares (%) per quarter: CPAS A first, then the five others; None: suppressed. In 2025-Q4 only four CPAS
# have a value (fewer than MIN_CPAS: no distribution for a director); "Autre CPAS 5" is suppressed everywhere.
CONTESTED = {
    "2025-Q4": [10, 20, 30, 40, None, None],
    "2026-Q1": [20, 10, 30, 40, 50, 60],
    "2026-Q2": [50, 10, 20, 30, 40, 60],
}


@pytest.fixture
def quarters(cpas_a):
    others = [make_cpas(name=f"Autre CPAS {n}") for n in range(6)]
    for period, values in CONTESTED.items():
        for cpas, value in zip([cpas_a, *others[:5]], values, strict=True):
            if value is None:
                _store(cpas, period, {}, suppressed=set(KEYS))
                continue
            extra = {"intimate"} if (cpas == cpas_a and period == "2026-Q2") else set()
            _store(cpas, period, {"contested": Decimal(value), "intimate": Decimal(5)}, suppressed=extra)
        _store(others[5], period, {}, suppressed=set(KEYS))
    return others


def test_the_directors_history_beside_the_quartiles(quarters, cpas_a):
    history = equity.history_for(cpas_a)
    assert [p.code for p in history.periods] == list(CONTESTED)
    trend = next(t for t in history.trends if t.figure.key == "contested")
    q4, q1, q2 = trend.points
    assert q4.own.value == Decimal(10) and q4.spread is None and q4.quarter is None  # four CPAS: not shown
    assert (q1.spread.count, q1.spread.q1, q1.spread.median, q1.spread.q3) == (
        6, Decimal("22.5"), Decimal("35.0"), Decimal("47.5"))  # fmt: skip
    assert q1.own.value == Decimal(20) and q1.quarter == 1
    assert (q2.spread.q1, q2.spread.median, q2.spread.q3) == (Decimal("22.5"), Decimal("35.0"), Decimal("47.5"))
    assert q2.own.value == Decimal(50) and q2.quarter == 4
    intimate = next(t for t in history.trends if t.figure.key == "intimate")
    assert intimate.points[2].own.suppressed and intimate.points[2].quarter is None
    # The latest quarter is the dashboard's comparison.
    latest = {line.figure.key: line for line in equity.comparison_for(cpas_a).lines}
    assert latest["contested"].own.value == Decimal(50) and latest["contested"].quarter == 4
    # No more than eight quarters.
    for n in range(8):
        _store(cpas_a, f"{2020 + n // 4}-Q{n % 4 + 1}", {})
    assert len(equity.history_for(cpas_a).periods) == equity.HISTORY == 8


def test_the_director_page_and_csv_over_time(quarters, cpas_a, login, django_assert_max_num_queries):
    director = make_member(cpas_a, Role.DIRECTOR)
    worker = make_member(cpas_a, Role.SOCIAL_WORKER)
    worker.user.first_name, worker.user.last_name = "Zénobie", "Travailleuse"
    worker.user.save()
    client = login(director)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("observatory:among_cpas"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<svg") == 2 * len(FIGURES)  # each figure's chart, for a wide screen and for a phone
    assert 'id="chart-trend-contested-title"' in body and 'id="chart-trend-contested-phone-title"' in body
    assert "chart-band" in body
    for text in ("22.5", "35.0", "47.5", "lowest quarter", "highest quarter", "fewer than 5 CPAS", "fewer than 5",
                 "Q4 2025", "Q1 2026", "Q2 2026"):  # fmt: skip
        assert text in body, text
    assert "Autre CPAS" not in body  # no other CPAS named
    assert "Travailleuse" not in body and "Per social worker" not in body  # no worker, no worker's figures
    lines = client.get(reverse("observatory:among_cpas_csv")).content.decode().splitlines()
    assert lines[0] == "period,figure,your_cpas,cpas_count,q1,median,q3,quarter"
    assert "2025-Q4,contested,10.0,,,,," in lines
    assert "2026-Q1,contested,20.0,6,22.5,35.0,47.5,1" in lines
    assert "2026-Q2,contested,50.0,6,22.5,35.0,47.5,4" in lines
    assert "2026-Q2,intimate,<5,5,5.0,5.0,5.0," in lines  # suppressed: the five others' spread, no quarter
    assert "Autre" not in "".join(lines)
    assert len(lines) == 1 + 3 * len(FIGURES)
    assert AuditEvent.objects.filter(cpas=cpas_a, verb="observatory_opened", actor=director.user).count() == 1
    assert AuditEvent.objects.filter(cpas=cpas_a, verb="observatory_exported", actor=director.user).count() == 1
    # The dashboard links to it.
    assert reverse("observatory:among_cpas") in client.get(reverse("observatory:dashboard")).content.decode()
    # A team lead, a social worker and the inspector do not reach it.
    for role in (Role.TEAM_LEAD, Role.SOCIAL_WORKER, Role.INSPECTOR, Role.COUNCIL_MEMBER):
        other = login(make_member(cpas_a, role))
        assert other.get(reverse("observatory:among_cpas")).status_code == 403
        assert other.get(reverse("observatory:among_cpas_csv")).status_code == 403


def test_the_inspector_sees_every_cpas_per_quarter(quarters, cpas_a, login):
    inspector = make_member(cpas_a, Role.INSPECTOR)
    client = login(inspector)
    body = client.get(reverse("observatory:between_cpas_over_time") + "?figure=contested").content.decode()
    assert all(f"Autre CPAS {n}" in body for n in range(6)) and "CPAS A" in body
    assert "chart-federal-trend-contested" in body
    for text in ("17.5", "25.0", "32.5", "22.5", "35.0", "47.5"):  # 2025-Q4 over four CPAS, then over six
        assert text in body, text
    lines = client.get(reverse("observatory:between_cpas_over_time_csv")).content.decode().splitlines()
    assert lines[0] == "period,cpas," + ",".join(KEYS)
    column = KEYS.index("contested") + 2
    table = {tuple(line.split(",")[:2]): line.split(",") for line in lines[1:]}
    assert table[("2025-Q4", "CPAS A")][column] == "10.0"
    assert table[("2026-Q2", "CPAS A")][column] == "50.0"
    assert table[("2026-Q2", "Autre CPAS 5")][column] == "<5"
    assert table[("2025-Q4", "Autre CPAS 3")][column] == "<5"
    assert [table[("2025-Q4", f"[{k}]")][column] for k in ("lowest", "q1", "median", "q3", "highest", "gap")] == [
        "10.0", "17.5", "25.0", "32.5", "40.0", "30.0"
    ]  # fmt: skip
    assert [table[("2026-Q1", f"[{k}]")][column] for k in ("q1", "median", "q3")] == ["22.5", "35.0", "47.5"]
    assert len(lines) == 1 + 3 * (7 + 6)
    # A figure not known falls back to the first; the between-CPAS page links here.
    assert client.get(reverse("observatory:between_cpas_over_time") + "?figure=<x>").status_code == 200
    page = client.get(reverse("observatory:between_cpas")).content.decode()
    assert reverse("observatory:between_cpas_over_time") in page
    assert AuditEvent.objects.filter(cpas=cpas_a, verb="observatory_exported", actor=inspector.user).count() == 1
    for role in (Role.DIRECTOR, Role.TEAM_LEAD, Role.SOCIAL_WORKER):
        other = login(make_member(cpas_a, role))
        assert other.get(reverse("observatory:between_cpas_over_time")).status_code == 403
        assert other.get(reverse("observatory:between_cpas_over_time_csv")).status_code == 403


def test_nothing_computed_yet(cpas_a, login):
    director = login(make_member(cpas_a, Role.DIRECTOR))
    assert "not been computed yet" in director.get(reverse("observatory:among_cpas")).content.decode()
    inspector = login(make_member(cpas_a, Role.INSPECTOR))
    assert "not been computed yet" in inspector.get(reverse("observatory:between_cpas_over_time")).content.decode()
