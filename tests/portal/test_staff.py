"""The staff side: the social worker opens the person's account from the file page, sees the code and link once,
gives a new one, disables the account; roles that do not edit files, and other CPAS, are refused."""

import pytest

from piis.accounts.enums import Role
from piis.audit.models import AuditEvent
from piis.portal.models import PortalAccount
from tests.factories import make_beneficiary, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(cpas_a, worker_a):
    return make_beneficiary(cpas_a, social_worker=worker_a.user)


def test_open_shows_the_code_once_then_invite_then_disable(login, worker_a, person):
    client = login(worker_a)
    url = f"/portal-accounts/{person.pk}/"
    assert "Portal account" in client.get(f"/files/{person.pk}/").content.decode()
    assert client.post(url, {"action": "open"}).status_code == 302
    shown = client.get(url).content.decode()
    assert 'data-testid="portal-code"' in shown and "/portal/start/" in shown
    assert 'data-testid="portal-code"' not in client.get(url).content.decode()  # once
    account = PortalAccount.objects.get(beneficiary=person)
    client.post(url, {"action": "invite"})
    assert 'data-testid="portal-code"' in client.get(url).content.decode()
    client.post(url, {"action": "disable"})
    account.refresh_from_db()
    assert account.disabled_at is not None and not account.user.is_active
    verbs = set(AuditEvent.objects.filter(beneficiary_id=person.pk).values_list("verb", flat=True))
    assert {"portal_account_opened", "portal_invitation_issued", "portal_account_disabled"} <= verbs
    # a new account may then be opened
    client.post(url, {"action": "open"})
    assert PortalAccount.objects.filter(beneficiary=person, disabled_at__isnull=True).count() == 1


def test_roles_and_other_cpas_are_refused(login, cpas_a, cpas_b, person):
    dpo = make_member(cpas_a, Role.DPO)
    assert login(dpo).get(f"/portal-accounts/{person.pk}/").status_code == 403
    stranger = make_member(cpas_b, Role.SOCIAL_WORKER)
    client = login(stranger)
    assert client.get(f"/portal-accounts/{person.pk}/").status_code == 404
    assert client.post(f"/portal-accounts/{person.pk}/", {"action": "open"}).status_code == 404
    assert not PortalAccount.objects.exists()
