"""Equity between CPAS: each CPAS's figures computed under its own row-level-security context and stored as
aggregates; a director sees their CPAS among the quartiles of all CPAS (none named), the SPP IS inspector every CPAS
by name with the spread. Every figure of a known data set is checked."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from piis.accounts.enums import Role
from piis.audit.models import AuditEvent
from piis.core.rls import grant_app_role
from piis.observatory import equity
from piis.observatory.metrics import FIGURES
from piis.observatory.models import CpasFigure
from piis.observatory.periods import Granularity
from piis.observatory.selectors import build_dashboard
from tests.core.test_isolation import temporary_app_role
from tests.factories import make_cpas, make_member
from tests.observatory.builders import HEALTH_TEXT, TODAY, D, known_contract, known_world, unique_text
from tests.observatory.test_figures import complete, pct

pytestmark = pytest.mark.django_db
KEYS = [f.key for f in FIGURES]


def stored(cpas, period: str = "2026-Q2") -> dict:
    return {r.figure: (r.value, r.suppressed, r.people) for r in CpasFigure.objects.filter(cpas=cpas, period=period)}


@pytest.fixture
def three(cpas_a, cpas_b):
    """CPAS A: the observatory's known world with its variations; B: the plain known world; C: three PIIS only."""
    a = complete(cpas_a, known_world(cpas_a))
    b = known_world(cpas_b)
    cpas_c = make_cpas(name="CPAS C")
    c_worker = make_member(cpas_c, Role.SOCIAL_WORKER)
    from tests.factories import make_clause_template, make_team

    c_team, c_template = make_team(cpas_c), make_clause_template(cpas_c, text="Texte du CPAS C.")
    for i in range(3):
        known_contract(cpas_c, worker=c_worker.user, team=c_team, i=90 + i, template=c_template)
    return a, b, cpas_c


def test_refresh_stores_every_figure_of_each_cpas(three, cpas_a, cpas_b):
    a, b, cpas_c = three
    assert equity.refresh(today=TODAY) == 3
    L_b, L_t, L_h = len(unique_text(0)), len(a["template"].text), len(HEALTH_TEXT)
    expected_a = {
        "template_share": pct(8 * L_t, 8 * L_b + 8 * L_t + L_h),
        "alike_share": pct(2, 8),
        "objectives_own_needs": pct(8, 9),
        "proposed_by_person": pct(8, 17),
        "contested": pct(1, 17),
        "assisted": pct(2, 8),
        "draft_rounds": pct(9, 8, scale=1),
        "reflection_days": pct(7 * 8 + 5, 8, scale=1),
        "cpas_on_time": pct(7, 8),
        "person_on_time": pct(4, 8),
        "intimate": pct(1, 17),
        "sanctions_per_100": pct(1, 8),
    }
    got_a = stored(cpas_a)
    for key, value in expected_a.items():
        assert got_a[key] == (value, False, 8), key
    assert got_a["partial_or_deferred"] == (None, True, 1)  # one person: suppressed, its value not stored
    L_tb = len(b["template"].text)
    expected_b = {
        "template_share": pct(8 * L_tb, 8 * L_b + 8 * L_tb),
        "alike_share": pct(2, 8),
        "objectives_own_needs": pct(8, 8),
        "proposed_by_person": pct(8, 16),
        "contested": pct(0, 16),
        "assisted": pct(0, 8),
        "draft_rounds": pct(8, 8, scale=1),
        "reflection_days": pct(8 * 8, 8, scale=1),
        "cpas_on_time": pct(0, 8),
        "person_on_time": pct(0, 8),
        "intimate": pct(0, 16),
        "sanctions_per_100": pct(0, 8),
    }
    got_b = stored(cpas_b)
    for key, value in expected_b.items():
        assert got_b[key] == (value, False, 8), key
    assert got_b["partial_or_deferred"] == (None, False, 0)  # no decision: nothing to measure
    # Three people only: every figure of C is suppressed.
    assert all(v == (None, True, 3) for k, v in stored(cpas_c).items() if k not in ("partial_or_deferred",))
    # The same figures as the director's own dashboard over its monthly window.
    board = build_dashboard(a["director"], today=TODAY, granularity=Granularity.MONTH)
    assert [v.shown for v in board.window] == [got_a[k][0] for k in KEYS]
    row = CpasFigure.objects.filter(cpas=cpas_a, period="2026-Q2").first()
    assert (row.start, row.end, row.computed_on) == (D(2025, 7, 1), D(2026, 6, 30), TODAY)
    # The run also computed the quarter before (the twelve months to March 2026, which hold the same PIIS).
    previous = CpasFigure.objects.filter(cpas=cpas_a, period="2026-Q1").first()
    assert (previous.start, previous.end) == (D(2025, 4, 1), D(2026, 3, 31))
    # A second run replaces the rows.
    call_command("compute_equity", f"--date={TODAY.isoformat()}", stdout=io.StringIO())
    assert CpasFigure.objects.count() == 3 * 2 * len(FIGURES)


@pytest.mark.postgres
def test_each_cpas_is_computed_under_its_own_rls_context(three, cpas_a, cpas_b):
    """As the unprivileged app role, RLS is enforced: refresh still finds each CPAS's own rows (it sets each CPAS's
    context), and a CPAS's figures computed under another CPAS's context find nothing at all."""
    equity.refresh(today=TODAY)
    as_owner = {cpas.pk: stored(cpas) for cpas in (cpas_a, cpas_b)}
    CpasFigure.objects.all().delete()
    with temporary_app_role() as role:
        grant_app_role(role)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f'SET LOCAL ROLE "{role}"')
            equity.refresh(today=TODAY)
            assert {cpas.pk: stored(cpas) for cpas in (cpas_a, cpas_b)} == as_owner
            from piis.core.rls import set_current_cpas

            set_current_cpas(cpas_a.pk)
            _start, _end, values = equity.cpas_values(cpas_b, today=TODAY)
            assert all(v.value is None and v.people == 0 for v in values)
            transaction.set_rollback(True)


def test_quartiles_and_quarters():
    spread = equity.spread_of([Decimal(v) for v in (60, 10, 30, 20, 50, 40)])
    assert (spread.count, spread.lowest, spread.q1, spread.median, spread.q3, spread.highest, spread.gap) == (
        6, Decimal(10), Decimal("22.5"), Decimal("35.0"), Decimal("47.5"), Decimal(60), Decimal(50)
    )  # fmt: skip
    assert [spread.quarter_of(Decimal(v)) for v in (10, "22.5", 35, "47.5", 48)] == [1, 2, 3, 3, 4]
    assert spread.quarter_of(None) is None
    assert equity.spread_of([]).count == 0
    assert equity.spread_of([Decimal(7)]).median == Decimal(7)


def _store(cpas, values: dict, *, suppressed=(), period="2026-Q2"):
    for figure in FIGURES:
        value = values.get(figure.key)
        CpasFigure.objects.create(
            cpas=cpas,
            period=period,
            figure=figure.key,
            value=None if figure.key in suppressed else value,
            people=3 if figure.key in suppressed else 10,
            suppressed=figure.key in suppressed,
            start=D(2025, 7, 1),
            end=D(2026, 6, 30),
            computed_on=TODAY,
        )


@pytest.fixture
def six(cpas_a):
    """Six CPAS with a contested share of 10, 20, …, 60 %; CPAS A is at 20 %. Only four have a sanction rate;
    a seventh CPAS has every figure suppressed."""
    others = [make_cpas(name=f"Autre CPAS {n}") for n in range(6)]
    for n, cpas in enumerate([cpas_a, *others[:5]]):
        contested = Decimal(20) if cpas == cpas_a else Decimal(10 * (n + 1 if n else 1))
        values = {"contested": contested}
        if n < 4:
            values["sanctions_per_100"] = Decimal(n)
        _store(cpas, values)
    _store(others[5], {}, suppressed=set(KEYS))
    return others


def test_a_director_sees_their_cpas_among_the_quartiles(six, cpas_a):
    # Contested shares: A 20, then 20, 30, 40, 50, 60 (the first other is 10·2) → 20 20 30 40 50 60.
    comparison = equity.comparison_for(cpas_a)
    lines = {line.figure.key: line for line in comparison.lines}
    contested = lines["contested"]
    assert contested.own.value == Decimal(20)
    spread = contested.spread
    assert (spread.count, spread.q1, spread.median, spread.q3) == (6, Decimal("22.5"), Decimal("35.0"),
                                                                     Decimal("47.5"))  # fmt: skip
    assert contested.quarter == 1
    assert str(contested.quarter_label) == "lowest quarter"
    # Four CPAS have a sanction rate: fewer than MIN_CPAS, no distribution shown.
    assert lines["sanctions_per_100"].spread is None
    assert comparison.computed_on == TODAY


def test_the_director_page_and_csv_name_no_other_cpas(six, cpas_a, login, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    director = make_member(cpas_a, Role.DIRECTOR)
    client = login(director)
    body = client.get(reverse("observatory:dashboard")).content.decode()
    assert 'id="between-cpas"' in body and "chart-between-cpas" in body
    assert "22.5" in body and "35.0" in body and "47.5" in body and "lowest quarter" in body
    assert "fewer than 5 CPAS" in body
    assert "Autre CPAS" not in body
    lines = client.get(reverse("observatory:csv", args=["between-cpas"])).content.decode().splitlines()
    assert lines[0] == "figure,your_cpas,cpas_count,q1,median,q3,quarter"
    assert "contested,20.0,6,22.5,35.0,47.5,1" in lines
    assert "sanctions_per_100,0.0,,,,," in lines
    assert "Autre" not in "".join(lines)
    # A team lead's page is about their teams, not the CPAS: no comparison between CPAS.
    lead = make_member(cpas_a, Role.TEAM_LEAD)
    lead_body = login(lead).get(reverse("observatory:dashboard")).content.decode()
    assert 'id="between-cpas"' not in lead_body
    assert login(lead).get(reverse("observatory:csv", args=["between-cpas"])).status_code == 404


def test_the_inspector_sees_every_cpas_with_the_spread(six, cpas_a, login):
    inspector = make_member(cpas_a, Role.INSPECTOR)
    client = login(inspector)
    response = client.get(reverse("observatory:between_cpas"))
    body = response.content.decode()
    assert response.status_code == 200
    assert all(f"Autre CPAS {n}" in body for n in range(6)) and "CPAS A" in body
    assert "chart-federal-spread" in body
    lines = client.get(reverse("observatory:between_cpas_csv")).content.decode().splitlines()
    column = KEYS.index("contested") + 1
    table = {line.split(",")[0]: line.split(",") for line in lines[1:]}
    assert table["CPAS A"][column] == "20.0"
    assert table["Autre CPAS 5"][column] == "<5"
    assert [table[f"[{k}]"][column] for k in ("lowest", "q1", "median", "q3", "highest", "gap")] == [
        "20.0", "22.5", "35.0", "47.5", "60.0", "40.0"
    ]  # fmt: skip
    assert AuditEvent.objects.filter(cpas=cpas_a, verb="observatory_opened", actor=inspector.user).count() == 1
    assert AuditEvent.objects.filter(cpas=cpas_a, verb="observatory_exported", actor=inspector.user).count() == 1
    for role in (Role.DIRECTOR, Role.TEAM_LEAD, Role.SOCIAL_WORKER, Role.COUNCIL_MEMBER):
        other = login(make_member(cpas_a, role))
        assert other.get(reverse("observatory:between_cpas")).status_code == 403
        assert other.get(reverse("observatory:between_cpas_csv")).status_code == 403


def test_nothing_computed_yet(cpas_a, login):
    client = login(make_member(cpas_a, Role.INSPECTOR))
    assert "not been computed yet" in client.get(reverse("observatory:between_cpas")).content.decode()
    director = login(make_member(cpas_a, Role.DIRECTOR))
    assert "not been computed yet" in director.get(reverse("observatory:dashboard")).content.decode()
