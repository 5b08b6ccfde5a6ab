"""The obligation box of the file (R1–R15): what the file page shows on a given day.

The rules themselves are tested in tests/rules; here each scenario is set up as a file (birth date, RI decision,
earlier periods, exemptions, contracts) and the page is read on the scenario's day.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import formats, translation

from piis.cases.selectors import beneficiary_file_prefetch
from piis.contracts.obligation import obligation_for_file
from tests.factories import (
    make_beneficiary,
    make_closure_day,
    make_contract,
    make_exemption,
    make_income_period,
    make_ri_decision,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def _ri(cpas, beneficiary, decided, *, start=None, **kwargs):
    return make_ri_decision(
        cpas, beneficiary=beneficiary, decided_on=decided, requested_on=decided, start_on=start or decided, **kwargs
    )


def _at(today: datetime.date):
    moment = datetime.datetime.combine(today, datetime.time(12), tzinfo=ZoneInfo("Europe/Brussels"))
    return time_machine.travel(moment, tick=False)


def _page(login, membership, beneficiary, today: datetime.date):
    """The file page as `membership` sees it on `today` (logged in that day: sessions expire)."""
    with _at(today):
        response = login(membership).get(reverse("cases:detail", args=[beneficiary.pk]))
    assert response.status_code == 200
    return response.context["obligation"], response.content.decode()


def _shown(day: datetime.date) -> str:
    with translation.override("en"):
        return formats.date_format(day, "DATE_FORMAT")


def _reasons(obligation):
    return [r.code for r in obligation.reasons]


def _a_former_ri(cpas, beneficiary, *, end):
    """An earlier RI ending on `end`, so that the person is not a new beneficiary for an RI starting soon after."""
    return make_income_period(cpas, beneficiary=beneficiary, kind="ri", start_on=D(2024, 1, 1), end_on=end)


def test_without_an_ri_decision_the_file_says_so(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a)
    obligation, body = _page(login, worker_a, beneficiary, D(2026, 3, 1))
    assert obligation.ri_decision is None and not obligation.required
    assert "No RI decision is recorded" in body


@pytest.mark.scenario("T1", rules=("R1", "R13"))
def test_t1_under_25_required_with_deadline_shown(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(2002, 6, 1))  # 23 on 2026-01-10
    _ri(cpas_a, beneficiary, D(2026, 1, 10))
    _a_former_ri(cpas_a, beneficiary, end=D(2026, 1, 9))  # only the age ground applies
    obligation, body = _page(login, worker_a, beneficiary, D(2026, 1, 20))
    assert obligation.required and _reasons(obligation) == ["under_25"]
    assert obligation.deadline == D(2026, 4, 10) and not obligation.late
    assert "A PIIS is required." in body and f'<strong class="deadline">{_shown(D(2026, 4, 10))}</strong>' in body
    assert "Under 25 on the date of the RI decision" in body
    assert "80 days left" in body


@pytest.mark.scenario("T2", rules=("R2", "R13"))
def test_t2_new_beneficiary_required(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(1984, 5, 5))
    _ri(cpas_a, beneficiary, D(2026, 3, 10))
    obligation, body = _page(login, worker_a, beneficiary, D(2026, 3, 11))
    assert _reasons(obligation) == ["new_beneficiary"] and obligation.deadline == D(2026, 6, 10)
    assert 'data-reason="new_beneficiary"' in body


@pytest.mark.scenario("T3", rules=("R13",))
def test_t3_month_end_deadline_not_rolled_forward_with_warning_on_the_friday(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(1985, 1, 1))
    _ri(cpas_a, beneficiary, D(2025, 11, 30))
    obligation, body = _page(login, worker_a, beneficiary, D(2025, 12, 1))
    assert obligation.deadline == D(2026, 2, 28) and obligation.warning_date == D(2026, 2, 27)
    assert _shown(D(2026, 2, 27)) in body


def test_warning_date_moves_before_a_closure_day_of_the_cpas(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(1985, 1, 1))
    _ri(cpas_a, beneficiary, D(2025, 11, 30))
    make_closure_day(cpas_a, day=D(2026, 2, 27))
    obligation, _ = _page(login, worker_a, beneficiary, D(2025, 12, 1))
    assert obligation.deadline == D(2026, 2, 28) and obligation.warning_date == D(2026, 2, 26)


@pytest.mark.scenario("T4", rules=("R13",))
def test_t4_leap_year_deadline(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(1985, 1, 1))
    _ri(cpas_a, beneficiary, D(2027, 11, 30))
    obligation, _ = _page(login, worker_a, beneficiary, D(2027, 12, 1))
    assert obligation.deadline == D(2028, 2, 29)


@pytest.mark.scenario("T5", rules=("R13",))
def test_t5_deadline_from_the_31st(cpas_a, worker_a, login):
    first, second = (
        make_beneficiary(cpas_a, birth_date=D(1985, 1, 1)),
        make_beneficiary(cpas_a, birth_date=D(1985, 1, 1)),
    )
    _ri(cpas_a, first, D(2026, 1, 31))
    _ri(cpas_a, second, D(2025, 12, 31))
    assert _page(login, worker_a, first, D(2026, 2, 1))[0].deadline == D(2026, 4, 30)
    assert _page(login, worker_a, second, D(2026, 1, 2))[0].deadline == D(2026, 3, 31)


@pytest.mark.scenario("T6", rules=("R2",))
def test_t6_earlier_ri_in_the_look_back_window_makes_the_piis_optional(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(1985, 6, 1))
    _a_former_ri(cpas_a, beneficiary, end=D(2025, 10, 31))
    _ri(cpas_a, beneficiary, D(2026, 1, 31))
    obligation, body = _page(login, worker_a, beneficiary, D(2026, 2, 2))
    assert not obligation.required and _reasons(obligation) == ["not_new_beneficiary"]
    assert obligation.deadline is None and "A PIIS is not required." in body and "a PIIS is optional" in body


@pytest.mark.scenario("T7", rules=("R2",))
def test_t7_gap_of_more_than_the_window_makes_a_new_beneficiary(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(1985, 6, 1))
    _a_former_ri(cpas_a, beneficiary, end=D(2025, 10, 31))
    _ri(cpas_a, beneficiary, D(2026, 2, 1))
    obligation, _ = _page(login, worker_a, beneficiary, D(2026, 2, 2))
    assert obligation.required and _reasons(obligation) == ["new_beneficiary"]


def test_an_earlier_ri_decision_of_the_file_counts_as_earlier_ri(cpas_a, worker_a, login):
    """R2: the file's own RI history counts, not only the earlier periods typed in."""
    beneficiary = make_beneficiary(cpas_a, birth_date=D(1985, 6, 1))
    _ri(cpas_a, beneficiary, D(2025, 6, 1), end_on=D(2025, 12, 31))
    _ri(cpas_a, beneficiary, D(2026, 2, 1))
    obligation, _ = _page(login, worker_a, beneficiary, D(2026, 2, 2))
    assert not obligation.required and obligation.ri_decision.decided_on == D(2026, 2, 1)


@pytest.mark.scenario("T8", rules=("R3",))
def test_t8_cpas_supported_employment_counts_like_ri(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(1990, 6, 1))
    make_income_period(
        cpas_a, beneficiary=beneficiary, kind="cpas_employment", start_on=D(2025, 1, 1), end_on=D(2025, 12, 31)
    )
    _ri(cpas_a, beneficiary, D(2026, 2, 15))
    obligation, _ = _page(login, worker_a, beneficiary, D(2026, 2, 16))
    assert not obligation.required and _reasons(obligation) == ["not_new_beneficiary"]


@pytest.mark.scenario("T9", rules=("R4",))
def test_t9_top_up_ri_is_not_required_but_a_piis_may_be_proposed(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(1995, 6, 1))
    _ri(cpas_a, beneficiary, D(2026, 3, 10), employed_with_top_up=True)
    obligation, body = _page(login, worker_a, beneficiary, D(2026, 3, 11))
    assert not obligation.required and _reasons(obligation) == ["employed_with_top_up"]
    assert "a PIIS may still be proposed" in body


@pytest.mark.scenario("T10", rules=("R1",))
def test_t10_age_taken_on_the_decision_date_with_assumption_a1_shown(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(2001, 4, 2))
    _a_former_ri(cpas_a, beneficiary, end=D(2026, 3, 9))
    _ri(cpas_a, beneficiary, D(2026, 3, 10))
    obligation, body = _page(login, worker_a, beneficiary, D(2026, 4, 15))  # after the 25th birthday
    assert obligation.required and _reasons(obligation) == ["under_25"]
    assert obligation.deadline == D(2026, 6, 10)
    assert [a.code for a in obligation.assumptions] == ["A1"]
    # A1 is a working assumption, for the CPAS administrator and the DPO; the worker sees the rule's legal basis
    assert "The age is taken on the date of the RI decision." not in body
    assert "A PIIS is compulsory under 25" in body and "art. 6 and 11" in body


@pytest.mark.scenario("T11", rules=("R1",))
def test_t11_decision_on_the_25th_birthday_makes_the_piis_optional(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(2001, 4, 2))
    _a_former_ri(cpas_a, beneficiary, end=D(2026, 4, 1))
    _ri(cpas_a, beneficiary, D(2026, 4, 2))
    obligation, _ = _page(login, worker_a, beneficiary, D(2026, 4, 3))
    assert not obligation.required and _reasons(obligation) == ["not_new_beneficiary"]


@pytest.mark.scenario("T12", rules=("R14",))
def test_t12_a_contract_signed_before_the_ri_decision_does_not_conclude_the_piis(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(1984, 5, 5))
    decision = _ri(cpas_a, beneficiary, D(2026, 3, 10))
    make_contract(cpas_a, ri_decision=decision, status="in_force", signed_on=D(2026, 3, 5))
    obligation, body = _page(login, worker_a, beneficiary, D(2026, 3, 20))
    assert obligation.required and obligation.concluded_on is None and "not yet" in body


@pytest.mark.scenario("T13", rules=("R9", "R10", "R11", "R12"))
def test_t13_exemption_suspends_the_obligation_then_revives_it_with_a_new_deadline(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(2002, 6, 1))
    _ri(cpas_a, beneficiary, D(2026, 1, 15))
    make_exemption(cpas_a, beneficiary=beneficiary, ground="health", start_on=D(2026, 2, 1), end_on=D(2026, 5, 31))
    before, _ = _page(login, worker_a, beneficiary, D(2026, 1, 20))
    assert before.required and before.deadline == D(2026, 4, 15)

    during, body = _page(login, worker_a, beneficiary, D(2026, 3, 1))
    assert not during.required and _reasons(during) == ["exempted"] and "A PIIS is not required." in body

    after, body = _page(login, worker_a, beneficiary, D(2026, 6, 1))
    assert after.required and after.deadline == D(2026, 8, 31) and after.revived and not after.late
    assert "the obligation has revived" in body and "When an exemption ends" in body
    assert "The deadline runs again from the end of the exemption." not in body  # assumption A2: not for workers


def test_the_revived_deadline_counts_from_a_later_lifting_decision(cpas_a, worker_a, login):
    """R12: the later of the exemption's last day and the decision lifting it."""
    beneficiary = make_beneficiary(cpas_a, birth_date=D(2002, 6, 1))
    _ri(cpas_a, beneficiary, D(2026, 1, 15))
    make_exemption(
        cpas_a,
        beneficiary=beneficiary,
        start_on=D(2026, 2, 1),
        end_on=D(2026, 5, 31),
        lifted_on=D(2026, 6, 10),
    )
    obligation, _ = _page(login, worker_a, beneficiary, D(2026, 6, 20))
    assert obligation.deadline == D(2026, 9, 10)


@pytest.mark.scenario("T14", rules=("R15",))
def test_t14_unsigned_after_the_deadline_shows_late_without_any_sanction(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(2002, 6, 1))
    decision = _ri(cpas_a, beneficiary, D(2026, 1, 10))
    on_deadline, _ = _page(login, worker_a, beneficiary, D(2026, 4, 10))
    assert not on_deadline.late
    obligation, body = _page(login, worker_a, beneficiary, D(2026, 4, 11))
    assert obligation.late and "no PIIS has been concluded by the deadline" in body
    assert "lateness alone never grounds a sanction" in body and "cannot be claimed for the missed period" in body

    make_contract(cpas_a, ri_decision=decision, status="in_force", signed_on=D(2026, 4, 20))
    obligation, body = _page(login, worker_a, beneficiary, D(2026, 5, 1))
    assert obligation.late and obligation.concluded_on == D(2026, 4, 20)
    assert "the PIIS was concluded after its deadline" in body


def test_a_piis_concluded_in_time_is_not_late(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(2002, 6, 1))
    decision = _ri(cpas_a, beneficiary, D(2026, 1, 10))
    make_contract(cpas_a, ri_decision=decision, status="ended", signed_on=D(2026, 3, 1))
    obligation, body = _page(login, worker_a, beneficiary, D(2026, 9, 1))
    assert obligation.required and not obligation.late and obligation.concluded_on == D(2026, 3, 1)
    assert "Late" not in body


def test_a_draft_contract_does_not_conclude_the_piis(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(2002, 6, 1))
    decision = _ri(cpas_a, beneficiary, D(2026, 1, 10))
    make_contract(cpas_a, ri_decision=decision, status="awaiting_signatures", signed_on=None)
    obligation, _ = _page(login, worker_a, beneficiary, D(2026, 5, 1))
    assert obligation.late and obligation.concluded_on is None


def test_impossible_dates_give_a_message_instead_of_a_crash(cpas_a):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(2002, 6, 1))
    _ri(cpas_a, beneficiary, D(2001, 1, 10))  # an RI decided before the birth
    obligation = obligation_for_file(beneficiary=beneficiary_file_prefetch(beneficiary), today=D(2026, 1, 1))
    assert obligation.obligation is None and "wrong order" in str(obligation.error)


def test_selector_works_without_prefetch_and_is_reusable_by_the_contract_part(cpas_a):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(2002, 6, 1))
    _ri(cpas_a, beneficiary, D(2026, 1, 10))
    obligation = obligation_for_file(beneficiary=beneficiary, today=D(2026, 2, 1))
    assert obligation.required and obligation.deadline == D(2026, 4, 10) and obligation.days_left == 68


@pytest.mark.scenario("T31", rules=("R22",))
def test_t31_a_study_piis_for_a_27_year_old_needs_the_equity_assessment_decision(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, birth_date=D(1999, 1, 15))  # 27 in 2026
    _a_former_ri(cpas_a, beneficiary, end=D(2026, 8, 31))
    decision = _ri(cpas_a, beneficiary, D(2026, 9, 1))
    obligation, body = _page(login, worker_a, beneficiary, D(2026, 9, 2))
    assert not obligation.study.allowed and obligation.study.code == "EQUITY_ASSESSMENT_MISSING"
    assert "needs an equity assessment decision" in body

    with _at(D(2026, 9, 2)):
        response = login(worker_a).post(
            reverse("cases:record_edit", args=[beneficiary.pk, "ri", decision.pk]),
            {
                "category": "1",
                "requested_on": "2026-09-01",
                "decided_on": "2026-09-01",
                "start_on": "2026-09-01",
                "monthly_amount": "876.13",
                "full_time_studies": "on",
                "notes": "Bachelor in nursing, full time: improves employability (equity).",
            },
        )
    assert response.status_code == 302
    obligation, body = _page(login, worker_a, beneficiary, D(2026, 9, 2))
    assert obligation.study.allowed and "A study PIIS may be drafted." in body
    assert obligation.required and _reasons(obligation) == ["studies"]
