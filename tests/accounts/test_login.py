import pytest
from django.conf import settings
from django.urls import reverse

from piis.accounts.enums import Role
from piis.settings import base
from tests.conftest import pass_second_factor
from tests.factories import make_member

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-123456"


def test_passwords_are_hashed_with_argon2_in_every_real_environment():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_login_then_home_shows_cpas_and_role(cpas_a, client):
    member = make_member(cpas_a, Role.TEAM_LEAD)
    response = client.post(reverse("accounts:login"), {"username": member.user.username, "password": PASSWORD})
    assert response.status_code == 302
    # The password alone reaches no page with data: the second factor first (tests/accounts/test_second_factor.py).
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:mfa_verify"))
    pass_second_factor(client, member.user)
    page = client.get(reverse("core:home")).content.decode()
    assert "CPAS A" in page and "Team lead" in page


def test_account_is_locked_after_repeated_failures(cpas_a, client):
    member = make_member(cpas_a)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": member.user.username, "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": member.user.username, "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert "Account locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_session_expires_after_inactivity():
    assert base.SESSION_SAVE_EVERY_REQUEST is True
    assert 0 < base.SESSION_COOKIE_AGE <= 3600


def test_csrf_is_enforced(cpas_a):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    member = make_member(cpas_a)
    response = strict.post(reverse("accounts:login"), {"username": member.user.username, "password": PASSWORD})
    assert response.status_code == 403


def test_user_with_two_cpas_switches_explicitly(cpas_a, cpas_b, client):
    member = make_member(cpas_a, Role.DIRECTOR)
    from piis.accounts.models import Membership

    Membership.objects.create(user=member.user, cpas=cpas_b, role=Role.SOCIAL_WORKER)
    client.force_login(member.user)
    assert client.get(reverse("core:home")).context["current_cpas"] == cpas_a
    client.post(reverse("core:switch_cpas"), {"cpas_id": cpas_b.pk, "next": "/"})
    response = client.get(reverse("core:home"))
    assert response.context["current_cpas"] == cpas_b
    assert response.context["current_membership"].role == Role.SOCIAL_WORKER


def test_switching_to_a_cpas_one_is_not_a_member_of_is_refused(cpas_a, cpas_b, client):
    member = make_member(cpas_a)
    client.force_login(member.user)
    assert client.post(reverse("core:switch_cpas"), {"cpas_id": cpas_b.pk}).status_code == 404
    assert client.get(reverse("core:home")).context["current_cpas"] == cpas_a


def test_switch_does_not_redirect_off_site(cpas_a, client):
    member = make_member(cpas_a)
    client.force_login(member.user)
    response = client.post(reverse("core:switch_cpas"), {"cpas_id": cpas_a.pk, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_language_switch_translates_the_page(cpas_a, login):
    client = login(make_member(cpas_a))
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert "Afmelden" in client.get(reverse("core:home")).content.decode()
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert "Se déconnecter" in client.get(reverse("core:home")).content.decode()
