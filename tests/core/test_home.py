import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from piis.accounts.enums import Role
from piis.followup.models import MeetingRequest
from tests.factories import make_beneficiary, make_exemption, make_member

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


def test_overdue_and_next_deadlines_on_the_home_page_are_links(cpas_a, login):
    worker = make_member(cpas_a, Role.SOCIAL_WORKER)
    today = timezone.localdate()
    late = make_beneficiary(cpas_a, social_worker=worker.user, last_name="Late")
    overdue = MeetingRequest.objects.create(
        cpas=cpas_a,
        beneficiary=late,
        requested_on=today - datetime.timedelta(days=10),
        requested_by="beneficiary",
        deadline=today - datetime.timedelta(days=3),
        recorded_by=worker.user,
    )
    exempted = make_beneficiary(cpas_a, social_worker=worker.user, last_name="Exempted")
    review = make_exemption(
        cpas_a,
        beneficiary=exempted,
        decided_on=today - datetime.timedelta(days=30),
        start_on=today - datetime.timedelta(days=30),
        review_on=today + datetime.timedelta(days=20),
        end_on=None,
    )
    response = login(worker).get(reverse("core:home"))
    html = response.content.decode()
    held = reverse("followup:meeting_held", args=[overdue.pk])
    edit = reverse("cases:record_edit", args=[exempted.pk, "exemption", review.pk])
    assert [i.url for i in response.context["counts"]["overdue_items"]] == [held]
    assert [i.url for i in response.context["counts"]["next"]] == [edit]
    assert f'href="{held}"' in html and f'href="{edit}"' in html
    assert html.index(f'href="{held}"') < html.index(f'href="{edit}"')
