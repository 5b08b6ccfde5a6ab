"""T46 (R68, R79): 10 % of the RI granted, to the cent."""

from decimal import Decimal

import pytest

from piis.reports.subsidy import subsidy_line_for
from tests.reports.builders import D, file_with_ri, sign_piis

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("granted", "expected"), [(Decimal("876.13"), Decimal("87.61")), (Decimal("500.00"), Decimal("50.00"))]
)
def test_t46_monthly_subsidy(cpas_a, granted, expected):
    beneficiary, decision = file_with_ri(cpas_a, granted=D(2026, 3, 10), amount=granted)
    sign_piis(cpas_a, decision, D(2026, 3, 25))
    line = subsidy_line_for(cpas_a, D(2026, 4, 1), beneficiary.pk)
    assert line.amount == expected
    assert line.ri_granted == granted
