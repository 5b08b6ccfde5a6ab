import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from piis.accounts.enums import Role
from piis.followup.models import MeetingRequest
from tests.factories import make_beneficiary, make_member

pytestmark = pytest.mark.django_db


def test_home_shows_a_workers_overdue_deadlines(cpas_a, login):
    worker = make_member(cpas_a, Role.SOCIAL_WORKER)
    beneficiary = make_beneficiary(cpas_a, social_worker=worker.user, last_name="Urgent")
    today = timezone.localdate()
    MeetingRequest.objects.create(
        cpas=cpas_a,
        beneficiary=beneficiary,
        requested_on=today - datetime.timedelta(days=10),
        requested_by="beneficiary",
        deadline=today - datetime.timedelta(days=3),
        recorded_by=worker.user,
    )
    response = login(worker).get(reverse("core:home"))
    assert response.context["counts"]["overdue"] == 1
    assert "URGENT" in response.content.decode()


def test_home_of_a_dpo_has_no_agenda(cpas_a, login):
    response = login(make_member(cpas_a, Role.DPO)).get(reverse("core:home"))
    assert "overdue" not in response.context["counts"]
