"""Obligation and deadlines (R1–R15): scenarios T1–T14 and edge cases."""

from datetime import date

import pytest

from piis.rules import (
    Exemption,
    InvalidInput,
    Period,
    RuleViolation,
    conclusion_deadline,
    deadline_after_exemption,
    piis_obligation,
)
from piis.rules.obligation import (
    check_study_piis,
    counts_as_cpas_supported_employment,
    earlier_ri_period,
    is_concluded_late,
    is_new_beneficiary,
    needs_assessment_required_on_return,
    new_beneficiary_window,
)
from piis.rules.sanctions import check_sanction_ground
from piis.rules.subsidy import subsidy_start

D = date.fromisoformat


def years_before(d: date, years: int) -> date:
    return d.replace(year=d.year - years)


@pytest.mark.scenario("T1", rules=("R1", "R13"))
def test_t1_under_25_must_conclude_within_three_months_of_decision():
    decision = D("2026-01-10")
    result = piis_obligation(birth_date=years_before(decision, 23), ri_decision_date=decision, ri_start_date=decision)
    assert result.required is True
    assert result.reasons[0] == "under_25"
    assert result.deadline == D("2026-04-10")
    assert conclusion_deadline(decision) == D("2026-04-10")


@pytest.mark.scenario("T2", rules=("R2", "R13"))
def test_t2_first_time_beneficiary_is_new_and_must_conclude():
    decision = D("2026-03-10")
    result = piis_obligation(birth_date=years_before(decision, 41), ri_decision_date=decision, ri_start_date=decision)
    assert result.required is True
    assert result.reasons == ("new_beneficiary",)
    assert result.deadline == D("2026-06-10")


@pytest.mark.scenario("T3", rules=("R13",))
def test_t3_month_end_deadline_not_rolled_forward_warning_on_friday():
    decision = D("2025-11-30")
    result = piis_obligation(birth_date=D("1980-01-01"), ri_decision_date=decision, ri_start_date=decision)
    assert result.deadline == D("2026-02-28")
    assert result.deadline.weekday() == 5  # a Saturday: no roll-forward
    assert result.warning_date == D("2026-02-27")


@pytest.mark.scenario("T4", rules=("R13",))
def test_t4_leap_year_deadline():
    assert conclusion_deadline(D("2027-11-30")) == D("2028-02-29")


@pytest.mark.scenario("T5", rules=("R13",))
def test_t5_deadline_from_the_31st():
    assert conclusion_deadline(D("2026-01-31")) == D("2026-04-30")
    assert conclusion_deadline(D("2025-12-31")) == D("2026-03-31")


@pytest.mark.scenario("T6", rules=("R2",))
def test_t6_ri_day_in_lookback_window_means_not_new():
    start = D("2026-01-31")
    assert new_beneficiary_window(start) == Period(D("2025-10-31"), D("2026-01-30"))
    previous = [Period(D("2025-01-01"), D("2025-10-31"))]
    result = piis_obligation(
        birth_date=years_before(start, 40), ri_decision_date=start, ri_start_date=start, previous_ri=previous
    )
    assert result.required is False
    assert result.reasons == ("not_new_beneficiary",)
    assert result.deadline is None and result.warning_date is None


@pytest.mark.scenario("T7", rules=("R2",))
def test_t7_no_ri_in_lookback_window_means_new():
    start = D("2026-02-01")
    assert new_beneficiary_window(start) == Period(D("2025-11-01"), D("2026-01-31"))
    previous = [Period(D("2025-01-01"), D("2025-10-31"))]
    result = piis_obligation(
        birth_date=D("1985-06-01"), ri_decision_date=start, ri_start_date=start, previous_ri=previous
    )
    assert result.required is True
    assert result.reasons == ("new_beneficiary",)


@pytest.mark.scenario("T8", rules=("R3",))
def test_t8_cpas_supported_employment_in_window_means_not_new():
    start = D("2026-02-15")
    assert new_beneficiary_window(start) == Period(D("2025-11-15"), D("2026-02-14"))
    assert counts_as_cpas_supported_employment("art60_7")
    employment = [Period(D("2024-12-01"), D("2025-12-31"))]
    result = piis_obligation(
        birth_date=years_before(start, 35),
        ri_decision_date=start,
        ri_start_date=start,
        previous_cpas_employment=employment,
    )
    assert result.required is False
    assert result.reasons == ("not_new_beneficiary",)


@pytest.mark.scenario("T9", rules=("R4",))
def test_t9_working_with_top_up_is_not_obliged():
    decision = D("2026-03-10")
    result = piis_obligation(
        birth_date=years_before(decision, 30),
        ri_decision_date=decision,
        ri_start_date=decision,
        employed_with_top_up=True,
    )
    assert result.required is False
    assert result.reasons == ("employed_with_top_up",)


@pytest.mark.scenario("T10", rules=("R1",))
def test_t10_age_taken_on_decision_date_obligation_survives_birthday():
    decision = D("2026-03-10")
    not_new = [Period(D("2025-01-01"), D("2026-03-09"))]
    result = piis_obligation(
        birth_date=D("2001-04-02"), ri_decision_date=decision, ri_start_date=decision, previous_ri=not_new
    )
    assert result.required is True
    assert result.reasons == ("under_25",)
    assert result.deadline == D("2026-06-10")
    assert "A1" in result.assumptions
    after_birthday = piis_obligation(
        birth_date=D("2001-04-02"),
        ri_decision_date=decision,
        ri_start_date=decision,
        previous_ri=not_new,
        on=D("2026-04-02"),
    )
    assert after_birthday.required is True


@pytest.mark.scenario("T11", rules=("R1",))
def test_t11_decision_on_25th_birthday_no_under_25_ground():
    decision = D("2026-04-02")
    result = piis_obligation(
        birth_date=D("2001-04-02"),
        ri_decision_date=decision,
        ri_start_date=decision,
        previous_ri=[Period(D("2025-01-01"), D("2026-04-01"))],
    )
    assert result.required is False
    assert result.reasons == ("not_new_beneficiary",)


@pytest.mark.scenario("T12", rules=("R14",))
def test_t12_signature_before_ri_decision_is_refused():
    from piis.rules import check_signature

    with pytest.raises(RuleViolation) as excinfo:
        check_signature(
            final_draft_handed_over=D("2026-02-20"), signed_on=D("2026-03-05"), ri_decision_date=D("2026-03-10")
        )
    assert (excinfo.value.code, excinfo.value.rule) == ("PIIS_BEFORE_RI_DECISION", "R14")


@pytest.mark.scenario("T13", rules=("R9", "R10", "R11", "R12"))
def test_t13_exemption_suspends_then_revives_obligation():
    decision = D("2026-01-15")
    exemption = Exemption(ground="health", start=D("2026-02-01"), end=D("2026-05-31"))
    common = {"birth_date": D("1980-05-05"), "ri_decision_date": decision, "ri_start_date": decision}
    before = piis_obligation(**common, exemptions=[exemption])
    assert before.required is True and before.deadline == D("2026-04-15")
    during = piis_obligation(**common, exemptions=[exemption], on=D("2026-03-01"))
    assert (during.required, during.reasons, during.deadline) == (False, ("exempted",), None)
    after = piis_obligation(**common, exemptions=[exemption], on=D("2026-06-01"))
    assert after.required is True
    assert after.deadline == D("2026-08-31") == deadline_after_exemption(D("2026-05-31"))
    assert "A2" in after.assumptions


@pytest.mark.scenario("T14", rules=("R15",))
def test_t14_late_conclusion_flagged_no_subsidy_for_missed_period_no_sanction():
    decision = D("2026-01-10")
    deadline = conclusion_deadline(decision)
    assert is_concluded_late(deadline=deadline, signed_on=None, today=D("2026-04-11")) is True
    assert is_concluded_late(deadline=deadline, signed_on=D("2026-04-10"), today=D("2026-05-01")) is False
    signed = D("2026-05-12")
    assert is_concluded_late(deadline=deadline, signed_on=signed, today=signed) is True
    assert subsidy_start(ri_granted_from=decision, piis_signed_on=signed) == D("2026-05-01")
    with pytest.raises(RuleViolation) as excinfo:
        check_sanction_ground("late_conclusion", piis_in_force_on_breach=False)
    assert excinfo.value.code == "NO_LEGAL_GROUND"


# --- beyond the scenarios ----------------------------------------------------------------------------------------


def test_studies_ground_survives_top_up_and_exemption():
    decision = D("2026-03-10")
    common = {"birth_date": D("2004-01-01"), "ri_decision_date": decision, "ri_start_date": decision}
    result = piis_obligation(**common, full_time_studies=True)
    assert result.reasons == ("under_25", "new_beneficiary", "studies")
    topped = piis_obligation(**common, full_time_studies=True, employed_with_top_up=True)
    assert (topped.required, topped.reasons) == (True, ("studies",))
    exempted = piis_obligation(
        **common, full_time_studies=True, exemptions=[Exemption("equity", D("2026-03-01"), None)]
    )
    assert (exempted.required, exempted.reasons) == (True, ("studies",))


def test_top_up_without_any_ground_reports_not_new():
    decision = D("2026-03-10")
    result = piis_obligation(
        birth_date=D("1970-01-01"),
        ri_decision_date=decision,
        ri_start_date=decision,
        previous_ri=[Period(D("2026-01-01"), D("2026-03-09"))],
        employed_with_top_up=True,
    )
    assert result.reasons == ("not_new_beneficiary",)


def test_exemption_ended_before_decision_changes_nothing_and_latest_ended_counts():
    decision = D("2026-01-15")
    old = Exemption("health", D("2025-06-01"), D("2025-12-31"))
    first = Exemption("health", D("2026-01-20"), D("2026-02-10"))
    second = Exemption("equity", D("2026-03-01"), D("2026-03-31"))
    common = {"birth_date": D("1980-01-01"), "ri_decision_date": decision, "ri_start_date": decision}
    assert piis_obligation(**common, exemptions=[old], on=D("2026-02-01")).deadline == D("2026-04-15")
    result = piis_obligation(**common, exemptions=[second, first, old], on=D("2026-04-02"))
    assert result.deadline == D("2026-06-30")
    future = Exemption("health", D("2026-05-01"), None)
    assert piis_obligation(**common, exemptions=[future], on=D("2026-02-01")).required is True


def test_warning_date_skips_closures():
    decision = D("2025-11-30")
    result = piis_obligation(
        birth_date=D("1980-01-01"), ri_decision_date=decision, ri_start_date=decision, closures=[D("2026-02-27")]
    )
    assert result.warning_date == D("2026-02-26")


def test_new_beneficiary_ground_did_not_exist_before_the_2016_reform():
    assert is_new_beneficiary(ri_start_date=D("2016-10-31")) is False
    assert is_new_beneficiary(ri_start_date=D("2016-11-01")) is True
    assert is_new_beneficiary(ri_start_date=D("2016-10-15"), ri_decision_date=D("2016-11-02")) is True
    assert is_new_beneficiary(ri_start_date=D("2016-11-02"), ri_decision_date=D("2016-10-31")) is False


def test_born_29_february_turns_25_on_28_february():
    decision = D("2029-02-28")
    result = piis_obligation(
        birth_date=D("2004-02-29"),
        ri_decision_date=decision,
        ri_start_date=decision,
        previous_ri=[Period(D("2028-01-01"), D("2029-02-27"))],
    )
    assert result.required is False
    day_before = piis_obligation(
        birth_date=D("2004-02-29"),
        ri_decision_date=D("2029-02-27"),
        ri_start_date=D("2029-02-27"),
        previous_ri=[Period(D("2028-01-01"), D("2029-02-26"))],
    )
    assert day_before.reasons == ("under_25",)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"birth_date": D("2026-04-01")}, "DATES_OUT_OF_ORDER"),
        ({"on": D("2026-03-01")}, "DATES_OUT_OF_ORDER"),
        ({"previous_ri": [Period(D("2026-01-02"), D("2026-01-01"))]}, "DATES_OUT_OF_ORDER"),
        ({"exemptions": [Exemption("laziness", D("2026-03-10"), None)]}, "UNKNOWN_GROUND"),
        ({"exemptions": [Exemption("health", D("2026-03-10"), D("2026-03-09"))]}, "DATES_OUT_OF_ORDER"),
    ],
)
def test_obligation_rejects_impossible_input(kwargs, code):
    base = {"birth_date": D("1980-01-01"), "ri_decision_date": D("2026-03-10"), "ri_start_date": D("2026-03-10")}
    with pytest.raises(InvalidInput) as excinfo:
        piis_obligation(**{**base, **kwargs})
    assert excinfo.value.code == code
    assert isinstance(excinfo.value, ValueError)


def test_reactualisation_needs_new_assessment_only_after_three_months_of_work():
    assert needs_assessment_required_on_return(work_start=D("2026-01-15"), work_end=D("2026-04-13")) is False
    assert needs_assessment_required_on_return(work_start=D("2026-01-15"), work_end=D("2026-04-14")) is True
    with pytest.raises(InvalidInput):
        needs_assessment_required_on_return(work_start=D("2026-01-15"), work_end=D("2026-01-14"))


def test_study_piis_after_25_needs_equity_assessment():
    check_study_piis(birth_date=D("2005-01-01"), on=D("2026-09-01"), equity_assessment_decided=False)
    check_study_piis(birth_date=D("1999-01-01"), on=D("2026-09-01"), equity_assessment_decided=True)
    with pytest.raises(InvalidInput):
        check_study_piis(birth_date=D("2027-01-01"), on=D("2026-09-01"), equity_assessment_decided=True)


def test_earlier_open_ended_ri_decision_runs_until_the_day_before_the_next():
    assert earlier_ri_period(start=D("2025-06-01"), end=None, next_start=D("2026-02-01")) == Period(
        D("2025-06-01"), D("2026-01-31")
    )
    assert earlier_ri_period(start=D("2025-06-01"), end=D("2025-09-30"), next_start=D("2026-02-01")) == Period(
        D("2025-06-01"), D("2025-09-30")
    )
    # Starting the same day as the next one: a one-day period, never an end before its start.
    assert earlier_ri_period(start=D("2026-02-01"), end=None, next_start=D("2026-02-01")) == Period(
        D("2026-02-01"), D("2026-02-01")
    )


def test_earlier_ri_period_after_the_next_one_is_invalid_input():
    with pytest.raises(InvalidInput) as caught:
        earlier_ri_period(start=D("2026-03-01"), end=None, next_start=D("2026-02-01"))
    assert caught.value.code == "DATES_OUT_OF_ORDER"
