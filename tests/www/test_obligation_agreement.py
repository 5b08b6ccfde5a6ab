"""The file page, the contract page and the agenda say the same about the PIIS obligation (one adapter).

The named case is issue 9's: a renewal without a gap made the contract page call a never-compulsory PIIS late. The
property test builds random files (decisions, earlier periods, exemptions, contracts in several states) and reads
the three screens' answers on a random day.
"""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piis.cases.selectors import beneficiary_file_prefetch
from piis.contracts.obligation import conclusion_for_contract, obligation_for_file
from piis.contracts.selectors_lifecycle import lifecycle_context
from piis.followup.selectors import Kind, agenda_for_user
from tests.factories import (
    make_beneficiary,
    make_contract,
    make_exemption,
    make_income_period,
    make_ri_decision,
)

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)


def _years_before(day: D, years: int) -> D:
    return day.replace(year=day.year - years, day=min(day.day, 28))


def _screens(membership, beneficiary, today):
    """(file page's obligation, {contract id: contract page's (deadline, late)}, agenda's conclusion items)."""
    beneficiary = beneficiary_file_prefetch(type(beneficiary).objects.get(pk=beneficiary.pk))
    contracts = list(beneficiary.contracts.all())
    file = obligation_for_file(beneficiary=beneficiary, today=today, contracts=contracts)
    pages = {}
    for contract in contracts:
        context = lifecycle_context(membership=membership, contract=contract, today=today)
        pages[contract.pk] = (context["conclusion_deadline"], context["late"])
    agenda = [
        item
        for item in agenda_for_user(cpas=membership.cpas, user=membership.user, today=today)
        if item.kind == Kind.CONCLUSION and item.beneficiary.pk == beneficiary.pk
    ]
    return file, contracts, pages, agenda


def test_renewal_without_gap_of_a_36_year_old_is_never_late_on_any_screen(cpas_a, worker_a):
    """Issue 9: RI decided 2025-05-25 (open-ended from 2025-06-01), renewed 2026-01-10: no obligation anywhere."""
    beneficiary = make_beneficiary(cpas_a, birth_date=D(1989, 3, 1), social_worker=worker_a.user)
    make_ri_decision(cpas_a, beneficiary=beneficiary, decided_on=D(2025, 5, 25), start_on=D(2025, 6, 1))
    renewal = make_ri_decision(cpas_a, beneficiary=beneficiary, decided_on=D(2026, 1, 10), start_on=D(2026, 1, 10))
    contract = make_contract(cpas_a, ri_decision=renewal, social_worker=worker_a.user)
    file, _contracts, pages, agenda = _screens(worker_a, beneficiary, D(2026, 5, 1))
    assert file.required is False and file.deadline is None and file.late is False
    assert pages[contract.pk] == (None, False)
    assert agenda == []
    assert conclusion_for_contract(contract, today=D(2026, 5, 1)).late is False  # the sign form asks nothing


def test_renewal_while_a_piis_is_in_force_opens_no_new_deadline(cpas_a, worker_a):
    """The legal service's answer: a renewal without a gap, taken while a PIIS is in force, is met by that PIIS."""
    beneficiary = make_beneficiary(cpas_a, birth_date=D(2003, 3, 1), social_worker=worker_a.user)
    first = make_ri_decision(cpas_a, beneficiary=beneficiary, decided_on=D(2025, 5, 25), start_on=D(2025, 6, 1))
    make_ri_decision(cpas_a, beneficiary=beneficiary, decided_on=D(2026, 1, 10), start_on=D(2026, 1, 10))
    piis = make_contract(
        cpas_a, ri_decision=first, social_worker=worker_a.user, status="in_force", signed_on=D(2025, 7, 1)
    )
    file, _contracts, pages, agenda = _screens(worker_a, beneficiary, D(2026, 6, 1))
    assert file.required is True  # under 25 on the renewal's date
    assert file.concluded_on == D(2025, 7, 1) and file.late is False
    assert pages[piis.pk] == (file.deadline, False)
    assert agenda == []


def test_new_entitlement_after_the_gap_needs_a_new_piis(cpas_a, worker_a):
    """Only a new entitlement after the R2 gap opens a new deadline: the old, ended PIIS does not meet it."""
    beneficiary = make_beneficiary(cpas_a, birth_date=D(1980, 3, 1), social_worker=worker_a.user)
    old = make_ri_decision(
        cpas_a, beneficiary=beneficiary, decided_on=D(2022, 1, 10), start_on=D(2022, 1, 10), end_on=D(2022, 12, 31)
    )
    make_contract(
        cpas_a,
        ri_decision=old,
        social_worker=worker_a.user,
        status="ended",
        signed_on=D(2022, 2, 1),
        ended_on=D(2022, 12, 31),
    )
    make_ri_decision(cpas_a, beneficiary=beneficiary, decided_on=D(2026, 1, 10), start_on=D(2026, 1, 10))
    file, _contracts, _pages, agenda = _screens(worker_a, beneficiary, D(2026, 5, 1))
    assert file.required and [r.code for r in file.reasons] == ["new_beneficiary"]
    assert file.concluded_on is None and file.late is True
    assert [(item.due_on, item.overdue) for item in agenda] == [(file.deadline, True)]


_contract = st.tuples(st.sampled_from(["draft", "in_force", "ended"]), st.integers(-200, 400), st.integers(30, 700))
# A file has at most one contract that is not ended (a database constraint): the last one drawn may be open.
_contracts = st.builds(
    lambda ended, last: [("ended", signed, length) for _s, signed, length in ended] + ([last] if last else []),
    st.lists(_contract, max_size=2),
    st.one_of(st.none(), _contract),
)
_file = st.fixed_dictionaries(
    {
        "age": st.integers(18, 60),
        "first": st.dates(D(2017, 1, 1), D(2026, 6, 30)),
        "first_end": st.one_of(st.none(), st.integers(20, 400)),
        "renewal": st.one_of(st.none(), st.integers(1, 900)),
        "studies": st.booleans(),
        "top_up": st.booleans(),
        "earlier_ri_end": st.one_of(st.none(), st.integers(1, 800)),
        "exemption": st.one_of(st.none(), st.tuples(st.integers(-30, 200), st.integers(10, 300))),
        "contracts": _contracts,
        "today": st.integers(0, 600),
    }
)


def _build(cpas, worker, spec):
    first = spec["first"]
    beneficiary = make_beneficiary(cpas, birth_date=_years_before(first, spec["age"]), social_worker=worker.user)
    end = first + spec["first_end"] * DAY if spec["first_end"] is not None else None
    decision = make_ri_decision(cpas, beneficiary=beneficiary, decided_on=first, start_on=first, end_on=end)
    if spec["earlier_ri_end"] is not None:
        earlier_end = first - spec["earlier_ri_end"] * DAY
        make_income_period(cpas, beneficiary=beneficiary, start_on=earlier_end - 90 * DAY, end_on=earlier_end)
    if spec["renewal"] is not None:
        renewed = first + spec["renewal"] * DAY
        decision = make_ri_decision(
            cpas,
            beneficiary=beneficiary,
            decided_on=renewed,
            start_on=renewed,
            full_time_studies=spec["studies"],
            employed_with_top_up=spec["top_up"],
        )
    if spec["exemption"] is not None:
        offset, length = spec["exemption"]
        start = decision.decided_on + offset * DAY
        make_exemption(
            cpas,
            beneficiary=beneficiary,
            decided_on=start,
            start_on=start,
            review_on=start,
            end_on=start + length * DAY,
        )
    for status, signed, length in spec["contracts"]:
        signed_on = decision.decided_on + signed * DAY if status != "draft" else None
        ended_on = signed_on + length * DAY if status == "ended" else None
        make_contract(
            cpas,
            ri_decision=decision,
            social_worker=worker.user,
            status=status,
            signed_on=signed_on,
            ended_on=ended_on,
        )
    return beneficiary, decision.decided_on + spec["today"] * DAY


def _check_agreement(file, contracts, pages, agenda):
    expected = file.required and file.concluded_on is None
    assert [(i.due_on, i.overdue) for i in agenda] == ([(file.deadline, file.late)] if expected else [])
    for contract in contracts:
        deadline, late = pages[contract.pk]
        if contract.status == "ended" or not file.required:
            assert (deadline, late) == (None, False)
            continue
        answers = contract.signed_on is None if file.concluded_on is None else contract.signed_on == file.concluded_on
        assert (deadline, late) == ((file.deadline, file.late) if answers else (None, False))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=_file)
def test_file_page_contract_page_and_agenda_agree(cpas_a, worker_a, spec):
    with transaction.atomic():
        beneficiary, today = _build(cpas_a, worker_a, spec)
        _check_agreement(*_screens(worker_a, beneficiary, today))
        transaction.set_rollback(True)
