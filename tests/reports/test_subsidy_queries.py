"""The month's claim reads a fixed number of queries whatever the number of files, its plain rows give the lines the
model instances give (gather_files, which the annual report reads), and a page read line by line is the head of the
whole claim."""

from itertools import islice

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from piis.reports.subsidy import (
    CLAIMED,
    NOT_DUE,
    RECOVERABLE,
    _lines,
    gather_files,
    iter_subsidy_lines,
    month_bounds,
    subsidy_line_for,
    subsidy_lines,
)
from tests.factories import make_exemption, make_income_period
from tests.followup.builders import make_evaluation
from tests.reports.builders import D, couple, file_with_ri, sign_piis

pytestmark = pytest.mark.django_db
MONTH = D(2027, 5, 1)


def _files(cpas) -> None:
    """One of each kind of line in May 2027: a prolongation, a couple, a recoverable file, an exempted file, a file
    whose PIIS ended before the first period did."""
    beneficiary, decision = file_with_ri(cpas, granted=D(2026, 4, 20))
    contract = sign_piis(cpas, decision, D(2026, 5, 12))
    make_evaluation(cpas, contract=contract, held_on=D(2027, 4, 2), adjustments="Continue the training.")
    make_evaluation(cpas, contract=contract, held_on=D(2026, 9, 2), difficulties="  ")
    (_a, da), _b = couple(cpas, granted=D(2026, 4, 20))
    sign_piis(cpas, da, D(2026, 5, 2))
    file_with_ri(cpas, granted=D(2026, 4, 20), birth=D(2005, 6, 1))  # under 25, no PIIS: recovered
    exempted, _d = file_with_ri(cpas, granted=D(2026, 4, 20), birth=D(2004, 6, 1))
    make_exemption(cpas, beneficiary=exempted, start_on=D(2026, 4, 1), end_on=None, review_on=D(2027, 9, 1))
    make_income_period(cpas, beneficiary=exempted, start_on=D(2025, 1, 1), end_on=D(2025, 12, 31))
    ended, decision = file_with_ri(cpas, granted=D(2026, 4, 20))
    sign_piis(cpas, decision, D(2026, 6, 1), ended_on=D(2027, 1, 31))


def _count(function) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def test_the_claim_reads_a_fixed_number_of_queries(cpas_a):
    _files(cpas_a)
    few = _count(lambda: subsidy_lines(cpas_a, MONTH))
    for _ in range(4):
        _files(cpas_a)
    lines = subsidy_lines(cpas_a, MONTH)
    assert len(lines) == 5 * 5  # five files and one couple per round
    assert {line.status for line in lines} == {CLAIMED, RECOVERABLE, NOT_DUE}
    assert _count(lambda: subsidy_lines(cpas_a, MONTH)) == few <= 10
    assert _count(lambda: list(islice(iter_subsidy_lines(cpas_a, MONTH), 3))) == few


def test_the_rows_give_the_lines_the_instances_give(cpas_a):
    for _ in range(2):
        _files(cpas_a)
    start, end = month_bounds(MONTH)
    from_instances = list(_lines(gather_files(cpas_a, start, end), start, end, None))
    lines = subsidy_lines(cpas_a, MONTH)
    assert lines == from_instances
    assert any(line.partner_id for line in lines) and any(line.code == "17" for line in lines)
    # A page is the head of the whole claim; one person's line is their line of the claim.
    assert list(islice(iter_subsidy_lines(cpas_a, MONTH), 4)) == lines[:4]
    for line in lines:
        assert subsidy_line_for(cpas_a, MONTH, line.beneficiary_id) == line
