"""The typed snapshot of a version (snapshot.py): written at hand-over, read back whatever its schema."""

import datetime

import pytest

from piis.contracts.diff import version_diff
from piis.contracts.models import ContractVersion
from piis.contracts.services.lifecycle import contract_hand_over
from piis.contracts.snapshot import (
    SNAPSHOT_SCHEMA,
    ContractSnapshot,
    SignatoryLine,
    freeze_contract,
    version_snapshot,
)
from tests.contracts.isolation_lifecycle import drafted_contract
from tests.factories import make_signatory

D = datetime.date
pytestmark = pytest.mark.django_db


def hand_over(worker, contract):
    return contract_hand_over(membership=worker, contract=contract, handed_over_on=D(2026, 3, 2),
                              today=D(2026, 3, 2))  # fmt: skip


def test_the_stored_json_reads_back_as_the_typed_snapshot(cpas_a, worker_a):
    contract = drafted_contract(cpas_a, third_party=True)
    version = hand_over(worker_a, contract)
    snapshot = version_snapshot(version)
    assert snapshot == freeze_contract(contract)
    assert snapshot.to_json() == version.snapshot and snapshot.schema == SNAPSHOT_SCHEMA
    assert snapshot.beneficiary.birth_date == contract.beneficiary.birth_date  # a date, not a string
    assert snapshot.objectives[0].steps[0].due_on == contract.objectives.get().steps.get().due_on
    assert [third.code for third in snapshot.third_parties] == [contract.third_parties.get().party_code]


def test_hand_over_saves_the_required_cpas_signatory_lines_of_that_day(cpas_a, worker_a):
    president = make_signatory(cpas_a, function="president", holder_name="Paula President")
    make_signatory(cpas_a, function="other", holder_name="Optional Olivia", required=False)
    version = hand_over(worker_a, drafted_contract(cpas_a))
    assert version.snapshot["cpas_signatories"] == [
        {"line_id": president.pk, "function": "president", "holder_name": "Paula President"}
    ]
    assert version_snapshot(version).cpas_signatories == (SignatoryLine(president.pk, "president", "Paula President"),)


def test_a_snapshot_of_schema_1_still_reads_and_falls_back_to_todays_matrix(cpas_a, worker_a):
    """Versions handed over before schema 2 did not save the signatory lines: today's matrix stands in."""
    version = hand_over(worker_a, drafted_contract(cpas_a))
    old = {key: value for key, value in version.snapshot.items() if key != "cpas_signatories"} | {"schema": 1}
    ContractVersion.objects.filter(pk=version.pk).update(snapshot=old)
    version.refresh_from_db()
    today = make_signatory(cpas_a, function="president", holder_name="Nora Now")
    snapshot = version_snapshot(version)
    assert snapshot.schema == 1 and snapshot.cpas_signatories is None
    assert snapshot.signatory_lines(cpas=cpas_a) == [SignatoryLine(today.pk, "president", "Nora Now")]
    assert snapshot.clauses[0].text == "Suivre la formation en vente."


def test_a_missing_key_reads_as_its_default():
    snapshot = ContractSnapshot.from_json({"schema": 1, "objectives": [{"id": 1, "title": "Travailler"}]})
    assert snapshot.objectives[0].steps == () and snapshot.objectives[0].due_on is None
    assert snapshot.third_parties == () and snapshot.beneficiary.first_name == ""


def test_the_diff_of_a_first_version_compares_with_nothing(cpas_a, worker_a):
    version = hand_over(worker_a, drafted_contract(cpas_a))
    diff = version_diff(None, version_snapshot(version))
    assert [row.status for row in diff.objectives] == ["added"] and diff.objectives[0].is_added
    assert {"beneficiary", "cpas"} <= diff.touched
    assert version_diff(version_snapshot(version), version_snapshot(version)).is_empty
