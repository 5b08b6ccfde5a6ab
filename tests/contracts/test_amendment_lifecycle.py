"""Amendments (R49, R28): a new version, a readable diff, information, every party's consent (T26, T27)."""

import datetime

import pytest
from django.urls import reverse

from piis.contracts.diff import version_diff
from piis.contracts.enums import ContractStatus
from piis.contracts.services.lifecycle import (
    contract_back_to_draft,
    contract_hand_over,
    contract_start_amendment,
)
from piis.contracts.snapshot import version_snapshot
from piis.core.errors import ServiceError
from tests.contracts.test_lifecycle import in_force, inform, matrix, sign, sign_all_cpas  # noqa: F401

D = datetime.date
pytestmark = pytest.mark.django_db


def start_and_hand_over(worker, contract, change, on=None):
    on = on or D(2026, 6, 1)
    contract_start_amendment(membership=worker, contract=contract, reason="New training dates")
    contract.refresh_from_db()
    assert contract.editing_amendment and contract.status == ContractStatus.IN_FORCE
    change(contract)
    version = contract_hand_over(membership=worker, contract=contract, handed_over_on=on, today=on,
                                 reason="New training dates")  # fmt: skip
    contract.refresh_from_db()
    assert not contract.editing_amendment and version.kind == "amendment" and version.number == 2
    return version


def change_cpas_clause(contract):
    clause = contract.clauses.get(party="cpas")
    clause.text = "Le CPAS paie aussi le matériel."
    clause.save()


@pytest.mark.scenario("T26", rules=("R49",))
def test_t26_third_party_must_consent_even_when_only_cpas_clauses_change(cpas_a, worker_a, matrix):  # noqa: F811
    contract, first = in_force(cpas_a, worker_a, matrix, third_party=True)
    third = contract.third_parties.get()
    untouched = contract.clauses.get(party="beneficiary")
    version = start_and_hand_over(worker_a, contract, change_cpas_clause)
    diff = version_diff(version_snapshot(first), version_snapshot(version))
    assert diff.touched == {"cpas"}
    inform(worker_a, version, D(2026, 6, 1))
    sign(worker_a, version, "beneficiary", D(2026, 6, 8))
    sign_all_cpas(worker_a, version, matrix, D(2026, 6, 8))
    version.refresh_from_db()
    assert version.concluded_on is None  # THIRD_PARTY_CONSENT_MISSING: the partner is a party
    sign(worker_a, version, f"third_party:{third.pk}", D(2026, 6, 9))
    version.refresh_from_db()
    first.refresh_from_db()
    contract.refresh_from_db()
    assert version.concluded_on == D(2026, 6, 9) and first.superseded and not version.superseded
    assert contract.status == ContractStatus.IN_FORCE and contract.signed_on == D(2026, 3, 9)
    assert contract.clauses.get(party="cpas").in_force_from == D(2026, 6, 9)
    untouched.refresh_from_db()
    assert untouched.in_force_from == D(2026, 3, 9)


@pytest.mark.scenario("T26", rules=("R49",))
def test_t26_page_says_the_third_party_consent_is_missing(cpas_a, worker_a, matrix, login):  # noqa: F811
    contract, _first = in_force(cpas_a, worker_a, matrix, third_party=True)
    version = start_and_hand_over(worker_a, contract, change_cpas_clause)
    inform(worker_a, version, D(2026, 6, 1))
    sign(worker_a, version, "beneficiary", D(2026, 6, 8))
    sign_all_cpas(worker_a, version, matrix, D(2026, 6, 8))
    page = login(worker_a).get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "every third party must consent" in page
    assert "Le CPAS paie aussi le matériel." in page  # the diff, side by side


@pytest.mark.scenario("T27", rules=("R28", "R49"))
def test_t27_no_consent_to_an_amendment_without_the_information_recorded(cpas_a, worker_a, matrix):  # noqa: F811
    contract, _first = in_force(cpas_a, worker_a, matrix)
    version = start_and_hand_over(worker_a, contract, change_cpas_clause)
    with pytest.raises(ServiceError) as error:
        sign(worker_a, version, "beneficiary", D(2026, 6, 8))
    assert error.value.code == "RIGHTS_INFORMATION_MISSING"
    assert not version.signatures.exists()


def test_amendment_needs_a_reason_and_a_contract_in_force(cpas_a, worker_a, matrix):  # noqa: F811
    contract, _first = in_force(cpas_a, worker_a, matrix)
    contract_start_amendment(membership=worker_a, contract=contract)  # the reason is asked at the hand-over
    with pytest.raises(ServiceError) as error:
        contract_start_amendment(membership=worker_a, contract=contract, reason="x")
    assert error.value.code == "AMENDMENT_PENDING"
    change_cpas_clause(contract)
    with pytest.raises(ServiceError) as error:
        contract_hand_over(membership=worker_a, contract=contract, handed_over_on=D(2026, 6, 1), today=D(2026, 6, 1),
                           reason=" ")  # fmt: skip
    assert (error.value.code, error.value.field) == ("REASON_REQUIRED", "reason")


def test_amendment_back_to_draft_reopens_the_content(cpas_a, worker_a, matrix):  # noqa: F811
    contract, first = in_force(cpas_a, worker_a, matrix)
    version = start_and_hand_over(worker_a, contract, change_cpas_clause)
    contract_back_to_draft(membership=worker_a, contract=contract)
    contract.refresh_from_db()
    version.refresh_from_db()
    assert contract.editing_amendment and version.superseded and contract.status == ContractStatus.IN_FORCE


def test_version_page_shows_the_diff_with_the_previous_version(cpas_a, worker_a, matrix, login):  # noqa: F811
    contract, _first = in_force(cpas_a, worker_a, matrix)
    version = start_and_hand_over(worker_a, contract, change_cpas_clause)
    page = login(worker_a).get(reverse("contracts:version", args=[contract.pk, version.pk])).content.decode()
    assert "Le CPAS paie aussi le matériel." in page and "Le CPAS paie les frais" in page
