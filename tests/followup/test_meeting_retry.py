"""Issue 16, faults: a meeting request's form sent again (its response lost, the button pressed twice) records the
request once; the file page says it was already recorded. The key is drawn when the form is shown."""

import re
import uuid

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from piis.followup.models import MeetingRequest
from piis.followup.services import meeting_request_create
from tests.factories import make_beneficiary
from tests.followup.builders import D, at

pytestmark = pytest.mark.django_db


def _form_key(client, beneficiary) -> str:
    page = client.get(reverse("followup:meeting_add", args=[beneficiary.pk])).content.decode()
    return re.search(r'name="submission_key" value="([0-9a-f-]{36})"', page).group(1)


def test_a_meeting_request_sent_again_is_recorded_once(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, social_worker=worker_a.user)
    client = login(worker_a)
    url = reverse("followup:meeting_add", args=[beneficiary.pk])
    with at(D(2026, 4, 3)):
        key = _form_key(client, beneficiary)
        data = {"requested_on": "2026-04-03", "requested_by": "beneficiary", "submission_key": key}
        assert client.post(url, data).status_code == 302
        again = client.post(url, data)
    assert again.status_code == 302 and again["Location"] == reverse("cases:detail", args=[beneficiary.pk])
    messages = [str(m) for m in get_messages(again.wsgi_request)]
    assert any("already been recorded" in text and "13/04/2026" in text for text in messages)
    assert MeetingRequest.objects.filter(beneficiary=beneficiary).count() == 1


def test_a_second_request_from_a_new_form_is_recorded(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, social_worker=worker_a.user)
    client = login(worker_a)
    url = reverse("followup:meeting_add", args=[beneficiary.pk])
    with at(D(2026, 4, 3)):
        for _form in range(2):
            data = {"requested_on": "2026-04-03", "requested_by": "beneficiary",
                    "submission_key": _form_key(client, beneficiary)}  # fmt: skip
            assert client.post(url, data).status_code == 302
    assert MeetingRequest.objects.filter(beneficiary=beneficiary).count() == 2


def test_the_service_returns_the_request_its_form_already_recorded(cpas_a, worker_a):
    beneficiary = make_beneficiary(cpas_a, social_worker=worker_a.user)
    key = uuid.uuid4()
    first, second = (
        meeting_request_create(
            membership=worker_a,
            beneficiary=beneficiary,
            requested_on=D(2026, 4, 3),
            requested_by="beneficiary",
            submission_key=key,
        )  # fmt: skip
        for _send in range(2)
    )
    assert first.pk == second.pk and MeetingRequest.objects.filter(beneficiary=beneficiary).count() == 1
