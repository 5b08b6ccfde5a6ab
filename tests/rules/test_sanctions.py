"""Sanctions and appeal (R55–R66): scenarios T33–T43."""

from datetime import date
from decimal import Decimal

import pytest

from piis.rules import (
    InvalidInput,
    RuleViolation,
    StartWindow,
    appeal_deadline,
    check_clause_sanctionable,
    check_sanction,
    check_suspension_start,
    default_sanctionable,
    max_suspension_months,
    suspension_start_window,
)
from piis.rules.sanctions import check_sanction_ground, recidivism_anchor_date, suspended_amount

D = date.fromisoformat

PROCEDURE_OK = {
    "notice_sent_on": D("2026-04-25"),
    "social_worker_opinion": True,
    "hearing_offered": True,
    "legitimate_reason": False,
    "unmet_cpas_commitment": False,
}


def sanction_error(**kwargs) -> tuple[str, str]:
    arguments = {"breach_on": D("2026-04-20"), "months": Decimal(1), **PROCEDURE_OK, **kwargs}
    with pytest.raises(RuleViolation) as excinfo:
        check_sanction(**arguments)
    return excinfo.value.code, excinfo.value.rule


@pytest.mark.scenario("T33", rules=("R56",))
def test_t33_sanction_without_formal_notice_is_blocked():
    assert sanction_error(breach_on=D("2026-04-20"), notice_sent_on=None) == ("NOTICE_MISSING", "R56")


@pytest.mark.scenario("T34", rules=("R57",))
def test_t34_legitimate_reason_prevents_any_sanction():
    assert sanction_error(legitimate_reason=True) == ("LEGITIMATE_REASON", "R57")


@pytest.mark.scenario("T35", rules=("R57",))
def test_t35_unmet_cpas_commitment_excludes_sanction():
    assert sanction_error(breach_on=D("2026-04-20"), unmet_cpas_commitment=True) == ("CPAS_COMMITMENT_UNMET", "R57")


@pytest.mark.scenario("T36", rules=("R58",))
def test_t36_first_sanction_at_most_one_month_partial_allowed():
    # first PIIS sanction, decided 2026-05-20 for a breach of 2026-05-01: no previous sanction
    assert max_suspension_months(breach_on=D("2026-05-01"), previous_sanction_decisions=[]) == Decimal(1)
    check_sanction(breach_on=D("2026-05-01"), months=Decimal(1), share=Decimal("0.5"), **PROCEDURE_OK)
    assert sanction_error(breach_on=D("2026-05-01"), months=Decimal("1.5")) == ("SANCTION_TOO_LONG", "R58")
    assert suspended_amount(ri_monthly=Decimal("876.13"), months=Decimal(1), share=Decimal("0.5")) == Decimal("438.07")


@pytest.mark.scenario("T37", rules=("R59",))
def test_t37_second_breach_eight_months_later_is_recidivism():
    previous = [D("2026-05-20")]
    assert max_suspension_months(breach_on=D("2027-01-20"), previous_sanction_decisions=previous) == Decimal(3)
    check_sanction(breach_on=D("2027-01-20"), months=Decimal(3), previous_sanction_decisions=previous, **PROCEDURE_OK)
    error = sanction_error(breach_on=D("2027-01-20"), months=Decimal("3.5"), previous_sanction_decisions=previous)
    assert error == ("SANCTION_TOO_LONG", "R59")


@pytest.mark.scenario("T38", rules=("R59",))
def test_t38_second_breach_thirteen_months_later_is_not_recidivism():
    assert max_suspension_months(breach_on=D("2027-06-20"), previous_sanction_decisions=[D("2026-05-20")]) == 1


@pytest.mark.scenario("T39", rules=("R59",))
def test_t39_recidivism_window_end_inclusive():
    previous = [recidivism_anchor_date(decided_on=D("2026-05-20"))]
    assert max_suspension_months(breach_on=D("2027-05-20"), previous_sanction_decisions=previous) == Decimal(3)
    assert max_suspension_months(breach_on=D("2027-05-21"), previous_sanction_decisions=previous) == Decimal(1)


@pytest.mark.scenario("T40", rules=("R59",))
def test_t40_recidivism_window_from_29_february():
    previous = [D("2028-02-29")]
    assert max_suspension_months(breach_on=D("2029-02-28"), previous_sanction_decisions=previous) == Decimal(3)
    assert max_suspension_months(breach_on=D("2029-03-01"), previous_sanction_decisions=previous) == Decimal(1)


@pytest.mark.scenario("T41", rules=("R61",))
def test_t41_total_deferral_suspends_no_payment():
    # a 1-month sanction with total deferral decided 2026-05-20 (breach before it)
    check_sanction(breach_on=D("2026-04-20"), months=Decimal(1), **PROCEDURE_OK)
    ri = Decimal("876.13")
    assert suspended_amount(ri_monthly=ri, months=Decimal(1), deferred_share=Decimal(1)) == Decimal("0.00")
    assert suspended_amount(ri_monthly=ri, months=Decimal(1), deferred_share=Decimal("0.5")) == Decimal("438.07")


@pytest.mark.scenario("T42", rules=("R62",))
def test_t42_suspension_start_window_and_default():
    window = suspension_start_window(decided_on=D("2026-11-15"), notified_on=D("2026-11-18"))
    assert window == StartWindow(earliest=D("2026-11-19"), latest=D("2027-02-01"), default=D("2027-01-01"))
    check_suspension_start(decided_on=D("2026-11-15"), notified_on=D("2026-11-18"), start=D("2027-02-01"))
    with pytest.raises(RuleViolation) as excinfo:
        check_suspension_start(decided_on=D("2026-11-15"), notified_on=D("2026-11-18"), start=D("2027-02-15"))
    assert (excinfo.value.code, excinfo.value.rule) == ("SUSPENSION_START_OUTSIDE_WINDOW", "R62")


@pytest.mark.scenario("T43", rules=("R66",))
def test_t43_appeal_deadline_rolled_to_next_working_day():
    deadline = appeal_deadline(D("2026-06-12"))
    assert deadline.legal == D("2026-09-12")
    assert deadline.effective == D("2026-09-14")
    assert appeal_deadline(D("2026-06-10")).effective == D("2026-09-10")


# --- beyond the scenarios ----------------------------------------------------------------------------------------


def test_late_notification_default_and_empty_window():
    late = suspension_start_window(decided_on=D("2026-11-15"), notified_on=D("2027-01-10"))
    assert late.default == D("2027-01-11")
    for notified in (D("2027-02-01"), D("2027-03-01")):
        with pytest.raises(RuleViolation) as excinfo:
            suspension_start_window(decided_on=D("2026-11-15"), notified_on=notified)
        assert (excinfo.value.code, excinfo.value.rule) == ("NOTIFICATION_TOO_LATE", "R62")
    with pytest.raises(RuleViolation) as excinfo:
        check_suspension_start(decided_on=D("2026-11-15"), notified_on=D("2027-02-01"), start=D("2027-02-02"))
    assert excinfo.value.code == "NOTIFICATION_TOO_LATE"
    with pytest.raises(InvalidInput) as invalid:
        suspension_start_window(decided_on=D("2026-11-15"), notified_on=D("2026-11-14"))
    assert invalid.value.code == "DATES_OUT_OF_ORDER"


def test_sanction_errors_in_documented_order():
    everything_wrong = {
        "clause_in_force_from": D("2026-06-01"),
        "clause_party": "training_centre",
        "clause_sanctionable": False,
        "notice_sent_on": None,
        "hearing_offered": False,
        "social_worker_opinion": False,
        "legitimate_reason": True,
        "unmet_cpas_commitment": True,
        "months": Decimal(5),
    }
    expected = [
        ("BREACH_BEFORE_CLAUSE", "S-Time-21", "clause_in_force_from", D("2026-04-01")),
        ("COMMITMENT_OF_ANOTHER_PARTY", "R56", "clause_party", "beneficiary"),
        ("CLAUSE_NOT_SANCTIONABLE", "S-Dec-15", "clause_sanctionable", True),
        ("NOTICE_MISSING", "R56", "notice_sent_on", D("2026-04-25")),
        ("HEARING_NOT_OFFERED", "R56", "hearing_offered", True),
        ("OPINION_MISSING", "R56", "social_worker_opinion", True),
        ("LEGITIMATE_REASON", "R57", "legitimate_reason", False),
        ("CPAS_COMMITMENT_UNMET", "R57", "unmet_cpas_commitment", False),
        ("SANCTION_TOO_LONG", "R58", "months", Decimal(1)),
    ]
    arguments = dict(everything_wrong)
    for code, rule, fix_key, fix_value in expected:
        assert sanction_error(**arguments) == (code, rule)
        arguments[fix_key] = fix_value
    check_sanction(breach_on=D("2026-04-20"), **{k: v for k, v in arguments.items() if k != "breach_on"})


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [({"share": Decimal(0)}, "SHARE_OUT_OF_RANGE"), ({"share": Decimal("1.01")}, "SHARE_OUT_OF_RANGE"),
     ({"months": Decimal(0)}, "MONTHS_NOT_POSITIVE")],
)  # fmt: skip
def test_sanction_rejects_impossible_input_before_any_rule(kwargs, code):
    arguments = {"breach_on": D("2026-04-20"), "months": Decimal(1), **PROCEDURE_OK, "notice_sent_on": None, **kwargs}
    with pytest.raises(InvalidInput) as excinfo:
        check_sanction(**arguments)
    assert excinfo.value.code == code


def test_decisions_after_breach_are_ignored_and_same_day_counts():
    assert max_suspension_months(breach_on=D("2026-05-19"), previous_sanction_decisions=[D("2026-05-20")]) == 1
    assert max_suspension_months(breach_on=D("2026-05-20"), previous_sanction_decisions=[D("2026-05-20")]) == 3


def test_recidivism_anchor_is_configurable():
    assert recidivism_anchor_date(decided_on=D("2026-05-20")) == D("2026-05-20")
    chosen = recidivism_anchor_date(
        decided_on=D("2026-05-20"), final_on=D("2026-08-20"), anchor="prior_sanction_final_date"
    )
    assert chosen == D("2026-08-20")
    assert recidivism_anchor_date(decided_on=D("2026-05-20"), breach_on=D("2026-04-01"), anchor="prior_breach_date")
    with pytest.raises(InvalidInput):
        recidivism_anchor_date(decided_on=D("2026-05-20"), anchor="prior_sanction_final_date")
    with pytest.raises(InvalidInput):
        recidivism_anchor_date(decided_on=D("2026-05-20"), anchor="full_moon")


@pytest.mark.parametrize("party", ["cpas", "third_party:7", "training_centre"])
def test_only_a_commitment_of_the_beneficiary_can_ground_a_sanction(party):
    # R55, R56: a sanction suspends the person's RI, so it can rest only on what the person committed to.
    with pytest.raises(RuleViolation) as excinfo:
        check_sanction(breach_on=D("2026-04-20"), months=Decimal(1), clause_party=party, **PROCEDURE_OK)
    assert (excinfo.value.code, excinfo.value.rule) == ("COMMITMENT_OF_ANOTHER_PARTY", "R56")
    with pytest.raises(RuleViolation) as excinfo:
        check_clause_sanctionable(party=party, sanctionable=True)
    assert (excinfo.value.code, excinfo.value.rule) == ("COMMITMENT_OF_ANOTHER_PARTY", "R56")
    check_clause_sanctionable(party=party, sanctionable=False)
    check_clause_sanctionable(party="beneficiary", sanctionable=True)
    check_sanction(breach_on=D("2026-04-20"), months=Decimal(1), clause_party="beneficiary", **PROCEDURE_OK)
    assert default_sanctionable("training", party=party) is False
    assert default_sanctionable("training", party="beneficiary") is True


def test_only_two_legal_sanction_grounds():
    check_sanction_ground("piis_non_compliance", piis_in_force_on_breach=True)
    check_sanction_ground("undeclared_resources", piis_in_force_on_breach=False)
    with pytest.raises(RuleViolation) as excinfo:
        check_sanction_ground("piis_non_compliance", piis_in_force_on_breach=False)
    assert (excinfo.value.code, excinfo.value.rule) == ("NO_PIIS_IN_FORCE", "R56")


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [({"share": Decimal(0)}, "SHARE_OUT_OF_RANGE"), ({"deferred_share": Decimal(2)}, "SHARE_OUT_OF_RANGE"),
     ({"months": Decimal(-1)}, "MONTHS_NOT_POSITIVE"), ({"ri_monthly": Decimal(-1)}, "AMOUNT_NEGATIVE")],
)  # fmt: skip
def test_suspended_amount_rejects_impossible_input(kwargs, code):
    with pytest.raises(InvalidInput) as excinfo:
        suspended_amount(**{"ri_monthly": Decimal(100), "months": Decimal(1), **kwargs})
    assert excinfo.value.code == code
