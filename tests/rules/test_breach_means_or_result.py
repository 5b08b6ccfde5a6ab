"""check_breach and the kind of obligation a commitment promised (R56, S-Dec-12): a commitment of means (to try, to
attend) is breached only by effort not made; a "result not obtained" breach is accepted only for a commitment of
result (to obtain)."""

from datetime import date

import pytest

from piis.rules import (
    BREACH_EFFORT_NOT_MADE,
    BREACH_KINDS,
    BREACH_RESULT_NOT_OBTAINED,
    OBLIGATION_KINDS,
    OBLIGATION_MEANS,
    OBLIGATION_RESULT,
    InvalidInput,
    RuleViolation,
    check_breach,
)

D = date
BASE = {"breach_on": D(2026, 4, 20), "piis_in_force_on_breach": True, "clause_in_force_from": D(2026, 1, 15),
        "clause_party": "beneficiary", "clause_sanctionable": True}  # fmt: skip


def test_the_vocabularies_are_the_two_kinds():
    assert frozenset({OBLIGATION_MEANS, OBLIGATION_RESULT}) == OBLIGATION_KINDS
    assert frozenset({BREACH_EFFORT_NOT_MADE, BREACH_RESULT_NOT_OBTAINED}) == BREACH_KINDS


@pytest.mark.parametrize(
    ("obligation", "breach"),
    [
        (OBLIGATION_MEANS, BREACH_EFFORT_NOT_MADE),
        (OBLIGATION_RESULT, BREACH_EFFORT_NOT_MADE),
        (OBLIGATION_RESULT, BREACH_RESULT_NOT_OBTAINED),
    ],
)
def test_a_breach_of_what_was_promised_is_accepted(obligation, breach):
    check_breach(**BASE, clause_obligation=obligation, breach_kind=breach)


def test_a_result_not_obtained_is_no_breach_of_a_commitment_of_means():
    with pytest.raises(RuleViolation) as refused:
        check_breach(**BASE, clause_obligation=OBLIGATION_MEANS, breach_kind=BREACH_RESULT_NOT_OBTAINED)
    assert (refused.value.code, refused.value.rule) == ("RESULT_NOT_PROMISED", "R56")


def test_the_earlier_reasons_come_first():
    with pytest.raises(RuleViolation) as refused:
        check_breach(**{**BASE, "clause_sanctionable": False}, clause_obligation=OBLIGATION_MEANS,
                     breach_kind=BREACH_RESULT_NOT_OBTAINED)  # fmt: skip
    assert refused.value.code == "CLAUSE_NOT_SANCTIONABLE"


@pytest.mark.parametrize(
    ("obligation", "breach", "code"),
    [("effort", BREACH_EFFORT_NOT_MADE, "UNKNOWN_OBLIGATION_KIND"), (OBLIGATION_MEANS, "late", "UNKNOWN_BREACH_KIND")],
)
def test_unknown_kinds_are_invalid_input(obligation, breach, code):
    with pytest.raises(InvalidInput) as refused:
        check_breach(**BASE, clause_obligation=obligation, breach_kind=breach)
    assert refused.value.code == code
