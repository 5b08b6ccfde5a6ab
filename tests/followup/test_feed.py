"""The private iCalendar feed: token URL, revocable, RFC 5545 text, no full names."""

import pytest
from django.urls import reverse

from piis.accounts.enums import Role
from piis.audit.enums import AuditVerb as V
from piis.audit.models import AuditEvent
from piis.followup import ical
from piis.followup.models import CalendarFeed
from piis.followup.selectors import AgendaItem
from tests.factories import make_beneficiary, make_member
from tests.followup.builders import D, at, make_meeting_request

pytestmark = pytest.mark.django_db


def test_escape_and_fold_follow_rfc_5545():
    assert ical.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = ical.fold("SUMMARY:" + "é" * 60)
    assert all(len(line.encode()) <= 75 for line in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "SUMMARY:" + "é" * 60


def test_calendar_text_has_all_day_events_and_crlf(cpas_a):
    person = make_beneficiary(cpas_a, first_name="Zoé", last_name="Lambert")
    item = AgendaItem(
        kind="meeting",
        due_on=D(2026, 4, 13),
        beneficiary=person,
        contract=None,
        label="Hold it, now; please",
        overdue=False,
        object_id=7,
    )
    text = ical.calendar([item], today=D(2026, 4, 8), host="piis.test", name="PIIS")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "DTSTART;VALUE=DATE:20260413\r\n" in text
    assert "UID:meeting:7:2026-04-13@piis.test\r\n" in text
    assert "DESCRIPTION:Hold it\\, now\\; please\r\n" in text
    assert "DTSTAMP:" in text and "Lambert" not in text and "Z. L." in text


def test_worker_creates_uses_and_revokes_the_feed(cpas_a, worker_a, login, client):
    person = make_beneficiary(cpas_a, social_worker=worker_a.user, last_name="Lambert")
    make_meeting_request(cpas_a, beneficiary=person)
    with at(D(2026, 4, 8)):
        user_client = login(worker_a)
        assert user_client.post(reverse("followup:feed_settings"), {"action": "create"}).status_code == 302
        feed = CalendarFeed.objects.get(user=worker_a.user, revoked_at__isnull=True)
        page = user_client.get(reverse("followup:feed_settings")).content.decode()
        assert f"/followup/feed/{feed.token}.ics" in page
        user_client.logout()
        response = client.get(reverse("followup:feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "DTSTART;VALUE=DATE:20260413" in body and "Lambert" not in body

    with at(D(2026, 4, 8)):
        login(worker_a).post(reverse("followup:feed_settings"), {"action": "revoke"})
        client.logout()
        assert client.get(reverse("followup:feed", args=[feed.token])).status_code == 404


def test_unknown_token_answers_404(client, db):
    assert client.get(reverse("followup:feed", args=["nope"])).status_code == 404


def test_creating_a_new_feed_revokes_the_old_one(cpas_a, worker_a, login):
    client = login(worker_a)
    client.post(reverse("followup:feed_settings"), {"action": "create"})
    client.post(reverse("followup:feed_settings"), {"action": "create"})
    assert CalendarFeed.objects.filter(user=worker_a.user).count() == 2
    assert CalendarFeed.objects.filter(user=worker_a.user, revoked_at__isnull=True).count() == 1
    events = (
        AuditEvent.objects.filter(target_type="followup.calendarfeed").order_by("id").values_list("verb", flat=True)
    )
    assert list(events) == [V.CALENDAR_FEED_CREATED, V.CALENDAR_FEED_REVOKED, V.CALENDAR_FEED_CREATED]


def test_feed_of_a_member_who_left_answers_404(cpas_a, worker_a, client):
    feed = CalendarFeed.objects.create(cpas=cpas_a, user=worker_a.user)
    worker_a.is_active = False
    worker_a.save()
    assert client.get(reverse("followup:feed", args=[feed.token])).status_code == 404


def test_feed_shows_only_its_cpas(cpas_a, cpas_b, worker_a, client):
    """The same user in two CPAS: each feed shows its own CPAS's deadlines (RLS set from the feed)."""
    make_member(cpas_b, Role.SOCIAL_WORKER, username="twin-b").delete()
    from piis.accounts.models import Membership

    Membership.objects.create(user=worker_a.user, cpas=cpas_b, role=Role.SOCIAL_WORKER)
    make_meeting_request(
        cpas_a, beneficiary=make_beneficiary(cpas_a, social_worker=worker_a.user), deadline=D(2026, 4, 13)
    )
    make_meeting_request(
        cpas_b, beneficiary=make_beneficiary(cpas_b, social_worker=worker_a.user), deadline=D(2026, 4, 20)
    )
    feed = CalendarFeed.objects.create(cpas=cpas_b, user=worker_a.user)
    with at(D(2026, 4, 8)):
        body = client.get(reverse("followup:feed", args=[feed.token])).content.decode()
    assert "20260420" in body and "20260413" not in body
