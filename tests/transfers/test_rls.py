"""On PostgreSQL as the app's unprivileged role (row-level security forced): the transfer services write the other
CPAS's side only through their own switch of the current CPAS, and leave the request's CPAS set as it was."""

import datetime

import pytest
from django.db import connection, transaction

from piis.accounts.enums import Role
from piis.core.errors import ServiceError
from piis.core.rls import grant_app_role, set_current_cpas
from piis.transfers import services
from piis.transfers.enums import Answer
from piis.transfers.models import IncomingTransfer, TakeoverReview, Transfer
from tests.core.test_isolation import temporary_app_role
from tests.factories import make_member
from tests.transfers.builders import FAKE_PDF, MOVED, make_piis_in_force

D = datetime.date
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def app_role(db):
    with temporary_app_role() as role:
        grant_app_role(role)
        yield role


def _as(role, cpas):
    with connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{role}"')
    set_current_cpas(cpas.pk)


def _current() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('app.cpas_id', true)")
        return cursor.fetchone()[0]


@pytest.mark.scenario("T28", rules=("R51",))
def test_consent_path_under_rls(cpas_a, cpas_b, app_role):
    contract = make_piis_in_force(cpas_a)
    old = make_member(cpas_a, Role.SOCIAL_WORKER)
    with transaction.atomic():
        _as(app_role, cpas_a)
        transfer = services.transfer_record_move(membership=old, contract=contract, moved_on=MOVED,
                                                 learned_on=D(2026, 7, 2), answer_by=D(2026, 7, 16),
                                                 new_cpas=cpas_b, today=D(2026, 7, 2))  # fmt: skip
        services.transfer_record_answer(membership=old, transfer=transfer, answer=Answer.CONSENT,
                                        answered_on=D(2026, 7, 3), channel="letter", today=D(2026, 7, 3))  # fmt: skip
        services.transfer_send(membership=old, transfer=transfer, pdf=FAKE_PDF, today=D(2026, 7, 3))
        assert _current() == str(cpas_a.pk)
        assert not IncomingTransfer.objects.exists()  # the new CPAS's rows stay out of the old CPAS's sight
        assert Transfer.objects.get().status == "sent"
        set_current_cpas(cpas_b.pk)
        assert IncomingTransfer.objects.get().status == "received"
        assert TakeoverReview.objects.count() == 2
        assert not Transfer.objects.exists()


@pytest.mark.scenario("T29", rules=("R52",))
def test_refusal_at_the_new_cpas_under_rls(cpas_a, cpas_b, app_role):
    contract = make_piis_in_force(cpas_a)
    old, new = make_member(cpas_a, Role.SOCIAL_WORKER), make_member(cpas_b, Role.SOCIAL_WORKER)
    with transaction.atomic():
        _as(app_role, cpas_a)
        services.transfer_record_move(membership=old, contract=contract, moved_on=MOVED, learned_on=D(2026, 7, 2),
                                      answer_by=D(2026, 7, 16), new_cpas=cpas_b, today=D(2026, 7, 2))  # fmt: skip
        set_current_cpas(cpas_b.pk)
        incoming = IncomingTransfer.objects.get()
        services.incoming_record_refusal(membership=new, incoming=incoming, refused_on=D(2026, 7, 3),
                                         channel="in_person", today=D(2026, 7, 3))  # fmt: skip
        assert _current() == str(cpas_b.pk)
        set_current_cpas(cpas_a.pk)
        assert Transfer.objects.get().status == "refused"


@pytest.mark.scenario("T29", rules=("R52",))
def test_refusal_on_the_portal_reaches_the_new_cpas_under_rls(cpas_a, cpas_b, app_role):
    """The person's refusal on their portal runs under their own CPAS (the old one) and still marks the new CPAS's
    side refused; nothing can then be sent there."""
    from piis.transfers.services_person import person_answer_transfer
    from tests.portal_person import make_person_user

    contract = make_piis_in_force(cpas_a)
    old = make_member(cpas_a, Role.SOCIAL_WORKER)
    person = make_person_user()
    with transaction.atomic():
        _as(app_role, cpas_a)
        transfer = services.transfer_record_move(membership=old, contract=contract, moved_on=MOVED,
                                                 learned_on=D(2026, 7, 2), answer_by=D(2026, 7, 16),
                                                 new_cpas=cpas_b, today=D(2026, 7, 2))  # fmt: skip
        person_answer_transfer(user=person, beneficiary=contract.beneficiary, transfer=transfer, accept=False,
                               today=D(2026, 7, 3))  # fmt: skip
        assert _current() == str(cpas_a.pk)
        assert Transfer.objects.get().status == "refused"
        with pytest.raises(ServiceError) as refused:
            services.transfer_send(membership=old, transfer=transfer, pdf=FAKE_PDF, today=D(2026, 7, 3))
        assert refused.value.code == "TRANSFER_REFUSED_NO_CONTENT"
        set_current_cpas(cpas_b.pk)
        incoming = IncomingTransfer.objects.get()
        assert incoming.status == "refused" and incoming.refusal_channel == "portal" and incoming.package is None
        assert incoming.refused_on == D(2026, 7, 3) and incoming.refusal_recorded_by == person
