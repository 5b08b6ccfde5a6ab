"""Lockout as a weapon (issue 16): five failures lock a name from one client address only, the client address is
taken from X-Forwarded-For only behind trusted proxies, and the lockout grows with repeated lockouts."""

from datetime import timedelta

import pytest
import time_machine
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from piis.accounts.security import client_ip, cool_off_for
from tests.factories import make_member

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-123456"
PROXY = "10.0.0.2"


def attempt(client, username: str, password: str, **meta):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **meta)


def fail_five_times(client, username: str, **meta):
    for _index in range(5):
        response = attempt(client, username, "wrong-password", **meta)
    return response


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_colleague_behind_the_same_proxy_still_logs_in(cpas_a, client):
    victim = make_member(cpas_a).user
    attacker_meta = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "192.168.1.66"}
    response = fail_five_times(client, victim.username, **attacker_meta)
    assert response.status_code == 429
    # The attacker's own workstation is locked out of that name, even with the right password ...
    assert attempt(client, victim.username, PASSWORD, **attacker_meta).status_code == 429
    assert not logged_in(client)
    # ... the victim's, behind the same proxy, is not.
    victim_client = type(client)()
    response = attempt(
        victim_client, victim.username, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.168.1.20"
    )
    assert response.status_code == 302 and logged_in(victim_client)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_a_forged_forwarded_for_is_ignored_without_a_trusted_proxy(cpas_a, client):
    user = make_member(cpas_a).user
    for index in range(5):  # a new forged address each time, to dodge the lockout
        attempt(
            client, user.username, "wrong-password", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"10.9.9.{index}"
        )
    response = attempt(client, user.username, PASSWORD, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="10.9.9.99")
    assert response.status_code == 429 and not logged_in(client)


def test_the_client_address_believes_only_the_trusted_proxies():
    factory = RequestFactory()
    forged_and_real = factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 192.168.1.20")
    with override_settings(TRUSTED_PROXY_COUNT=0):
        assert client_ip(forged_and_real) == PROXY
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_ip(forged_and_real) == "192.168.1.20"  # the address the proxy saw; the client's own entry: no
    two_proxies = factory.get("/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.168.1.20, 10.0.0.2")
    with override_settings(TRUSTED_PROXY_COUNT=2):
        assert client_ip(two_proxies) == "192.168.1.20"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_ip(factory.get("/", REMOTE_ADDR=PROXY)) == PROXY  # no header: the proxy's address
        assert client_ip(factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-ip")) == PROXY


@override_settings(AXES_COOLOFF_MINUTES=30, AXES_FAILURE_LIMIT=5)
def test_the_delay_doubles_with_every_further_lockout():
    assert [cool_off_for(n) for n in (0, 4, 5, 9, 10, 15, 20)] == [
        timedelta(minutes=30),
        timedelta(minutes=30),
        timedelta(minutes=30),
        timedelta(minutes=30),
        timedelta(minutes=60),
        timedelta(minutes=120),
        timedelta(minutes=240),
    ]
    assert cool_off_for(1000) == timedelta(days=1)


def test_a_second_lockout_lasts_longer_than_the_first(cpas_a, client):
    user = make_member(cpas_a).user
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert fail_five_times(client, user.username).status_code == 429
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert attempt(client, user.username, PASSWORD).status_code == 429  # (this try counts too)
    second = start + timedelta(minutes=29 + 31)
    with time_machine.travel(second, tick=False):
        response = fail_five_times(client, user.username)  # the first lockout is over: five more failures
        assert response.status_code == 429
    with time_machine.travel(second + timedelta(minutes=31), tick=False):
        assert attempt(client, user.username, PASSWORD).status_code == 429  # a first lockout would be over
    with time_machine.travel(second + timedelta(minutes=31 + 61), tick=False):
        assert attempt(client, user.username, PASSWORD).status_code == 302 and logged_in(client)


def test_a_successful_login_starts_the_count_again(cpas_a, client):
    user = make_member(cpas_a).user
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail_five_times(client, user.username)
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        assert attempt(client, user.username, PASSWORD).status_code == 302
        client.post(reverse("accounts:logout"))
        assert fail_five_times(client, user.username).status_code == 429
    with time_machine.travel(start + timedelta(minutes=31 + 31), tick=False):
        assert attempt(client, user.username, PASSWORD).status_code == 302  # 30 minutes again, not 60


def test_the_lockout_page_says_how_long(cpas_a, client):
    user = make_member(cpas_a).user
    page = fail_five_times(client, user.username).content.decode()
    assert "blocked for 30 minutes" in page
