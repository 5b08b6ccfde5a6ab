"""The person's own follow-up actions (portal): ask for a meeting (R41), comment an evaluation."""

import datetime
import uuid

import pytest
from django.core import mail
from django.urls import reverse

from piis.accounts.models import Membership
from piis.audit.models import AuditEvent
from piis.core.errors import ServiceError
from piis.followup.models import EvaluationComment, MeetingRequest
from piis.followup.selectors import Kind, agenda_for_user
from piis.followup.services_person import person_comment_evaluation, person_request_meeting
from tests.factories import make_beneficiary, make_member
from tests.followup.builders import make_evaluation, make_in_force_contract
from tests.portal_person import make_person_user

D = datetime.date
pytestmark = pytest.mark.django_db
FRIDAY = D(2026, 4, 3)


def test_meeting_asked_by_the_person_has_the_deadline_and_is_on_the_agenda_at_once(cpas_a):
    worker = make_member(cpas_a)
    person = make_beneficiary(cpas_a, social_worker=worker.user, email="alex@example.org")
    user = make_person_user()
    request = person_request_meeting(user=user, beneficiary=person, reason="Ma formation", today=FRIDAY,
                                     context="/portal/meeting/")  # fmt: skip
    # the same adapter as staff: 5 working days from Friday 3/4/2026, Easter Monday 6/4 excluded
    assert request.deadline == D(2026, 4, 13)
    assert request.from_portal and request.recorded_by == user and request.requested_by == "beneficiary"
    items = [i for i in agenda_for_user(cpas=cpas_a, user=worker.user, today=FRIDAY) if i.kind == Kind.MEETING]
    assert [i.object_id for i in items] == [request.pk]
    assert "portal" in items[0].label and "Ma formation" in items[0].label
    event = AuditEvent.objects.get(verb="meeting_requested")
    assert event.actor == user and event.context.startswith("portal") and event.beneficiary_id == person.pk


def test_meeting_sent_twice_is_recorded_once_and_confirmed_by_email(cpas_a, django_capture_on_commit_callbacks):
    person = make_beneficiary(cpas_a, email="alex@example.org", language="nl")
    user, key = make_person_user(), uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first = person_request_meeting(user=user, beneficiary=person, reason="", today=FRIDAY, submission_key=key)
        second = person_request_meeting(user=user, beneficiary=person, reason="", today=FRIDAY, submission_key=key)
    assert first.pk == second.pk and MeetingRequest.objects.count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alex@example.org"]
    assert "13/04/2026" in mail.outbox[0].body


def test_no_email_address_no_email(cpas_a, django_capture_on_commit_callbacks):
    person = make_beneficiary(cpas_a)
    with django_capture_on_commit_callbacks(execute=True):
        person_request_meeting(user=make_person_user(), beneficiary=person, reason="", today=FRIDAY)
    assert mail.outbox == []


def test_a_staff_account_cannot_act_as_the_person(cpas_a):
    person = make_beneficiary(cpas_a)
    with pytest.raises(ServiceError) as refused:
        person_request_meeting(user=make_member(cpas_a).user, beneficiary=person, reason="", today=FRIDAY)
    assert refused.value.code == "PERSON_IS_STAFF"
    assert not MeetingRequest.objects.exists()


def test_reason_too_long_is_refused(cpas_a):
    with pytest.raises(ServiceError) as refused:
        person_request_meeting(user=make_person_user(), beneficiary=make_beneficiary(cpas_a), reason="x" * 301,
                               today=FRIDAY)  # fmt: skip
    assert refused.value.code == "PERSON_TEXT_TOO_LONG" and refused.value.field == "reason"


def test_comment_is_added_never_overwritten_and_sent_twice_once(cpas_a):
    evaluation = make_evaluation(cpas_a, difficulties="Horaires")
    person, user = evaluation.contract.beneficiary, make_person_user()
    key = uuid.uuid4()
    first = person_comment_evaluation(user=user, beneficiary=person, evaluation=evaluation, text="Pas d'accord",
                                      disagrees=True, submission_key=key)  # fmt: skip
    again = person_comment_evaluation(user=user, beneficiary=person, evaluation=evaluation, text="Pas d'accord",
                                      disagrees=True, submission_key=key)  # fmt: skip
    assert first.pk == again.pk
    later = person_comment_evaluation(user=user, beneficiary=person, evaluation=evaluation, text="Précision",
                                      disagrees=False)  # fmt: skip
    assert list(evaluation.person_comments.values_list("text", flat=True)) == ["Pas d'accord", "Précision"]
    assert first.disagrees and not later.disagrees
    with pytest.raises(ValueError):
        first.text = "changed"
        first.save()
    with pytest.raises(ValueError):
        later.delete()
    event = AuditEvent.objects.filter(verb="evaluation_commented").first()
    assert event.actor == user and event.context.startswith("portal")


def test_a_person_cannot_comment_another_persons_evaluation(cpas_a):
    evaluation = make_evaluation(cpas_a)
    other = make_beneficiary(cpas_a)
    with pytest.raises(ServiceError) as refused:
        person_comment_evaluation(user=make_person_user(), beneficiary=other, evaluation=evaluation, text="x",
                                  disagrees=False)  # fmt: skip
    assert refused.value.code == "PERSON_NOT_OWN"
    assert not EvaluationComment.objects.exists()


def test_empty_comment_is_refused(cpas_a):
    evaluation = make_evaluation(cpas_a)
    with pytest.raises(ServiceError) as refused:
        person_comment_evaluation(user=make_person_user(), beneficiary=evaluation.contract.beneficiary,
                                  evaluation=evaluation, text="   ", disagrees=True)  # fmt: skip
    assert refused.value.code == "PERSON_TEXT_REQUIRED"


def test_comment_shown_beside_the_workers_text_on_the_contract_page(cpas_a, login):
    contract = make_in_force_contract(cpas_a)
    evaluation = make_evaluation(cpas_a, contract=contract, difficulties="Horaires du soir")
    person_comment_evaluation(user=make_person_user(), beneficiary=contract.beneficiary, evaluation=evaluation,
                              text="Je travaille le soir", disagrees=True)  # fmt: skip
    client = login(Membership.objects.get(user=contract.social_worker, cpas=cpas_a))
    html = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "Horaires du soir" in html and "Je travaille le soir" in html
    assert "Disagrees with this evaluation" in html
    html = client.get(reverse("followup:evaluation_print", args=[evaluation.pk])).content.decode()
    assert "Je travaille le soir" in html
