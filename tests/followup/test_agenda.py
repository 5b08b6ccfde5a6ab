"""The caseload agenda of legal deadlines, the team view, and their query budget."""

import pytest
from django.urls import reverse

from piis.accounts.enums import Role
from piis.followup.selectors import Kind, agenda_filter, agenda_for_user, team_load
from tests.factories import make_beneficiary, make_contract, make_member, make_ri_decision, make_version
from tests.followup.builders import D, at, make_caseload, make_evaluation, make_in_force_contract, make_meeting_request

pytestmark = pytest.mark.django_db
TODAY = D(2026, 4, 8)


@pytest.fixture
def caseload(cpas_a, worker_a):
    """One file of each kind of deadline, all the worker's."""
    user = worker_a.user
    obliged = make_beneficiary(cpas_a, social_worker=user, last_name="Obliged")
    make_ri_decision(cpas_a, beneficiary=obliged, decided_on=D(2026, 1, 10))  # conclusion by 2026-04-10
    reflecting = make_contract(cpas_a, social_worker=user, status="handed_over")
    make_version(cpas_a, contract=reflecting, handed_over_on=D(2026, 4, 6))  # may sign from 2026-04-12
    decided = make_ri_decision(cpas_a, decided_on=D(2025, 4, 1))  # concluded in time by the PIIS below
    evaluated = make_in_force_contract(cpas_a, social_worker=user, signed_on=D(2025, 5, 1), ri_decision=decided)
    make_evaluation(cpas_a, contract=evaluated, held_on=D(2025, 9, 1), mode="phone")  # year ends 2026-04-30
    asking = make_beneficiary(cpas_a, social_worker=user, last_name="Asking")
    meeting = make_meeting_request(cpas_a, beneficiary=asking, requested_on=D(2026, 3, 27), deadline=D(2026, 4, 3))
    return {"obliged": obliged, "reflecting": reflecting, "evaluated": evaluated, "meeting": meeting}


def test_agenda_lists_every_kind_of_deadline_overdue_first(cpas_a, worker_a, caseload):
    items = agenda_for_user(cpas=cpas_a, user=worker_a.user, today=TODAY)
    shown = [(i.kind, i.due_on, i.overdue) for i in items]
    assert shown == [
        (Kind.MEETING, D(2026, 4, 3), True),
        (Kind.CONCLUSION, D(2026, 4, 10), False),
        (Kind.CONCLUSION, D(2026, 4, 10), False),  # the handed-over contract is not concluded yet
        (Kind.REFLECTION, D(2026, 4, 12), False),
        (Kind.EVALUATION, D(2026, 4, 30), False),
    ]
    evaluation = items[-1]
    assert evaluation.at_risk and evaluation.contract == caseload["evaluated"]
    assert "2 more evaluations in person" in evaluation.label


def test_agenda_leaves_out_other_workers_files_and_concluded_obligations(cpas_a, worker_a, caseload):
    colleague = make_member(cpas_a).user
    theirs = make_beneficiary(cpas_a, social_worker=colleague)
    make_ri_decision(cpas_a, beneficiary=theirs)
    concluded = make_in_force_contract(cpas_a, social_worker=worker_a.user, signed_on=D(2026, 2, 1))
    make_evaluation(cpas_a, contract=concluded, held_on=D(2026, 3, 1))
    items = agenda_for_user(cpas=cpas_a, user=worker_a.user, today=TODAY)
    assert theirs not in {i.beneficiary for i in items}
    kinds = {i.kind for i in items if i.beneficiary == concluded.beneficiary}
    assert kinds == {Kind.EVALUATION}  # the RI decision's obligation is met: no conclusion deadline
    assert agenda_for_user(cpas=cpas_a, user=colleague, today=TODAY)[0].beneficiary == theirs


def test_a_contract_worker_sees_the_file_of_another_caseload(cpas_a, worker_a):
    other_file = make_beneficiary(cpas_a, social_worker=make_member(cpas_a).user)
    contract = make_in_force_contract(
        cpas_a, social_worker=worker_a.user, ri_decision=make_ri_decision(cpas_a, beneficiary=other_file)
    )
    items = agenda_for_user(cpas=cpas_a, user=worker_a.user, today=TODAY)
    assert [(i.kind, i.contract) for i in items] == [(Kind.EVALUATION, contract)]


def test_filter_by_kind_and_horizon_keeps_overdue_and_counts(cpas_a, worker_a, caseload):
    items = agenda_for_user(cpas=cpas_a, user=worker_a.user, today=TODAY)
    week = agenda_filter(items, today=TODAY, horizon_days=7)
    assert [i.kind for i in week.items] == [Kind.MEETING, Kind.CONCLUSION, Kind.CONCLUSION, Kind.REFLECTION]
    assert week.counts == {
        Kind.CONCLUSION: 2,
        Kind.REFLECTION: 1,
        Kind.EVALUATION: 0,
        Kind.MEETING: 1,
        Kind.EXEMPTION_REVIEW: 0,
        Kind.OBJECTIVE_DUE: 0,
        Kind.STEP_DUE: 0,
        Kind.COMMITMENT_DUE: 0,
        Kind.CONTRACT_END: 0,
        Kind.AMENDMENT_REQUEST: 0,
    }
    assert week.overdue == 1
    only = agenda_filter(items, today=TODAY, kind=Kind.EVALUATION)
    assert [i.kind for i in only.items] == [Kind.EVALUATION] and only.total == 5


def test_agenda_page_filters(cpas_a, worker_a, caseload, login):
    with at(TODAY):
        response = login(worker_a).get(reverse("followup:agenda"), {"kind": "meeting", "horizon": "30"})
    assert response.status_code == 200
    view = response.context["view"]
    assert [i.kind for i in view.items] == [Kind.MEETING]
    html = response.content.decode()
    assert "5 days overdue" in html and "ASKING" in html


def test_agenda_query_count_does_not_grow_with_150_files(cpas_a, worker_a, login, django_assert_max_num_queries):
    make_caseload(cpas_a, worker_a.user, 150, due_dates=True)
    client = login(worker_a)
    with at(TODAY):
        client.get(reverse("followup:agenda"))  # warm the session
        # The session, the user, the second-factor device, the membership, the row-level security setting (and two
        # savepoints of the test's transaction), the caseload's files not fresh with the counts per kind (one
        # query), the page's rows, whether the CPAS has a transfer or a sanction dossier running (one query for
        # both: none here), the audit row, the session's save (and its savepoints).
        with django_assert_max_num_queries(14):
            response = client.get(reverse("followup:agenda"))
    assert response.status_code == 200
    counts = response.context["view"].counts
    assert counts[Kind.CONCLUSION] == 15 and counts[Kind.MEETING] == 50 and counts[Kind.EVALUATION] == 135
    assert counts[Kind.EXEMPTION_REVIEW] == 30 and counts[Kind.CONTRACT_END] == 135
    assert counts[Kind.OBJECTIVE_DUE] == counts[Kind.STEP_DUE] == counts[Kind.COMMITMENT_DUE] == 135


def test_agenda_selector_query_budget_is_fixed(cpas_a, worker_a, django_assert_max_num_queries):
    """Read from the deadline table: two queries (the files not computed for today, the rows). The first read of
    the day computes the caseload: one query for the files, one per relation (RI decisions, earlier periods,
    exemptions, contracts, evaluations, versions, the person's amendment requests, objectives, their steps, their
    progress, commitments, meeting requests), one for closure days, and the table's writes."""
    make_caseload(cpas_a, worker_a.user, 150, due_dates=True)
    with django_assert_max_num_queries(22):
        items = agenda_for_user(cpas=cpas_a, user=worker_a.user, today=TODAY)
    assert len(items) == 15 + 50 + 135 + 30 + 4 * 135
    with django_assert_max_num_queries(2):
        again = agenda_for_user(cpas=cpas_a, user=worker_a.user, today=TODAY)
    assert again == items


def test_team_lead_chooses_a_worker(cpas_a, worker_a, caseload, login):
    lead = make_member(cpas_a, Role.TEAM_LEAD)
    with at(TODAY):
        response = login(lead).get(reverse("followup:agenda"), {"worker": worker_a.user_id})
    assert response.status_code == 200
    assert response.context["worker"] == worker_a.user
    assert response.context["view"].total == 5


def test_team_lead_cannot_choose_someone_outside_the_cpas(cpas_a, cpas_b, login):
    stranger = make_member(cpas_b)
    with at(TODAY):
        response = login(make_member(cpas_a, Role.TEAM_LEAD)).get(
            reverse("followup:agenda"), {"worker": stranger.user_id}
        )
    assert response.status_code == 404


def test_a_worker_cannot_see_a_colleague_agenda(cpas_a, worker_a, caseload, login):
    colleague = make_member(cpas_a)
    with at(TODAY):
        response = login(colleague).get(reverse("followup:agenda"), {"worker": worker_a.user_id})
    assert response.context["worker"] == colleague.user
    assert response.context["view"].total == 0


def test_team_view_counts_files_and_deadlines_per_week(cpas_a, worker_a, caseload, login):
    weeks, rows = team_load(cpas=cpas_a, today=TODAY)
    assert weeks[0] == D(2026, 4, 6) and len(weeks) == 8
    row = next(r for r in rows if r.member == worker_a)
    assert row.files == 2 + 2  # two files of their own, and the files of their two contracts
    assert row.overdue == 1
    assert row.weeks[:4] == [3, 0, 0, 1]  # two conclusions 10/04 and a reflection 12/04; evaluation 30/04
    with at(TODAY):
        response = login(make_member(cpas_a, Role.DIRECTOR)).get(reverse("followup:team"))
    assert response.status_code == 200 and "Week of 06/04" in response.content.decode()


def test_team_view_query_count_is_fixed(cpas_a, worker_a, django_assert_max_num_queries):
    make_caseload(cpas_a, worker_a.user, 60, due_dates=True)
    make_caseload(cpas_a, make_member(cpas_a).user, 60, due_dates=True)
    with django_assert_max_num_queries(27):  # the first read of the day computes the 120 files
        team_load(cpas=cpas_a, today=TODAY)
    with django_assert_max_num_queries(5):  # members, the files not computed, overdue, per week, files per worker
        team_load(cpas=cpas_a, today=TODAY)
