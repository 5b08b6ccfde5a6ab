"""The person says on their portal who assists them (R38)."""

import pytest

from piis.audit.models import AuditEvent
from piis.cases.models import Assistant
from piis.cases.services_person import person_set_assistant
from piis.core.errors import ServiceError
from tests.factories import make_assistant, make_beneficiary, make_member
from tests.portal_person import make_person_user

pytestmark = pytest.mark.django_db


def test_the_person_names_their_assistant_once_even_sent_twice(cpas_a):
    person, user = make_beneficiary(cpas_a), make_person_user()
    make_assistant(cpas_a, beneficiary=person, name="Recorded by the worker")
    for _ in range(2):
        assistant = person_set_assistant(user=user, beneficiary=person, name="Marie Dupont", relationship="Sœur",
                                         may_receive_file_data=True)  # fmt: skip
    assert Assistant.objects.filter(beneficiary=person).count() == 2
    assert assistant.may_receive_file_data and assistant.relationship == "Sœur"
    event = AuditEvent.objects.get(verb="assistant_added", actor=user)
    assert event.context.startswith("portal") and event.beneficiary_id == person.pk
    person_set_assistant(user=user, beneficiary=person, name="marie dupont", may_receive_file_data=False)
    assistant.refresh_from_db()
    assert not assistant.may_receive_file_data
    assert AuditEvent.objects.filter(verb="assistant_changed", actor=user).exists()


def test_name_required_and_staff_refused(cpas_a):
    person = make_beneficiary(cpas_a)
    with pytest.raises(ServiceError) as refused:
        person_set_assistant(user=make_person_user(), beneficiary=person, name=" ")
    assert refused.value.code == "PERSON_ASSISTANT_NAME_REQUIRED"
    with pytest.raises(ServiceError) as refused:
        person_set_assistant(user=make_member(cpas_a).user, beneficiary=person, name="X")
    assert refused.value.code == "PERSON_IS_STAFF"
    assert not Assistant.objects.exists()
