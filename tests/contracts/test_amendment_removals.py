"""While an amendment is drafted, what the contract in force's signatures or evaluations refer to stays: removing a
third party who signed, an objective with recorded progress or a reviewed commitment is refused with a message —
not a server error — and nothing is removed nor recorded."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from piis.accounts.enums import Role
from piis.audit.models import AuditEvent
from piis.contracts.models import Clause, Objective, ThirdParty
from piis.contracts.services.lifecycle import contract_start_amendment
from tests.contracts.test_lifecycle import in_force, matrix  # noqa: F401
from tests.factories import make_member
from tests.followup.builders import make_commitment_review, make_evaluation, make_objective_progress

pytestmark = pytest.mark.django_db
REFUSED = "This cannot be removed: signatures or evaluations already recorded refer to it."


@pytest.fixture
def amending(cpas_a, matrix):  # noqa: F811
    worker = make_member(cpas_a, Role.SOCIAL_WORKER)
    contract, _version = in_force(cpas_a, worker, matrix, third_party=True)
    evaluation = make_evaluation(cpas_a, contract=contract, held_on=datetime.date(2026, 4, 10))
    make_objective_progress(cpas_a, evaluation=evaluation, objective=contract.objectives.get())
    make_commitment_review(cpas_a, evaluation=evaluation, clause=contract.clauses.get(party="cpas"))
    contract_start_amendment(membership=worker, contract=contract, reason="Nouvelles dates")
    return worker, contract


@pytest.mark.parametrize(
    ("route", "model", "pick"),
    [
        ("contracts:third_party_delete", ThirdParty, lambda c: c.third_parties.get()),
        ("contracts:objective_delete", Objective, lambda c: c.objectives.get()),
        ("contracts:clause_delete", Clause, lambda c: c.clauses.get(party="cpas")),
    ],
)
def test_what_the_contract_in_force_refers_to_is_not_removed(amending, login, route, model, pick):
    worker, contract = amending
    target = pick(contract)
    before = AuditEvent.objects.count()
    response = login(worker).post(reverse(route, args=[target.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("contracts:detail", args=[contract.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [REFUSED]
    assert model.objects.filter(pk=target.pk).exists()
    assert contract.clauses.count() == 3 and contract.objectives.count() == 1  # nothing half-removed
    assert AuditEvent.objects.count() == before


def test_a_commitment_nothing_refers_to_is_still_removed(amending, login):
    worker, contract = amending
    clause = contract.clauses.get(party="beneficiary")
    response = login(worker).post(reverse("contracts:clause_delete", args=[clause.pk]))
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Removed."]
    assert not Clause.objects.filter(pk=clause.pk).exists()
