"""The lifecycle table (contracts/enums.py: TRANSITIONS) is what the services and the contract page do.

Every (transition, state) pair is tried through the services on a contract brought to that state through the
services: a declared transition lands on the table's target, any other is refused with a ServiceError and leaves the
contract where it was. The page offers exactly the actions the table allows, and no template compares a status.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from piis.contracts.enums import TRANSITIONS, EndReason, LifecycleState, Transition, can_transition
from piis.contracts.rights import RIGHT_CODES
from piis.contracts.selectors import contract_state
from piis.contracts.services.lifecycle import (
    contract_back_to_draft,
    contract_end,
    contract_hand_over,
    contract_sign,
    contract_start_amendment,
    version_record_information,
)
from piis.core.errors import ServiceError
from tests.contracts.isolation_lifecycle import drafted_contract
from tests.factories import make_signatory

D = datetime.date
HANDED_OVER_ON, SIGNED_ON = D(2026, 3, 2), D(2026, 3, 9)
AMENDMENT_ON, CONSENTED_ON = D(2026, 6, 1), D(2026, 6, 8)
LATER = D(2026, 7, 1)  # when each transition is tried: after every reflection period
REFUSED = "refused"
S = LifecycleState

pytestmark = pytest.mark.django_db


@pytest.fixture
def matrix(cpas_a):
    return [
        make_signatory(cpas_a, function="president", holder_name="Paula President"),
        make_signatory(cpas_a, function="general_director", holder_name="Gaston Director"),
    ]


def _hand_over(worker, contract, on):
    version = contract_hand_over(membership=worker, contract=contract, handed_over_on=on, today=on, reason="Dates")
    version_record_information(membership=worker, version=version, given_on=on, rights=list(RIGHT_CODES),
                               assistance="declined", today=on)  # fmt: skip
    return version


def _sign(worker, version, signer, on):
    contract_sign(membership=worker, version=version, signer=signer, signed_on=on, method="paper", today=on)


def _all_but_one(worker, version, matrix, on):
    """Every required party signs but the last CPAS line: the next signature of that line completes the version."""
    _sign(worker, version, "beneficiary", on)
    for line in matrix[:-1]:
        _sign(worker, version, f"signatory:{line.pk}", on)


def build(state, cpas, worker, matrix):
    """A contract brought to `state` through the services only."""
    contract = drafted_contract(cpas)
    version = _hand_over(worker, contract, HANDED_OVER_ON)
    if state == S.DRAFT:  # withdrawn: there is a version, closed, to try signing
        contract_back_to_draft(membership=worker, contract=contract)
    if state in (S.AWAITING_SIGNATURES, S.IN_FORCE, S.ENDED, S.AMENDMENT_DRAFTING, S.AMENDMENT_HANDED_OVER):
        _all_but_one(worker, version, matrix, SIGNED_ON)
    if state in (S.IN_FORCE, S.ENDED, S.AMENDMENT_DRAFTING, S.AMENDMENT_HANDED_OVER):
        _sign(worker, version, f"signatory:{matrix[-1].pk}", SIGNED_ON)
    if state == S.ENDED:
        contract_end(membership=worker, contract=contract, ended_on=SIGNED_ON, reason=EndReason.OTHER, today=SIGNED_ON)
    if state in (S.AMENDMENT_DRAFTING, S.AMENDMENT_HANDED_OVER):
        contract_start_amendment(membership=worker, contract=contract, reason="New training dates")
    if state == S.AMENDMENT_HANDED_OVER:
        _all_but_one(worker, _hand_over(worker, contract, AMENDMENT_ON), matrix, CONSENTED_ON)
    contract.refresh_from_db()
    return contract


def _latest(contract):
    return contract.versions.order_by("-number").first()


PERFORM = {
    Transition.HAND_OVER: lambda w, c, m: contract_hand_over(
        membership=w, contract=c, handed_over_on=LATER, today=LATER, reason="Dates"
    ),
    Transition.BACK_TO_DRAFT: lambda w, c, m: contract_back_to_draft(membership=w, contract=c),
    # The social worker's co-signature counts for nothing required: it signs without ever concluding (T20).
    Transition.SIGN: lambda w, c, m: _sign(w, _latest(c), "cosign", LATER),
    Transition.CONCLUDE: lambda w, c, m: _sign(w, _latest(c), f"signatory:{m[-1].pk}", LATER),
    Transition.START_AMENDMENT: lambda w, c, m: contract_start_amendment(membership=w, contract=c, reason="Dates"),
    Transition.END: lambda w, c, m: contract_end(
        membership=w, contract=c, ended_on=LATER, reason=EndReason.COMPLETED, today=LATER
    ),
}


def expected(transition, state):
    """The table's target, or REFUSED. One pair cannot be refused by a service: the signature meant to conclude,
    tried on a version nobody has signed yet, is a first signature, which the table declares as SIGN."""
    if (transition, state) == (Transition.CONCLUDE, S.HANDED_OVER):
        return TRANSITIONS[Transition.SIGN][state]
    return TRANSITIONS[transition].get(state, REFUSED)


@pytest.mark.parametrize(
    ("transition", "state"),
    [(transition, state) for transition in Transition for state in LifecycleState],
    ids=lambda value: str(value),
)
def test_the_services_follow_the_transitions_table(cpas_a, worker_a, matrix, transition, state):
    contract = build(state, cpas_a, worker_a, matrix)
    assert contract_state(contract) == state
    try:
        PERFORM[transition](worker_a, contract, matrix)
    except ServiceError:
        outcome = REFUSED
        contract.refresh_from_db()
        assert contract_state(contract) == state  # a refused transition changes nothing
    else:
        contract.refresh_from_db()
        outcome = contract_state(contract)
    assert outcome == expected(transition, state)


def test_every_state_is_reached_and_left_as_declared():
    sources = {state for moves in TRANSITIONS.values() for state in moves}
    targets = {state for moves in TRANSITIONS.values() for state in moves.values()}
    assert sources | targets == set(LifecycleState)
    assert targets >= set(LifecycleState) - {S.DRAFT} and S.DRAFT in targets  # back to draft
    assert sources == set(LifecycleState) - {S.ENDED}  # the only final state


# --- the contract page ------------------------------------------------------------------------------------------

ACTIONS = {
    Transition.HAND_OVER: lambda c: reverse("contracts:hand_over", args=[c.pk]),
    Transition.BACK_TO_DRAFT: lambda c: reverse("contracts:back_to_draft", args=[c.pk]),
    Transition.START_AMENDMENT: lambda c: reverse("contracts:amendment_start", args=[c.pk]),
    Transition.END: lambda c: reverse("contracts:end", args=[c.pk]),
}


@pytest.mark.parametrize("state", list(LifecycleState), ids=str)
def test_the_contract_page_offers_exactly_what_the_table_allows(cpas_a, worker_a, matrix, login, state):
    contract = build(state, cpas_a, worker_a, matrix)
    page = login(worker_a).get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    offered = {transition for transition, url in ACTIONS.items() if f'"{url(contract)}"' in page}
    if re.search(rf"/{contract.pk}/versions/\d+/sign/", page):
        offered.add(Transition.SIGN)
    allowed = {transition for transition in (*ACTIONS, Transition.SIGN) if can_transition(state, transition)}
    assert offered == allowed


def test_no_contract_template_compares_a_status():
    folder = Path(settings.BASE_DIR) / "piis" / "templates" / "contracts"
    pattern = re.compile(r"status\s*(==|!=)|\.status\s+(not\s+)?in\b")
    offending = [str(path) for path in folder.rglob("*.html") if pattern.search(path.read_text())]
    assert offending == []
