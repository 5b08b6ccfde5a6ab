"""Transfers and students (R21, R22, R51–R54): scenarios T28–T31."""

from datetime import date

import pytest

from piis.rules import RuleViolation, forward_request_deadline, transfer_applies
from piis.rules.obligation import check_study_piis
from piis.rules.transfers import transfer_content_allowed

D = date.fromisoformat


@pytest.mark.scenario("T28", rules=("R51",))
def test_t28_move_transfers_the_piis():
    # moves on 2026-07-01 with a general PIIS: transferred to the newly competent CPAS
    assert transfer_applies(study_piis=False, studies_uninterrupted=False) is True
    assert transfer_content_allowed(refusal_recorded=False) is True
    assert forward_request_deadline(D("2026-07-01")) == D("2026-07-06")


@pytest.mark.scenario("T29", rules=("R52",))
def test_t29_explicit_refusal_blocks_transfer_of_content():
    # refusal told to the new CPAS on 2026-07-03
    assert transfer_content_allowed(refusal_recorded=True) is False


@pytest.mark.scenario("T30", rules=("R21",))
def test_t30_student_moving_during_uninterrupted_studies_is_not_transferred():
    # study PIIS signed 2026-09-14, student aged 22
    assert transfer_applies(study_piis=True, studies_uninterrupted=True) is False
    assert transfer_applies(study_piis=True, studies_uninterrupted=False) is True


@pytest.mark.scenario("T31", rules=("R22",))
def test_t31_student_aged_27_needs_equity_assessment_not_rejection():
    birth = D("1999-05-01")
    with pytest.raises(RuleViolation) as excinfo:
        check_study_piis(birth_date=birth, on=D("2026-09-01"), equity_assessment_decided=False)
    assert (excinfo.value.code, excinfo.value.rule) == ("EQUITY_ASSESSMENT_MISSING", "R22")
    check_study_piis(birth_date=birth, on=D("2026-09-01"), equity_assessment_decided=True)
