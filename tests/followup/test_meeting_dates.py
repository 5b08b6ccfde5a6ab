"""A meeting request dated where the law has no parameter, or past the calendar, is a form error, never a 500."""

import pytest
from django.urls import reverse
from django.utils import translation

from piis.core.errors import ServiceError
from piis.followup.models import Evaluation, MeetingRequest
from piis.followup.services import meeting_request_create
from tests.factories import make_beneficiary
from tests.followup.builders import D, at, make_in_force_contract, make_meeting_request

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("1900-01-01", "01/10/2002"),  # PARAMETER_NOT_IN_FORCE in the rules core
        ("0001-01-01", "01/10/2002"),
        ("2002-09-30", "01/10/2002"),
        ("9999-12-31", "in the future"),  # OverflowError counting working days
        ("2026-04-04", "in the future"),
    ],
)
def test_a_meeting_request_out_of_range_is_refused_on_its_field(cpas_a, worker_a, login, typed, words):
    beneficiary = make_beneficiary(cpas_a, social_worker=worker_a.user)
    with at(D(2026, 4, 3)):
        response = login(worker_a).post(
            reverse("followup:meeting_add", args=[beneficiary.pk]),
            {"requested_on": typed, "requested_by": "beneficiary", "subject": "Formation"},
        )
    assert response.status_code == 200
    [message] = response.context["form"].errors["requested_on"]
    assert words in message
    assert response.context["form"]["subject"].value() == "Formation"
    assert not MeetingRequest.objects.exists()


def test_the_service_turns_a_date_the_core_cannot_count_from_into_a_service_error(cpas_a, worker_a):
    beneficiary = make_beneficiary(cpas_a)
    for requested_on, code in ((D(1900, 1, 1), "PARAMETER_NOT_IN_FORCE"), (D(9999, 12, 31), "DATE_OUT_OF_RANGE")):
        with pytest.raises(ServiceError) as caught:
            meeting_request_create(
                membership=worker_a, beneficiary=beneficiary, requested_on=requested_on, requested_by="beneficiary"
            )
        assert (caught.value.code, caught.value.field) == (code, "requested_on")
    assert not MeetingRequest.objects.exists()


@pytest.mark.parametrize(("typed", "words"), [("9999-12-31", "in the future"), ("1900-01-01", "01/10/2002")])
def test_a_meeting_held_or_withdrawn_out_of_range_is_refused(cpas_a, worker_a, login, typed, words):
    meeting = make_meeting_request(cpas_a, recorded_by=worker_a.user)
    client = login(worker_a)
    with at(D(2026, 4, 8)):
        for name, field in (("meeting_held", "held_on"), ("meeting_withdraw", "withdrawn_on")):
            response = client.post(reverse(f"followup:{name}", args=[meeting.pk]), {field: typed})
            assert response.status_code == 200
            assert words in response.context["form"].errors[field][0]
    meeting.refresh_from_db()
    assert meeting.status == "open"


def test_an_evaluation_in_1900_is_refused_with_the_law_date(cpas_a, login):
    contract = make_in_force_contract(cpas_a)
    with at(D(2026, 3, 15)), translation.override("en"):
        response = login(_member(contract)).post(
            reverse("followup:evaluation_add", args=[contract.pk]), {"held_on": "1900-01-01", "mode": "office"}
        )
    assert "01/10/2002" in response.context["form"].errors["held_on"][0]
    assert not Evaluation.objects.exists()


def _member(contract):
    from piis.accounts.models import Membership

    return Membership.objects.get(user=contract.social_worker, cpas=contract.cpas)
