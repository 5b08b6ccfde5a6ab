"""Meeting requests (R41): the deadline from the rules core, with the CPAS's closure days, tracked until closed."""

import pytest
from django.urls import reverse

from piis.accounts.enums import Role
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.core.errors import ServiceError
from piis.followup.models import MeetingRequest
from piis.followup.selectors import followup_context_for_file
from piis.followup.services import meeting_request_create, meeting_request_mark_held, meeting_request_withdraw
from tests.factories import make_beneficiary, make_closure_day, make_member
from tests.followup.builders import D, at

pytestmark = pytest.mark.django_db


def _create(worker, beneficiary, requested_on):
    return meeting_request_create(
        membership=worker, beneficiary=beneficiary, requested_on=requested_on, requested_by="beneficiary"
    )


@pytest.mark.scenario("T17", rules=("R41",))
def test_t17_request_on_good_friday_eve_is_due_after_easter_monday(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, social_worker=worker_a.user)
    with at(D(2026, 4, 3)):
        response = login(worker_a).post(
            reverse("followup:meeting_add", args=[beneficiary.pk]),
            {"requested_on": "2026-04-03", "requested_by": "beneficiary", "subject": "Formation"},
        )
    assert response.status_code == 302
    request = MeetingRequest.objects.get(beneficiary=beneficiary)
    assert request.deadline == D(2026, 4, 13)
    assert request.recorded_by == worker_a.user
    event = AuditEvent.objects.get(target_type="followup.meetingrequest", beneficiary_id=beneficiary.pk)
    assert event.verb == AuditVerb.MEETING_REQUESTED


@pytest.mark.scenario("T18", rules=("R41",))
@pytest.mark.parametrize(
    ("requested_on", "deadline"), [(D(2026, 5, 12), D(2026, 5, 20)), (D(2026, 12, 23), D(2026, 12, 31))]
)
def test_t18_ascension_and_christmas_are_not_working_days(cpas_a, worker_a, requested_on, deadline):
    assert _create(worker_a, make_beneficiary(cpas_a), requested_on).deadline == deadline


def test_a_cpas_closure_day_moves_the_deadline(cpas_a, cpas_b, worker_a):
    make_closure_day(cpas_a, day=D(2026, 12, 24))
    assert _create(worker_a, make_beneficiary(cpas_a), D(2026, 12, 23)).deadline == D(2027, 1, 4)
    worker_b = make_member(cpas_b)
    assert _create(worker_b, make_beneficiary(cpas_b), D(2026, 12, 23)).deadline == D(2026, 12, 31)


def test_file_section_shows_days_left_until_held(cpas_a, worker_a):
    from django.template.loader import render_to_string

    beneficiary = make_beneficiary(cpas_a)
    request = _create(worker_a, beneficiary, D(2026, 4, 3))
    context = followup_context_for_file(membership=worker_a, beneficiary=beneficiary, today=D(2026, 4, 8))
    assert context["followup_open_meetings"] == [request]
    html = render_to_string("followup/_file_section.html", {**context, "beneficiary": beneficiary})
    assert "13/04/2026" in html and "5 days left" in html
    context = followup_context_for_file(membership=worker_a, beneficiary=beneficiary, today=D(2026, 4, 15))
    html = render_to_string("followup/_file_section.html", {**context, "beneficiary": beneficiary})
    assert "2 days overdue" in html
    meeting_request_mark_held(membership=worker_a, meeting_request=request, held_on=D(2026, 4, 15))
    context = followup_context_for_file(membership=worker_a, beneficiary=beneficiary, today=D(2026, 4, 15))
    assert context["followup_open_meetings"] == [] and context["followup_closed_meetings"] == [request]


def test_mark_held_through_the_page(cpas_a, worker_a, login):
    request = _create(worker_a, make_beneficiary(cpas_a), D(2026, 4, 3))
    with at(D(2026, 4, 9)):
        response = login(worker_a).post(reverse("followup:meeting_held", args=[request.pk]), {"held_on": "2026-04-09"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.held_on) == ("held", D(2026, 4, 9))
    assert AuditEvent.objects.get(verb=AuditVerb.MEETING_HELD).changes["held_on"] == [None, "2026-04-09"]


def test_withdraw_and_refuse_a_second_closing(cpas_a, worker_a, login):
    request = _create(worker_a, make_beneficiary(cpas_a), D(2026, 4, 3))
    meeting_request_withdraw(membership=worker_a, meeting_request=request, withdrawn_on=D(2026, 4, 7))
    assert request.status == "withdrawn"
    assert AuditEvent.objects.get(verb=AuditVerb.MEETING_WITHDRAWN).target_id == request.pk
    with pytest.raises(ServiceError):
        meeting_request_mark_held(membership=worker_a, meeting_request=request, held_on=D(2026, 4, 8))
    with at(D(2026, 4, 9)):
        response = login(worker_a).post(reverse("followup:meeting_held", args=[request.pk]), {"held_on": "2026-04-09"})
    assert response.status_code == 200 and "already closed" in response.content.decode()


def test_refuses_a_meeting_held_before_the_request(cpas_a, worker_a, login):
    request = _create(worker_a, make_beneficiary(cpas_a), D(2026, 4, 3))
    with at(D(2026, 4, 9)):
        response = login(worker_a).post(reverse("followup:meeting_held", args=[request.pk]), {"held_on": "2026-04-01"})
    assert response.status_code == 200
    assert "before the request" in " ".join(response.context["form"].errors["held_on"])


def test_a_director_cannot_record_a_meeting_request(cpas_a, login):
    beneficiary = make_beneficiary(cpas_a)
    response = login(make_member(cpas_a, Role.DIRECTOR)).get(reverse("followup:meeting_add", args=[beneficiary.pk]))
    assert response.status_code == 403


def test_another_cpas_file_answers_404_for_a_meeting_request(cpas_a, cpas_b, worker_a, login):
    other = make_beneficiary(cpas_b)
    response = login(worker_a).post(
        reverse("followup:meeting_add", args=[other.pk]), {"requested_on": "2026-04-03", "requested_by": "worker"}
    )
    assert response.status_code == 404
    assert not MeetingRequest.objects.exists()


def test_file_page_shows_open_meeting_requests_and_compliance(cpas_a, worker_a, login):
    from tests.followup.builders import make_evaluation, make_in_force_contract

    contract = make_in_force_contract(cpas_a, signed_on=D(2026, 1, 15))
    make_evaluation(cpas_a, contract=contract, held_on=D(2026, 3, 10), mode="phone")
    _create(worker_a, contract.beneficiary, D(2026, 4, 3))
    with at(D(2026, 4, 8)):
        response = login(worker_a).get(reverse("cases:detail", args=[contract.beneficiary_id]))
    html = response.content.decode()
    assert "Meetings requested by the person" in html and "5 days left" in html
    assert "2 more evaluations in person" in html
