"""T44 (R68): the subsidy starts on the RI grant day when the PIIS is signed that month, else on the 1st of the
month of signature; the claim page's line says so."""

import pytest

from piis.reports.subsidy import CLAIMED, CODE_FIRST, NOT_DUE, subsidy_line_for
from tests.reports.builders import D, file_with_ri, sign_piis

pytestmark = pytest.mark.django_db


def test_t44_same_month_starts_on_the_grant_day(cpas_a):
    beneficiary, decision = file_with_ri(cpas_a, granted=D(2026, 3, 10))
    sign_piis(cpas_a, decision, D(2026, 3, 25))
    line = subsidy_line_for(cpas_a, D(2026, 3, 1), beneficiary.pk)
    assert line.start == D(2026, 3, 10)
    assert line.status == CLAIMED and line.code == CODE_FIRST


def test_t44_later_month_starts_on_the_first_of_the_signature_month(cpas_a):
    beneficiary, decision = file_with_ri(cpas_a, granted=D(2026, 3, 10))
    sign_piis(cpas_a, decision, D(2026, 5, 12))
    line = subsidy_line_for(cpas_a, D(2026, 5, 1), beneficiary.pk)
    assert line.start == D(2026, 5, 1)
    assert line.status == CLAIMED
    # Before the signature month nothing is claimed.
    april = subsidy_line_for(cpas_a, D(2026, 4, 1), beneficiary.pk)
    assert april.status == NOT_DUE and april.amount == 0
