"""T48 (R71, behind its flag): 63 % of the people with an RI in 2028 had a PIIS → the rate is 12.5 %."""

from decimal import Decimal

import pytest

from piis.reports.subsidy import bonus_malus_for, subsidy_line_for
from tests.reports.builders import D, file_with_ri, sign_piis

pytestmark = pytest.mark.django_db


def _cpas_with_63_percent(cpas):
    files = [file_with_ri(cpas, granted=D(2027, 12, 1), birth=D(1960, 1, 1)) for _ in range(100)]
    for _beneficiary, decision in files[:63]:
        sign_piis(cpas, decision, D(2027, 12, 15))
    return files


def test_t48_rate_from_coverage(cpas_a, settings):
    settings.PIIS_SUBSIDY_BONUS_MALUS = True
    files = _cpas_with_63_percent(cpas_a)
    result = bonus_malus_for(cpas_a, 2028)
    assert result.coverage == Decimal("0.63")
    assert result.rate == Decimal("0.125")
    line = subsidy_line_for(cpas_a, D(2028, 3, 1), files[0][0].pk)
    assert line.amount == (files[0][1].monthly_amount * Decimal("0.125")).quantize(Decimal("0.01"))


def test_t48_flag_off_keeps_ten_percent(cpas_a, settings):
    settings.PIIS_SUBSIDY_BONUS_MALUS = False
    files = _cpas_with_63_percent(cpas_a)
    assert bonus_malus_for(cpas_a, 2028).rate is None
    line = subsidy_line_for(cpas_a, D(2028, 3, 1), files[0][0].pk)
    assert line.amount == Decimal("87.61")
