"""R50: a known data set, and every figure of the annual report checked against it (computed, never typed)."""

from decimal import Decimal

import pytest

from piis.reports.annual import annual_report
from tests.factories import make_exemption
from tests.followup.builders import make_evaluation, make_meeting_request
from tests.reports.builders import D, file_with_ri, sign_piis
from tests.sanctions.builders import make_appeal, make_decision, make_dossier
from tests.transfers.builders import make_incoming, make_transfer

pytestmark = pytest.mark.django_db
TODAY = D(2027, 2, 1)  # the year 2026 is over


@pytest.fixture
def obligation_report(cpas_a):
    # Compulsory (under 25, new): on time, late, missing.
    _b, on_time = file_with_ri(cpas_a, granted=D(2026, 2, 2), birth=D(2004, 1, 1))
    contract = sign_piis(cpas_a, on_time, D(2026, 3, 2))
    _b, late = file_with_ri(cpas_a, granted=D(2026, 2, 2), birth=D(2004, 1, 1))
    sign_piis(cpas_a, late, D(2026, 8, 3))
    file_with_ri(cpas_a, granted=D(2026, 2, 2), birth=D(2004, 1, 1))
    # Optional (over 25, not new: an RI period before without a gap): a PIIS concluded in the year.
    older, optional = file_with_ri(cpas_a, granted=D(2026, 2, 2), birth=D(1970, 1, 1))
    from tests.factories import make_income_period

    make_income_period(cpas_a, beneficiary=older, start_on=D(2025, 1, 1), end_on=D(2026, 2, 1))
    sign_piis(cpas_a, optional, D(2026, 4, 1))
    # Evaluations on the on-time PIIS: two at the office, one by phone.
    for held_on, mode in ((D(2026, 5, 1), "office"), (D(2026, 9, 1), "office"), (D(2026, 12, 1), "phone")):
        make_evaluation(cpas_a, contract=contract, held_on=held_on, mode=mode)
    return annual_report(cpas_a, 2026, today=TODAY), contract


@pytest.fixture
def report(cpas_a, obligation_report):
    _report, contract = obligation_report
    # Exemptions: one health granted in 2026, review due 2026-05-01 and left running.
    make_exemption(cpas_a, ground="health", end_on=None)
    make_exemption(cpas_a, ground="equity", decided_on=D(2026, 6, 1), start_on=D(2026, 6, 1),
                   review_on=D(2026, 9, 1), end_on=None, lifted_on=D(2026, 9, 1))  # fmt: skip
    # Meetings: one held on time (5 days), one held late (20 days), one still open past its deadline.
    make_meeting_request(cpas_a, status="held", held_on=D(2026, 4, 8))
    make_meeting_request(cpas_a, status="held", held_on=D(2026, 4, 23))
    make_meeting_request(cpas_a)
    # Sanctions: a dossier opened, a partial suspension decided with partial deferral, appealed and annulled.
    decision = make_decision(cpas_a, deferral="partial", notified_on=D(2026, 5, 25))
    make_appeal(cpas_a, decision=decision, outcome="annulled", outcome_on=D(2026, 10, 1))
    make_dossier(cpas_a, status="closed", closed_on=D(2026, 6, 1), closure_reason="complied")
    # Transfers: one refused by the person; one PIIS received.
    make_transfer(cpas_a, status="refused", answer="refusal")
    make_incoming(cpas_a, received_on=D(2026, 7, 1), status="received")
    return annual_report(cpas_a, 2026, today=TODAY)


def test_obligation_figures(obligation_report):
    section = obligation_report[0].section("obligation")
    assert section.value("files_with_ri") == 4
    assert section.value("compulsory") == 3
    assert section.value("compulsory_on_time") == 1
    assert section.value("compulsory_late") == 1
    assert section.value("compulsory_missing") == 1
    assert section.value("compulsory_waiting") == 0
    assert section.value("optional_concluded") == 1
    assert section.value("concluded") == 3


def test_exemption_figures(report):
    section = report.section("exemptions")
    assert section.value("granted_health") == 1
    assert section.value("granted_equity") == 1
    assert section.value("reviews_due") == 2
    assert section.value("lifted") == 1
    assert section.value("reviews_overdue") == 1


def test_evaluation_figures(obligation_report):
    section = obligation_report[0].section("evaluations")
    assert section.value("held") == 3
    assert section.value("held_office") == 2
    assert section.value("held_phone") == 1
    assert section.value("years_ended") == 0  # the first contract year ends in 2027


def test_meeting_figures(report):
    section = report.section("meetings")
    assert section.value("requested") == 3
    assert section.value("held_on_time") == 1
    assert section.value("held_late") == 1
    assert section.value("open_overdue") == 1
    assert section.value("average_days") == Decimal("12.5")


def test_sanction_figures(report):
    section = report.section("sanctions")
    assert section.value("decided_partial_suspension") == 1
    assert section.value("deferral_partial") == 1
    assert section.value("appeals_lodged") == 1
    assert section.value("appeal_annulled") == 1
    assert section.value("closed_complied") == 1


def test_transfer_figures(report):
    section = report.section("transfers")
    assert section.value("outgoing_refused") == 1
    assert section.value("incoming_received") == 1


def test_coverage_month_by_month(obligation_report):
    coverage = obligation_report[0].coverage
    assert len(coverage) == 12
    assert (coverage[1].with_ri, coverage[1].with_piis) == (4, 0)  # February: RI granted, nothing signed
    assert (coverage[2].with_ri, coverage[2].with_piis) == (4, 1)  # March: the on-time PIIS
    assert (coverage[3].with_ri, coverage[3].with_piis) == (4, 2)  # April: the optional one
    assert (coverage[7].with_ri, coverage[7].with_piis) == (4, 3)  # August: the late one
    assert coverage[7].percent == 75
