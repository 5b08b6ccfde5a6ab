"""The annual report reads a fixed number of queries whatever the number of files, and its plain rows give the
figures that gather_files' model instances give, with the obligation asked as of the report's day."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from piis.reports.annual import annual_report
from piis.reports.subsidy import gather_files
from tests.factories import make_income_period, make_ri_decision
from tests.followup.builders import make_evaluation
from tests.reports.builders import D, file_with_ri, sign_piis

pytestmark = pytest.mark.django_db
YEAR_START, YEAR_END = D(2026, 1, 1), D(2026, 12, 31)


def _files(cpas) -> None:
    """On time, late, missing, optional with a PIIS, a PIIS ended during the year, and a file granted in May whose
    deadline falls after mid-June (within it on 15 June, past it at the year's end), and a file whose second decision
    comes after mid-June (as of 15 June, only the first one is known)."""
    _b, on_time = file_with_ri(cpas, granted=D(2026, 2, 2), birth=D(2004, 1, 1))
    contract = sign_piis(cpas, on_time, D(2026, 3, 2))
    for held_on, mode in ((D(2026, 5, 1), "office"), (D(2026, 9, 1), "phone")):
        make_evaluation(cpas, contract=contract, held_on=held_on, mode=mode)
    _b, late = file_with_ri(cpas, granted=D(2026, 2, 2), birth=D(2004, 1, 1))
    sign_piis(cpas, late, D(2026, 8, 3))
    file_with_ri(cpas, granted=D(2026, 2, 2), birth=D(2004, 1, 1))
    older, optional = file_with_ri(cpas, granted=D(2026, 2, 2), birth=D(1970, 1, 1))
    make_income_period(cpas, beneficiary=older, start_on=D(2025, 1, 1), end_on=D(2026, 2, 1))
    sign_piis(cpas, optional, D(2026, 4, 1), ended_on=D(2026, 10, 1))
    file_with_ri(cpas, granted=D(2026, 5, 4), birth=D(2004, 1, 1))
    renewed, _d = file_with_ri(cpas, granted=D(2026, 2, 2), birth=D(2004, 1, 1))
    make_ri_decision(cpas, beneficiary=renewed, decided_on=D(2026, 9, 1), start_on=D(2026, 9, 1))


def _count(function) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def test_the_annual_report_reads_a_fixed_number_of_queries(cpas_a):
    today = D(2027, 2, 1)
    _files(cpas_a)
    few = _count(lambda: annual_report(cpas_a, 2026, today=today))
    for _ in range(4):
        _files(cpas_a)
    many = _count(lambda: annual_report(cpas_a, 2026, today=today))
    report = annual_report(cpas_a, 2026, today=today)
    assert report.section("obligation").value("files_with_ri") == 5 * 6
    assert report.section("evaluations").value("held") == 5 * 2
    assert many == few


@pytest.mark.parametrize("today", [D(2026, 6, 15), D(2027, 2, 1)])
def test_the_obligation_section_is_what_the_instances_give(cpas_a, today):
    """The figures gather_files' instances gave (the report's code before it read rows), during the year and after."""
    _files(cpas_a)
    _files(cpas_a)
    as_of = min(YEAR_END, today)
    files = gather_files(cpas_a, YEAR_START, YEAR_END, today=as_of)
    compulsory = [f for f in files if f.obligation.required]
    past = [f for f in compulsory if not f.obligation.concluded_on and f.obligation.deadline < as_of]
    optional = {f.beneficiary.pk for f in files if not f.obligation.required}
    concluded = [c for f in files for c in f.contracts if c.signed_on and YEAR_START <= c.signed_on <= YEAR_END]
    expected = {
        "files_with_ri": len(files),
        "compulsory": len(compulsory),
        "compulsory_on_time": sum(1 for f in compulsory if f.obligation.concluded_on and not f.obligation.late),
        "compulsory_late": sum(1 for f in compulsory if f.obligation.concluded_on and f.obligation.late),
        "compulsory_missing": len(past),
        "compulsory_waiting": sum(1 for f in compulsory if not f.obligation.concluded_on) - len(past),
        "optional_concluded": sum(1 for c in concluded if c.beneficiary_id in optional),
        "concluded": len(concluded),
    }
    section = annual_report(cpas_a, 2026, today=today).section("obligation")
    assert {f.key: f.value for f in section.figures} == expected
