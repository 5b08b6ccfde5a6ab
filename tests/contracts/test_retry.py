"""Issue 16, faults: a one-shot action sent again — its response lost (a worker killed, the network), the button
pressed twice, the form sent again from the history — is not recorded twice and gets no error: the contract page
says it was already done."""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.contracts.enums import ContractStatus
from piis.contracts.models import ContractVersion, Signature
from piis.contracts.services.lifecycle import contract_sign, existing_signature
from piis.core.errors import ServiceError
from tests.contracts.isolation_lifecycle import drafted_contract
from tests.contracts.test_lifecycle import hand_over, inform
from tests.factories import make_signatory

D = datetime.date

pytestmark = pytest.mark.django_db


@pytest.fixture
def matrix(cpas_a):
    return [
        make_signatory(cpas_a, function="president", holder_name="Paula President"),
        make_signatory(cpas_a, function="general_director", holder_name="Gaston Director"),
    ]


@pytest.fixture
def version(cpas_a, worker_a):
    contract = drafted_contract(cpas_a)
    version = hand_over(worker_a, contract, D(2026, 3, 2))
    inform(worker_a, version, D(2026, 3, 2))
    return version


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _post_signature(client, version, signer):
    url = reverse("contracts:sign", args=[version.contract_id, version.pk])
    return client.post(url, {"signer": signer, "signed_on": "2026-03-09", "method": "paper"})


@time_machine.travel("2026-03-09 10:00")
@pytest.mark.parametrize("signer", ["beneficiary", "cosign"])
def test_a_signature_sent_again_shows_the_contract_as_already_signed(version, worker_a, login, matrix, signer):
    """The beneficiary leaves the form's choices once signed (the retry used to fail the form's validation); the
    co-signature stays among them (the retry used to get the service's error on the form)."""
    client = login(worker_a)
    first = _post_signature(client, version, signer)
    assert first.status_code == 302
    again = _post_signature(client, version, signer)
    assert again.status_code == 302 and again["Location"] == reverse("contracts:detail", args=[version.contract_id])
    assert any("had already signed this version on 09/03/2026" in text for text in _messages(again))
    assert version.signatures.count() == 1
    assert AuditEvent.objects.filter(verb=AuditVerb.CONTRACT_SIGNED, target_type="contracts.signature").count() == 1


@time_machine.travel("2026-03-09 10:00")
def test_the_last_signature_sent_again_after_the_contract_came_into_force(version, worker_a, login, matrix):
    """The last signature concludes the version: its retry used to find the version closed (VERSION_CLOSED)."""
    client = login(worker_a)
    for signer in ("beneficiary", f"signatory:{matrix[0].pk}", f"signatory:{matrix[1].pk}"):
        assert _post_signature(client, version, signer).status_code == 302
    version.contract.refresh_from_db()
    assert version.contract.status == ContractStatus.IN_FORCE
    again = _post_signature(client, version, f"signatory:{matrix[1].pk}")
    assert again.status_code == 302
    assert any("Gaston Director had already signed" in text for text in _messages(again))
    assert version.signatures.count() == 3
    version.refresh_from_db()
    assert version.concluded_on == D(2026, 3, 9)


def test_the_service_refuses_a_signature_given_already_even_on_a_concluded_version(version, worker_a, matrix):
    for signer in ("beneficiary", *(f"signatory:{line.pk}" for line in matrix)):
        contract_sign(membership=worker_a, version=version, signer=signer, signed_on=D(2026, 3, 9), method="paper",
                      today=D(2026, 3, 9))  # fmt: skip
    with pytest.raises(ServiceError) as error:
        contract_sign(membership=worker_a, version=version, signer="beneficiary", signed_on=D(2026, 3, 9),
                      method="paper", today=D(2026, 3, 9))  # fmt: skip
    assert error.value.code == "ALREADY_SIGNED"
    assert Signature.objects.filter(version=version).count() == 3


def test_existing_signature_names_no_one_for_an_unknown_choice(version):
    assert existing_signature(version, "signatory:999999") is None
    assert existing_signature(version, "nonsense") is None
    assert existing_signature(version, "beneficiary") is None


@time_machine.travel("2026-03-09 10:00")
def test_a_hand_over_sent_again_shows_the_contract_as_handed_over_once(cpas_a, worker_a, login, matrix):
    contract = drafted_contract(cpas_a)
    client = login(worker_a)
    url = reverse("contracts:hand_over", args=[contract.pk])
    data = {"handed_over_on": "2026-03-02", "all_rights": "on", "assistance": "declined"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 302 and again["Location"] == reverse("contracts:detail", args=[contract.pk])
    assert any("had already been handed over on 02/03/2026" in text for text in _messages(again))
    assert ContractVersion.objects.filter(contract=contract).count() == 1
