"""T45 (R70): a couple on the category-3 RI — recoverable when an obliged partner has no PIIS by the deadline; one
subsidy on the category-3 amount, not doubled, when both sign."""

from decimal import Decimal

import pytest

from piis.reports.subsidy import CLAIMED, RECOVERABLE, subsidy_line_for, subsidy_lines
from tests.reports.builders import D, couple, sign_piis

pytestmark = pytest.mark.django_db


def test_t45_one_partner_missing_is_recoverable(cpas_a):
    (a, da), (b, db) = couple(cpas_a, granted=D(2026, 3, 10))
    sign_piis(cpas_a, da, D(2026, 4, 1))
    # Both are new beneficiaries: b's deadline (three months) is long past in September.
    line = subsidy_line_for(cpas_a, D(2026, 9, 1), a.pk)
    assert line.partner_id == b.pk
    assert line.status == RECOVERABLE


def test_t45_both_signed_one_subsidy_on_category_3(cpas_a):
    (a, da), (b, db) = couple(cpas_a, granted=D(2026, 3, 10))
    sign_piis(cpas_a, da, D(2026, 4, 1))
    sign_piis(cpas_a, db, D(2026, 4, 2))
    lines = [line for line in subsidy_lines(cpas_a, D(2026, 9, 1)) if a.pk in line.beneficiary_ids]
    assert len(lines) == 1  # the couple is one line, not two
    assert lines[0].status == CLAIMED
    assert lines[0].amount == Decimal("177.61")  # once, on the category-3 amount
