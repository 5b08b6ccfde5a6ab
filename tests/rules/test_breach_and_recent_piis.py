"""check_breach (S-Dec 12, R56, S-Time 21, S-Dec 15) and piis_recently_changed (S-Time 22), the two entry points the
sanction procedure's adapter (piis/sanctions/facts.py) needed beside check_sanction."""

from datetime import date

import pytest

from piis.rules import RuleViolation, check_breach, piis_recently_changed

D = date
OK = {"piis_in_force_on_breach": True, "clause_in_force_from": D(2026, 1, 15), "clause_party": "beneficiary",
      "clause_sanctionable": True, "clause_obligation": "means", "breach_kind": "effort_not_made"}  # fmt: skip


def test_a_breach_of_the_persons_sanctionable_commitment_in_force_is_accepted():
    check_breach(breach_on=D(2026, 4, 20), **OK)
    check_breach(breach_on=D(2026, 1, 15), **OK)  # the day it came into force


@pytest.mark.parametrize(
    ("change", "code", "rule"),
    [
        ({"piis_in_force_on_breach": False}, "NO_PIIS_IN_FORCE", "R56"),
        ({"clause_in_force_from": D(2026, 6, 1)}, "BREACH_BEFORE_CLAUSE", "S-Time-21"),
        ({"clause_in_force_from": None}, "BREACH_BEFORE_CLAUSE", "S-Time-21"),
        ({"clause_party": "cpas"}, "COMMITMENT_OF_ANOTHER_PARTY", "R56"),
        ({"clause_sanctionable": False}, "CLAUSE_NOT_SANCTIONABLE", "S-Dec-15"),
    ],
)
def test_a_breach_is_refused_in_the_documented_order(change, code, rule):
    with pytest.raises(RuleViolation) as refused:
        check_breach(breach_on=D(2026, 5, 20), **{**OK, **change})
    assert (refused.value.code, refused.value.rule) == (code, rule)


def test_no_piis_wins_over_every_other_reason():
    with pytest.raises(RuleViolation) as refused:
        check_breach(breach_on=D(2026, 5, 20), piis_in_force_on_breach=False, clause_in_force_from=None,
                     clause_party="cpas", clause_sanctionable=False, clause_obligation="means",
                     breach_kind="effort_not_made")  # fmt: skip
    assert refused.value.code == "NO_PIIS_IN_FORCE"


def test_s_time_22_a_piis_concluded_or_amended_fewer_than_30_days_before_is_flagged():
    opened = D(2026, 5, 1)
    assert piis_recently_changed(changed_on=[D(2026, 4, 2)], procedure_on=opened) == D(2026, 4, 2)  # 29 days
    assert piis_recently_changed(changed_on=[D(2026, 4, 1)], procedure_on=opened) is None  # 30 days
    assert piis_recently_changed(changed_on=[D(2026, 1, 1), D(2026, 4, 20), D(2026, 4, 10)], procedure_on=opened) == D(
        2026, 4, 20
    )
    assert piis_recently_changed(changed_on=[D(2026, 5, 2)], procedure_on=opened) is None  # after the opening
    assert piis_recently_changed(changed_on=[], procedure_on=opened) is None
