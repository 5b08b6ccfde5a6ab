"""The contract page reads each relation once, in a number of queries that does not grow with the contract's
objectives, clauses, third parties, versions, signatures, evaluations, documents, letters or requests (issue 15)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from piis.accounts.enums import Role
from piis.contracts.obligation import conclusion_for_contract
from piis.contracts.selectors import contract_get_for_user
from piis.contracts.services.lifecycle import contract_hand_over, contract_start_amendment
from tests.contracts.isolation_lifecycle import drafted_contract
from tests.contracts.test_lifecycle import hand_over, in_force, inform, sign, sign_all_cpas
from tests.documents.builders import make_document, make_explanation, make_letter
from tests.factories import (
    make_clause,
    make_closure_day,
    make_contract,
    make_exemption,
    make_income_period,
    make_member,
    make_objective,
    make_signatory,
    make_step,
    make_third_party,
)
from tests.followup.builders import make_evaluation
from tests.followup.isolation_person_actions import make_amendment_request, make_evaluation_comment

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def matrix(cpas_a):
    return [
        make_signatory(cpas_a, function="president", holder_name="Paula President"),
        make_signatory(cpas_a, function="general_director", holder_name="Gaston Director"),
    ]


def _grow(cpas, contract, worker, n: int) -> None:
    """`n` more of everything the page lists."""
    for i in range(n):
        third = make_third_party(cpas, contract=contract, name=f"Partner {i}")
        objective = make_objective(cpas, contract=contract, title=f"Objective {i}")
        objective.assessment_items.set(contract.assessment.items.all())
        make_step(cpas, objective=objective, owner="third_party", third_party=third)
        make_clause(cpas, contract=contract, objective=objective, text=f"Person {i}")
        make_clause(cpas, contract=contract, party="third_party", third_party=third, kind="training")
        make_document(cpas, beneficiary=contract.beneficiary, contract=contract, title=f"Proof {i}",
                      step=objective.steps.first(), added_by=worker.user)  # fmt: skip
        make_letter(cpas, beneficiary=contract.beneficiary, contract=contract, subject=f"Letter {i}")
        make_amendment_request(cpas, contract=contract, text=f"Request {i}")


def _count(client, contract, django_assert_max_num_queries) -> int:
    url = reverse("contracts:detail", args=[contract.pk])
    client.get(url)
    with django_assert_max_num_queries(100) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@time_machine.travel("2026-06-10 10:00")
def test_contract_in_force_page_queries_do_not_grow(cpas_a, matrix, login, django_assert_max_num_queries):
    worker = make_member(cpas_a, Role.SOCIAL_WORKER)
    with time_machine.travel("2026-03-10 10:00"):
        contract, version = in_force(cpas_a, worker, matrix, third_party=True)
    client = login(worker)
    make_explanation(cpas_a, version=version)
    comment_on = make_evaluation(cpas_a, contract=contract, held_on=D(2026, 4, 10))
    make_evaluation_comment(cpas_a, evaluation=comment_on)
    _grow(cpas_a, contract, worker, 1)
    first = _count(client, contract, django_assert_max_num_queries)
    # Session, user, second factor, membership, tenancy, the session's save, and the test's 4 savepoints: 10. The
    # contract and its audit row: 2. The objectives with their steps and needs, commitments, third parties: 5. The
    # versions: 1. The obligation: the file's decisions, 1 (its periods, exemptions, other contracts and the CPAS's
    # closure days are read with the contract, and this file has none of the first three). Evaluations and the
    # person's comments on them: 2. Documents, letters, explanations: 3. Amendment requests: 1. (The transfer: none,
    # read with the contract.)
    assert first <= 25
    _grow(cpas_a, contract, worker, 4)
    for held_on in (D(2026, 5, 10), D(2026, 6, 1)):
        make_evaluation_comment(cpas_a, evaluation=make_evaluation(cpas_a, contract=contract, held_on=held_on))
    assert _count(client, contract, django_assert_max_num_queries) == first


def test_contract_with_an_amendment_handed_over_page_queries_do_not_grow(
    cpas_a, matrix, login, django_assert_max_num_queries
):
    worker = make_member(cpas_a, Role.SOCIAL_WORKER)
    with time_machine.travel("2026-03-10 10:00"):
        contract, _first = in_force(cpas_a, worker, matrix, third_party=True)
    with time_machine.travel("2026-06-09 10:00"):
        contract_start_amendment(membership=worker, contract=contract, reason="x")
        contract.refresh_from_db()
        make_clause(cpas_a, contract=contract, party="cpas", kind="cpas_support", text="Un entretien par mois.")
        version = contract_hand_over(membership=worker, contract=contract, handed_over_on=D(2026, 6, 1),
                                     today=D(2026, 6, 1), reason="New")  # fmt: skip
        inform(worker, version, D(2026, 6, 1))
        sign(worker, version, "beneficiary", D(2026, 6, 8))
        _grow(cpas_a, contract, worker, 1)  # (one row of each: a relation without any is not read)
        client = login(worker)
        first = _count(client, contract, django_assert_max_num_queries)
        sign_all_cpas(worker, version, matrix, D(2026, 6, 8))
        sign(worker, version, "cosign", D(2026, 6, 8))
        _grow(cpas_a, contract, worker, 3)
        assert _count(client, contract, django_assert_max_num_queries) == first


@time_machine.travel("2026-03-12 10:00")
def test_contract_handed_over_page_queries_do_not_grow(cpas_a, matrix, login, django_assert_max_num_queries):
    worker = make_member(cpas_a, Role.SOCIAL_WORKER)
    contract = drafted_contract(cpas_a, third_party=True)
    version = hand_over(worker, contract, D(2026, 3, 2))
    inform(worker, version, D(2026, 3, 2))
    make_explanation(cpas_a, version=version)
    client = login(worker)
    first = _count(client, contract, django_assert_max_num_queries)
    # As above (without evaluations, documents, letters or requests, which are not read), plus the open version's
    # signatures and the CPAS's signatory matrix.
    assert first <= 23
    sign(worker, version, "beneficiary", D(2026, 3, 9))
    sign(worker, version, "cosign", D(2026, 3, 9))
    assert _count(client, contract, django_assert_max_num_queries) == first


@time_machine.travel("2026-06-10 10:00")
def test_a_contract_reads_none_of_the_relations_it_has_no_row_of(cpas_a, matrix, login, django_assert_max_num_queries):
    worker = make_member(cpas_a, Role.SOCIAL_WORKER)
    with time_machine.travel("2026-03-10 10:00"):
        contract, _version = in_force(cpas_a, worker, matrix)
    client = login(worker)
    # As the contract in force above, without third parties, evaluations (and comments), documents, letters,
    # explanations and amendment requests (whether it has any is read with the contract): 25 - 7.
    assert _count(client, contract, django_assert_max_num_queries) <= 18


@pytest.mark.parametrize("facts", [False, True])
@time_machine.travel("2026-06-10 10:00")
def test_the_obligation_read_with_the_contract_is_the_one_read_apart(cpas_a, worker_a, facts):
    """conclusion_for_contract says the same whether the file's relations and closure days come with the contract
    (obligation_facts: the empty ones not read) or are read apart."""
    contract = drafted_contract(cpas_a, decided_on=D(2025, 10, 1))
    if facts:
        make_income_period(cpas_a, beneficiary=contract.beneficiary)
        make_exemption(cpas_a, beneficiary=contract.beneficiary, start_on=D(2025, 1, 1), end_on=D(2025, 3, 1))
        make_closure_day(cpas_a, day=D(2026, 1, 5))
        make_contract(cpas_a, ri_decision=contract.ri_decision, social_worker=worker_a.user, status="ended",
                      signed_on=D(2025, 11, 2), ended_on=D(2026, 1, 31), end_reason="ri_ended")  # fmt: skip

    def conclusion(**kwargs):
        read = contract_get_for_user(membership=worker_a, contract_id=contract.pk, context="t", audit=False, **kwargs)
        answer = conclusion_for_contract(read, today=D(2026, 6, 10))
        return answer.deadline, answer.late, answer.file.warning_date, answer.file.concluded_on, answer.answers

    assert conclusion(with_obligation_facts=True) == conclusion()
