"""Portal accounts for tests: opened by a worker through the service, password set through the invitation."""

from piis.portal.models import PortalInvitation
from piis.portal.services import portal_account_open, portal_password_set

PASSWORD = "a long portal password 42"


def open_account(worker_membership, beneficiary, *, activate: bool = True):
    """(account, issued invitation); with `activate`, the person has set PASSWORD."""
    account, issued = portal_account_open(membership=worker_membership, beneficiary=beneficiary, context="test")
    if activate:
        invitation = PortalInvitation.objects.get(account=account, used_at__isnull=True, revoked_at__isnull=True)
        portal_password_set(invitation_id=invitation.pk, password=PASSWORD, context="test")
        account.refresh_from_db()
    return account, issued


def portal_login(client, account):
    """The client logged in as the person (through the portal's login form)."""
    response = client.post("/portal/login/", {"username": account.user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client
