"""Portal accounts: opened by the worker, activated with a one-time code or link, password login, and the wall
between the person's session and the staff application."""

from datetime import timedelta

import pytest
from django.utils import timezone

from piis.accounts.enums import Role
from piis.audit.models import AuditEvent
from piis.core.errors import ServiceError
from piis.portal.models import PortalAccount, PortalInvitation
from piis.portal.services import portal_account_disable, portal_account_open, portal_invitation_issue
from tests.factories import make_beneficiary, make_member
from tests.portal.helpers import PASSWORD, open_account, portal_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def person_a(cpas_a, worker_a):
    return make_beneficiary(cpas_a, social_worker=worker_a.user, first_name="Amina", language="nl")


def test_opening_an_account_makes_a_user_without_membership(worker_a, person_a):
    account, issued = portal_account_open(membership=worker_a, beneficiary=person_a, context="t")
    assert not account.user.memberships.exists()
    assert account.user.username == issued.login_name and issued.login_name.startswith("P-")
    assert not account.user.has_usable_password()
    assert account.user.preferred_language == "nl"
    assert len(issued.code) == 8
    stored = PortalInvitation.objects.get(account=account)
    assert issued.code not in (stored.code_digest, stored.link_digest)  # only digests are kept
    assert AuditEvent.objects.filter(verb="portal_account_opened", beneficiary_id=person_a.pk).exists()


def test_one_active_account_per_person(worker_a, person_a):
    portal_account_open(membership=worker_a, beneficiary=person_a)
    with pytest.raises(ServiceError) as error:
        portal_account_open(membership=worker_a, beneficiary=person_a)
    assert error.value.code == "PORTAL_ACCOUNT_EXISTS"


def test_code_sets_password_once_then_login(client, worker_a, person_a):
    account, issued = portal_account_open(membership=worker_a, beneficiary=person_a)
    response = client.post("/portal/start/", {"code": issued.grouped_code.lower()})
    assert response.status_code == 302 and response["Location"] == "/portal/password/"
    page = client.get("/portal/password/")
    assert issued.login_name in page.content.decode()
    response = client.post("/portal/password/", {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200
    account.refresh_from_db()
    assert account.activated_at is not None
    # the code served once
    client.post("/portal/logout/")
    response = client.post("/portal/start/", {"code": issued.code})
    assert response.status_code == 200 and "no longer works" in response.content.decode()
    # the password works
    portal_login(client, account)
    assert client.get("/portal/").status_code == 200


def test_link_works_once_and_expires(client, worker_a, person_a):
    account, issued = portal_account_open(membership=worker_a, beneficiary=person_a)
    assert client.get(f"/portal/start/{issued.token}/")["Location"] == "/portal/password/"
    PortalInvitation.objects.filter(account=account).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post("/portal/password/", {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response["Location"] == "/portal/start/"
    assert client.get(f"/portal/start/{issued.token}/")["Location"] == "/portal/start/"


def test_a_new_invitation_kills_the_old_one(client, worker_a, person_a):
    account, first = portal_account_open(membership=worker_a, beneficiary=person_a)
    second = portal_invitation_issue(membership=worker_a, account=account)
    assert client.post("/portal/start/", {"code": first.code}).status_code == 200
    assert client.post("/portal/start/", {"code": second.code}).status_code == 302


def test_wrong_codes_are_throttled(client, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/portal/start/", {"code": "AAAA2222"})
    response = client.post("/portal/start/", {"code": "AAAA2223"})
    assert response.status_code in (403, 429)


def test_staff_never_reach_the_portal(client, worker_a, person_a):
    open_account(worker_a, person_a)
    client.force_login(worker_a.user)
    for url in ("/portal/", "/portal/login/", "/portal/start/"):
        assert client.get(url).status_code == 404


def test_staff_credentials_do_not_open_the_portal(client, cpas_a):
    member = make_member(cpas_a, Role.SOCIAL_WORKER)
    member.user.set_password(PASSWORD)
    member.user.save()
    response = client.post("/portal/login/", {"username": member.user.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_person_reaches_only_portal_pages(client, worker_a, person_a):
    account, _issued = open_account(worker_a, person_a)
    portal_login(client, account)
    for url in ("/", "/files/", f"/files/{person_a.pk}/", "/accounts/second-factor/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/portal/", url


def test_a_person_through_the_staff_login_lands_in_the_portal(client, worker_a, person_a):
    account, _issued = open_account(worker_a, person_a)
    client.post("/accounts/login/", {"username": account.user.username, "password": PASSWORD})
    assert client.get("/files/")["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200


def test_disabled_account_is_logged_out(client, worker_a, person_a):
    account, _issued = open_account(worker_a, person_a)
    portal_login(client, account)
    portal_account_disable(membership=worker_a, account=account)
    response = client.get("/portal/")
    assert response.status_code == 302 and response["Location"].startswith("/portal/login/")
    response = client.post("/portal/login/", {"username": account.user.username, "password": PASSWORD})
    assert response.status_code == 200
    assert PortalAccount.objects.get(pk=account.pk).disabled_at is not None
    assert AuditEvent.objects.filter(verb="portal_account_disabled").exists()


def test_home_is_in_the_person_language_and_audited(client, worker_a, person_a):
    account, _issued = open_account(worker_a, person_a)
    portal_login(client, account)
    response = client.get("/portal/")
    assert '<html lang="nl">' in response.content.decode()
    event = AuditEvent.objects.filter(verb="portal_home_opened").get()
    assert event.actor_id == account.user_id and event.beneficiary_id == person_a.pk
    assert event.context.startswith("/portal/")
