"""The person asks for an amendment on their portal; the worker sees it on the contract page and the agenda and
marks it answered (audited)."""

import datetime
import uuid

import pytest
from django.urls import reverse

from piis.accounts.models import Membership
from piis.audit.models import AuditEvent
from piis.contracts.models import AmendmentRequest
from piis.contracts.services.person import amendment_request_answer, person_request_amendment
from piis.core.errors import ServiceError
from piis.followup.selectors import Kind, agenda_for_user
from tests.factories import make_beneficiary, make_contract
from tests.portal_person import make_person_user

D = datetime.date
TODAY = D(2026, 5, 4)
pytestmark = pytest.mark.django_db


def _in_force(cpas):
    return make_contract(cpas, status="in_force", signed_on=D(2026, 1, 15))


def test_request_recorded_once_shown_on_the_agenda_and_answered(cpas_a):
    contract = _in_force(cpas_a)
    user, key = make_person_user(), uuid.uuid4()
    kwargs = {"user": user, "beneficiary": contract.beneficiary, "contract": contract, "today": TODAY}
    first = person_request_amendment(text="Changer d'horaire", submission_key=key, **kwargs)
    again = person_request_amendment(text="Changer d'horaire", submission_key=key, **kwargs)
    assert first.pk == again.pk and AmendmentRequest.objects.count() == 1
    assert first.requested_by == user and first.requested_on == TODAY
    event = AuditEvent.objects.get(verb="amendment_requested")
    assert event.actor == user and event.context.startswith("portal")
    worker = contract.social_worker
    items = [i for i in agenda_for_user(cpas=cpas_a, user=worker, today=TODAY) if i.kind == Kind.AMENDMENT_REQUEST]
    assert [i.object_id for i in items] == [first.pk] and "Changer d'horaire" in items[0].detail
    membership = Membership.objects.get(user=worker, cpas=cpas_a)
    amendment_request_answer(membership=membership, amendment_request=first, answer="Vu ensemble", today=TODAY)
    first.refresh_from_db()
    assert first.answered_on == TODAY and first.answered_by == worker
    assert AuditEvent.objects.filter(verb="amendment_request_answered", actor=worker).exists()
    assert not [i for i in agenda_for_user(cpas=cpas_a, user=worker, today=TODAY) if i.kind == Kind.AMENDMENT_REQUEST]
    with pytest.raises(ServiceError) as refused:
        amendment_request_answer(membership=membership, amendment_request=first, answer="", today=TODAY)
    assert refused.value.code == "AMENDMENT_REQUEST_ANSWERED"


def test_a_person_cannot_ask_on_another_persons_contract(cpas_a):
    contract = _in_force(cpas_a)
    with pytest.raises(ServiceError) as refused:
        person_request_amendment(user=make_person_user(), beneficiary=make_beneficiary(cpas_a), contract=contract,
                                 text="x", today=TODAY)  # fmt: skip
    assert refused.value.code == "PERSON_NOT_OWN" and not AmendmentRequest.objects.exists()


def test_only_a_piis_in_force_and_words_required(cpas_a):
    draft = make_contract(cpas_a)
    with pytest.raises(ServiceError) as refused:
        person_request_amendment(user=make_person_user(), beneficiary=draft.beneficiary, contract=draft, text="x",
                                 today=TODAY)  # fmt: skip
    assert refused.value.code == "AMENDMENT_REQUEST_NOT_IN_FORCE"
    contract = _in_force(make_beneficiary(cpas_a).cpas)
    with pytest.raises(ServiceError) as refused:
        person_request_amendment(user=make_person_user(), beneficiary=contract.beneficiary, contract=contract,
                                 text=" ", today=TODAY)  # fmt: skip
    assert refused.value.code == "PERSON_TEXT_REQUIRED"


def test_contract_page_shows_it_and_the_worker_answers_it(cpas_a, login):
    contract = _in_force(cpas_a)
    request = person_request_amendment(user=make_person_user(), beneficiary=contract.beneficiary,
                                       contract=contract, text="Moins d'heures", today=TODAY)  # fmt: skip
    client = login(Membership.objects.get(user=contract.social_worker, cpas=cpas_a))
    html = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "Moins d&#x27;heures" in html or "Moins d'heures" in html
    url = reverse("contracts:amendment_request_answer", args=[contract.pk, request.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"answer": "x" * 2001})
    assert response.status_code == 200 and "x" * 2001 in response.content.decode()  # nothing typed lost
    response = client.post(url, {"answer": "On en parle lundi"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.answered_on is not None and request.answer == "On en parle lundi"
