"""T47 (R69): the prolongation needs a PIIS in force on the last day of the first period and a written motivation."""

import pytest

from piis.reports.subsidy import CLAIMED, CODE_PROLONGATION, NOT_DUE, subsidy_line_for
from tests.followup.builders import make_evaluation
from tests.reports.builders import D, file_with_ri, sign_piis

pytestmark = pytest.mark.django_db


def _file(cpas, *, ended_on=None):
    # RI granted 2026-04-20, PIIS signed 2026-05-12: first period 2026-05-01 → 2027-04-30.
    beneficiary, decision = file_with_ri(cpas, granted=D(2026, 4, 20))
    contract = sign_piis(cpas, decision, D(2026, 5, 12), ended_on=ended_on)
    return beneficiary, contract


def test_t47_no_piis_on_the_last_day_no_prolongation(cpas_a):
    beneficiary, contract = _file(cpas_a, ended_on=D(2027, 3, 31))
    make_evaluation(cpas_a, contract=contract, held_on=D(2027, 2, 1), adjustments="Continue the training.")
    line = subsidy_line_for(cpas_a, D(2027, 5, 1), beneficiary.pk)
    assert line.first_period.end == D(2027, 4, 30)
    assert line.status == NOT_DUE and line.code == ""
    assert "last day" in line.reason


def test_t47_piis_without_motivation_no_prolongation(cpas_a):
    beneficiary, contract = _file(cpas_a)
    line = subsidy_line_for(cpas_a, D(2027, 5, 1), beneficiary.pk)
    assert line.status == NOT_DUE


def test_t47_piis_and_motivation_prolongation(cpas_a):
    beneficiary, contract = _file(cpas_a)
    make_evaluation(cpas_a, contract=contract, held_on=D(2027, 4, 2), adjustments="Continue the training.")
    line = subsidy_line_for(cpas_a, D(2027, 5, 1), beneficiary.pk)
    assert line.status == CLAIMED and line.code == CODE_PROLONGATION
    april = subsidy_line_for(cpas_a, D(2027, 4, 1), beneficiary.pk)
    assert april.code == "11"
