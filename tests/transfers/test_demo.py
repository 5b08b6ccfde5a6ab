"""The demo has, in each CPAS, a transfer waiting for the person's answer and one refused; loading twice adds none."""

import pytest

from piis.demo.data import load_demo_data
from piis.transfers.models import IncomingTransfer, Transfer

pytestmark = pytest.mark.django_db


def test_demo_transfers_in_both_cpas_and_idempotent():
    load_demo_data()
    by_cpas = {}
    for transfer in Transfer.objects.all():
        by_cpas.setdefault(transfer.cpas_id, []).append(transfer.status)
    assert len(by_cpas) == 2
    assert all(sorted(statuses) == ["awaiting_answer", "refused"] for statuses in by_cpas.values())
    refused = IncomingTransfer.objects.filter(status="refused")
    assert refused.count() == 2 and all(i.package is None for i in refused)
    load_demo_data()
    assert Transfer.objects.count() == 4
