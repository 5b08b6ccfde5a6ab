"""The person answers the transfer of their PIIS on their portal (R52), through the staff's own answer service."""

import datetime

import pytest

from piis.accounts.enums import Role
from piis.audit.models import AuditEvent
from piis.core.errors import ServiceError
from piis.transfers import services
from piis.transfers.enums import Answer, TransferStatus
from piis.transfers.models import IncomingTransfer
from piis.transfers.services_person import person_answer_transfer
from tests.factories import make_beneficiary, make_member
from tests.portal_person import make_person_user
from tests.transfers.builders import MOVED, make_piis_in_force

D = datetime.date
pytestmark = pytest.mark.django_db
TODAY = D(2026, 7, 3)


def _move(cpas_a, cpas_b):
    contract = make_piis_in_force(cpas_a)
    old = make_member(cpas_a, Role.SOCIAL_WORKER)
    return services.transfer_record_move(
        membership=old, contract=contract, moved_on=MOVED, learned_on=D(2026, 7, 2), answer_by=D(2026, 7, 16),
        new_cpas=cpas_b, today=D(2026, 7, 2),
    )  # fmt: skip


@pytest.mark.scenario("T29", rules=("R52",))
def test_refusal_on_the_portal_reaches_the_new_cpas_as_from_staff(cpas_a, cpas_b):
    transfer = _move(cpas_a, cpas_b)
    user = make_person_user()
    person_answer_transfer(user=user, beneficiary=transfer.beneficiary, transfer=transfer, accept=False, today=TODAY)
    transfer.refresh_from_db()
    incoming = IncomingTransfer.objects.get(cpas=cpas_b)
    assert transfer.status == TransferStatus.REFUSED and transfer.answer == Answer.REFUSAL
    assert transfer.channel == "portal" and incoming.refusal_channel == "portal"
    assert incoming.status == TransferStatus.REFUSED and incoming.package is None
    rows = AuditEvent.objects.filter(verb="transfer_refused")
    assert {r.cpas_id for r in rows} == {cpas_a.pk, cpas_b.pk}
    assert all(r.actor == user and r.context.startswith("portal") for r in rows)
    # a second tap: nothing changes
    with pytest.raises(ServiceError) as refused:
        person_answer_transfer(user=user, beneficiary=transfer.beneficiary, transfer=transfer, accept=True,
                               today=TODAY)  # fmt: skip
    assert refused.value.code == "PERSON_TRANSFER_CLOSED"


def test_consent_on_the_portal(cpas_a, cpas_b):
    transfer = _move(cpas_a, cpas_b)
    person_answer_transfer(user=make_person_user(), beneficiary=transfer.beneficiary, transfer=transfer,
                           accept=True, today=TODAY)  # fmt: skip
    transfer.refresh_from_db()
    assert transfer.answer == Answer.CONSENT and transfer.status == TransferStatus.AWAITING_ANSWER
    assert transfer.channel == "portal"


def test_a_person_cannot_answer_another_persons_transfer(cpas_a, cpas_b):
    transfer = _move(cpas_a, cpas_b)
    with pytest.raises(ServiceError) as refused:
        person_answer_transfer(user=make_person_user(), beneficiary=make_beneficiary(cpas_a), transfer=transfer,
                               accept=False, today=TODAY)  # fmt: skip
    assert refused.value.code == "PERSON_NOT_OWN"
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.AWAITING_ANSWER and not transfer.answer
