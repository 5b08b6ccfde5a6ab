"""Sessions end after 30 idle minutes, and 12 hours after the login whatever the activity (issue 16)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from piis.accounts.middleware import LOGIN_AT_SESSION_KEY
from piis.settings import base

pytestmark = pytest.mark.django_db


def test_the_limits_are_thirty_idle_minutes_and_twelve_hours():
    assert base.SESSION_COOKIE_AGE == 30 * 60 and base.SESSION_SAVE_EVERY_REQUEST
    assert base.SESSION_MAX_SECONDS == 12 * 3600


def test_a_session_ends_after_thirty_idle_minutes(worker_a, login):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = login(worker_a)
        assert client.get(reverse("core:home")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get(reverse("core:home")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=29 + 31), tick=False):
        response = client.get(reverse("core:home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_a_session_ends_twelve_hours_after_the_login_however_busy(worker_a, login):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = login(worker_a)
    for step in range(1, 36):  # a page every 20 minutes, the last one after 11 h 40
        moment = start + timedelta(minutes=20 * step)
        with time_machine.travel(moment, tick=False):
            assert client.get(reverse("core:home")).status_code == 200, moment - start
    with time_machine.travel(start + timedelta(hours=12, minutes=1), tick=False):
        response = client.get(reverse("cases:list"))
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:login") + "?next=%2Ffiles%2F"
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"]).content.decode()
        assert "Sessions last at most 12 hours" in page


def test_a_session_without_a_login_time_ends(worker_a, login):
    client = login(worker_a)
    session = client.session
    del session[LOGIN_AT_SESSION_KEY]
    session.save()
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:login"))
