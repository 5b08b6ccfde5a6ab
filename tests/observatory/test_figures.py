"""Every figure of the observatory on a known data set, computed by hand; suppression; isolation; who sees what."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse

from piis.accounts.enums import Role
from piis.audit.models import AuditEvent
from piis.contracts.models import ContractVersion, Signature
from piis.followup.models import CommitmentReview, Evaluation
from piis.observatory import metrics
from piis.observatory.periods import Granularity
from piis.observatory.selectors import build_dashboard
from tests.factories import make_assessment_item, make_clause, make_member, make_objective, make_version
from tests.observatory.builders import HEALTH_TEXT, TODAY, D, known_world, unique_text
from tests.sanctions.builders import make_decision, make_dossier, make_item, make_sitting

pytestmark = pytest.mark.django_db
Q1_2026, Q2_2026 = 6, 7  # indexes in the eight quarters ending with the one of TODAY


def pct(numerator, denominator, scale=100) -> Decimal:
    return (Decimal(numerator) * scale / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def complete(cpas, world):
    """The variations of the known world that make each figure differ from 0 and 100 %."""
    rows = world["rows"]
    c0, own0, _cpas0, v0 = rows[0]
    # Contract 0: a contested clause in an intimate domain, proposed by the CPAS; a second objective citing an
    # obstacle only; an earlier draft withdrawn; signed on the earliest day allowed; assisted.
    make_clause(cpas, contract=c0, party="beneficiary", kind="health", proposed_by="cpas", position="contested",
                text=HEALTH_TEXT)  # fmt: skip
    obstacle = make_assessment_item(cpas, assessment=c0.assessment, kind="obstacle")
    make_objective(cpas, contract=c0, title="Second").assessment_items.add(obstacle)
    make_version(cpas, contract=c0, handed_over_on=D(2026, 1, 20), superseded=True)
    Signature.objects.filter(version=v0, party="beneficiary").update(signed_on=D(2026, 2, 7))
    ContractVersion.objects.filter(pk__in=[v0.pk, rows[1][3].pk]).update(assistance="assisted")
    # CPAS commitments (due 1 March): 0–5 done on 20 February, 6 reviewed as delivered on 25 February, 7 planned.
    for _contract, _own, cpas_clause, _v in rows[:6]:
        cpas_clause.delivery_status, cpas_clause.delivery_status_on = "done", D(2026, 2, 20)
        cpas_clause.save()
    evaluation = Evaluation.objects.create(
        cpas=cpas, contract=rows[6][0], held_on=D(2026, 2, 25), mode="office", recorded_by=rows[6][0].social_worker
    )
    CommitmentReview.objects.create(cpas=cpas, evaluation=evaluation, clause=rows[6][2], delivery="delivered")
    # The person's commitments (due 15 March): 0–3 done on 10 March, 4 done late, 5–7 planned.
    for i, (_c, own, _cc, _v) in enumerate(rows[:5]):
        own.delivery_status, own.delivery_status_on = "done", D(2026, 3, 20) if i == 4 else D(2026, 3, 10)
        own.save()
    # One sanction procedure (opened in Q2) and its decision: a partial suspension.
    dossier = make_dossier(cpas, contract=c0, clause=own0, opened_on=D(2026, 4, 10), breach_on=D(2026, 4, 7))
    make_decision(cpas, item=make_item(cpas, dossier=dossier, sitting=make_sitting(cpas)), decided_on=D(2026, 5, 20))
    return world


@pytest.fixture
def world(cpas_a, cpas_b):
    known = complete(cpas_a, known_world(cpas_a))
    # Another CPAS with the same shape, and more: nothing of it may be counted in CPAS A.
    other = complete(cpas_b, known_world(cpas_b))
    make_clause(cpas_b, contract=other["rows"][3][0], position="contested", kind="addiction")
    return known


def chart_value(board, key, index):
    for chart in board.charts:
        for n, figure in enumerate(chart.figures):
            if figure.key == key:
                return chart.rows[index][1][n]
    raise KeyError(key)


def test_every_figure_of_the_known_data_set(world, cpas_a):
    board = build_dashboard(world["director"], today=TODAY, granularity=Granularity.QUARTER)
    L_b, L_t, L_h = len(unique_text(0)), len(world["template"].text), len(HEALTH_TEXT)
    expected = {
        "template_share": pct(8 * L_t, 8 * L_b + 8 * L_t + L_h),
        "alike_share": pct(2, 8),  # contracts 0 and 1 carry the same text; the others share only the template
        "objectives_own_needs": pct(8, 9),
        "proposed_by_person": pct(8, 17),
        "contested": pct(1, 17),
        "assisted": pct(2, 8),
        "draft_rounds": pct(9, 8, scale=1),
        "reflection_days": pct(7 * 8 + 5, 8, scale=1),  # handed over 1 Feb: 8 days to the 10th, 5 to the 7th
        "cpas_on_time": pct(7, 8),
        "person_on_time": pct(4, 8),
        "intimate": pct(1, 17),
        "sanctions_per_100": Decimal("0.0"),
    }
    for key, value in expected.items():
        got = chart_value(board, key, Q1_2026)
        assert (got.value, got.suppressed, got.people) == (value, False, 8), key
    assert chart_value(board, "sanctions_per_100", Q2_2026).value == pct(1, 8)
    # One decision concerns one person: suppressed, shown as "fewer than 5", never as a number.
    decision = chart_value(board, "partial_or_deferred", Q2_2026)
    assert decision.suppressed and decision.shown is None
    # Nothing concluded in Q2: no content figure.
    assert chart_value(board, "template_share", Q2_2026).value is None
    # The whole window, the team (all eight files) and worker W1 (contracts 0–5); W2 has two people: suppressed.
    window = dict(zip([f.key for f in metrics.FIGURES], board.window, strict=True))
    assert window["contested"].value == pct(1, 17)
    assert window["sanctions_per_100"].value == pct(1, 8)
    assert [row.label for row in board.teams] == [world["team"].name]
    workers = {row.key: row for row in board.workers}
    w1 = dict(zip([f.key for f in metrics.FIGURES], workers[world["w1"].user_id].values, strict=True))
    assert w1["template_share"].value == pct(6 * L_t, 6 * L_b + 6 * L_t + L_h)
    assert w1["proposed_by_person"].value == pct(6, 13)
    assert w1["cpas_on_time"].value == pct(6, 6)
    assert w1["person_on_time"].value == pct(4, 6)
    assert all(v.suppressed for v in workers[world["w2"].user_id].values if v.people)
    # Equity: only one worker is shown, so no spread between workers.
    assert board.equity[0]["workers"] == (None, None, None)


def test_spread_is_lowest_highest_and_gap_of_the_values_shown():
    assert metrics.spread([Decimal("10.0"), None, Decimal("35.5"), Decimal("20")]) == (
        Decimal("10.0"),
        Decimal("35.5"),
        Decimal("25.5"),
    )
    assert metrics.spread([Decimal(1), None]) == (None, None, None)


def test_team_lead_sees_their_team_and_never_their_own_row(world, cpas_a):
    lead = world["lead"]
    # The team lead also follows five files of their own (in their team).
    from tests.observatory.builders import known_contract

    for i in range(5):
        known_contract(cpas_a, worker=lead.user, team=world["team"], i=20 + i, template=world["template"])
    lead_board = build_dashboard(lead, today=TODAY, granularity=Granularity.QUARTER)
    assert lead.user_id not in {row.key for row in lead_board.workers}
    director_board = build_dashboard(world["director"], today=TODAY, granularity=Granularity.QUARTER)
    assert lead.user_id in {row.key for row in director_board.workers}
    # Another team's files are outside the lead's figures.
    from tests.factories import make_team

    other_team = make_team(cpas_a)
    for i in range(5):
        known_contract(cpas_a, worker=world["w1"].user, team=other_team, i=40 + i, template=world["template"])
    assert chart_value(build_dashboard(lead, today=TODAY, granularity=Granularity.QUARTER), "alike_share",
                       Q1_2026).people == 13  # fmt: skip


def test_a_social_worker_reaches_no_figure(world, login):
    client = login(world["w1"])
    assert client.get(reverse("observatory:dashboard")).status_code == 403
    assert client.get(reverse("observatory:csv", args=["workers"])).status_code == 403
    assert client.get(reverse("observatory:federal")).status_code == 403


def test_the_page_shows_charts_tables_and_suppression_and_is_audited(world, login, cpas_a, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    client = login(world["director"])
    response = client.get(reverse("observatory:dashboard") + "?period=quarter")
    body = response.content.decode()
    assert response.status_code == 200
    # Each chart is drawn for a wide screen and for a phone (the stylesheet shows one).
    charts = len(build_dashboard(world["director"], today=TODAY, granularity=Granularity.QUARTER).charts)
    assert body.count("<svg") == 2 * charts
    assert body.count('<div class="chart-narrow">') == charts
    assert "<table" in body and "fewer than 5" in body
    assert AuditEvent.objects.filter(cpas=cpas_a, verb="observatory_opened").count() == 1
    csv = client.get(reverse("observatory:csv", args=["negotiation-percent"]) + "?period=quarter")
    lines = csv.content.decode().splitlines()
    assert lines[0] == "period,proposed_by_person,contested,assisted"
    assert lines[Q1_2026 + 1] == f"2026-Q1,{pct(8, 17)},{pct(1, 17)},{pct(2, 8)}"
    decoupling = client.get(reverse("observatory:csv", args=["decoupling-percent"]) + "?period=quarter")
    assert decoupling.content.decode().splitlines()[Q2_2026 + 1] == "2026-Q2,<5"
    assert client.get(reverse("observatory:csv", args=["nothing"])).status_code == 404
    assert AuditEvent.objects.filter(cpas=cpas_a, verb="observatory_exported").count() == 2


def test_a_bad_period_falls_back_to_months(world, login):
    client = login(world["director"])
    assert client.get(reverse("observatory:dashboard") + "?period=%00x").status_code in (200, 400)
    assert client.get(reverse("observatory:dashboard") + "?period=decade").status_code == 200


def test_the_dashboard_reads_a_fixed_number_of_queries(world, cpas_a, login, django_assert_max_num_queries):
    client = login(world["director"])
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("observatory:dashboard"))
    from tests.observatory.builders import known_contract

    for i in range(10):
        worker = make_member(cpas_a, Role.SOCIAL_WORKER, team=world["team"]).user
        known_contract(cpas_a, worker=worker, team=world["team"], i=60 + i, template=world["template"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("observatory:dashboard"))
