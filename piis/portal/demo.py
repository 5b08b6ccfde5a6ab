"""One portal login per demo CPAS, so that `make run` prints a beneficiary's way into the portal (piis.demo's
demo_data runs the command `demo_portal_accounts`). Only for the demo (settings.DEMO_DATA_ALLOWED): the login name
and the password are published, like the staff demo password. Idempotent: an existing demo account is kept, its
password reset to the published one. The person chosen is the first one of the CPAS with a PIIS in force."""

from django.contrib.auth import get_user_model
from django.db import transaction

from piis.accounts.models import Cpas, Membership
from piis.contracts.enums import ContractStatus
from piis.contracts.models import Contract
from piis.core.rls import set_current_cpas
from piis.portal.models import PortalAccount, PortalInvitation
from piis.portal.services import portal_account_open, portal_password_set

DEMO_PORTAL_PASSWORD = "portal demo 2026"  # published: never on a real database


def demo_login_name(cpas: Cpas) -> str:
    return f"P-DEMO{cpas.nis_code}"


def demo_cpas_list() -> list[Cpas]:
    return list(Cpas.objects.filter(memberships__user__email__endswith="@demo.invalid").distinct().order_by("pk"))


@transaction.atomic
def demo_portal_accounts() -> list[tuple[Cpas, str, str]]:
    """(CPAS, login name, the person's name) of every demo CPAS's portal login, created when missing."""
    logins = []
    for cpas in demo_cpas_list():
        set_current_cpas(cpas.pk)
        name = demo_login_name(cpas)
        user = get_user_model().objects.filter(username=name).first()
        account = PortalAccount.objects.filter(user=user).select_related("beneficiary").first() if user else None
        if account is None:
            contract = (
                Contract.objects.for_cpas(cpas)
                .filter(status=ContractStatus.IN_FORCE, social_worker__isnull=False)
                .exclude(beneficiary__in=PortalAccount.objects.filter(disabled_at__isnull=True).values("beneficiary"))
                .select_related("beneficiary")
                .order_by("pk")
                .first()
            )
            worker = (
                Membership.objects.filter(cpas=cpas, user=contract.social_worker, is_active=True).first()
                if contract
                else None
            )
            if worker is None:
                continue
            account, _issued = portal_account_open(membership=worker, beneficiary=contract.beneficiary, context="demo")
            account.user.username = name
            account.user.save(update_fields=["username"])
            invitation = PortalInvitation.objects.filter(account=account, used_at__isnull=True).latest("pk")
            portal_password_set(invitation_id=invitation.pk, password=DEMO_PORTAL_PASSWORD, context="demo")
        elif not account.user.check_password(DEMO_PORTAL_PASSWORD):
            account.user.set_password(DEMO_PORTAL_PASSWORD)
            account.user.save(update_fields=["password"])
        beneficiary = account.beneficiary
        logins.append((cpas, name, f"{beneficiary.first_name} {beneficiary.last_name}"))
    set_current_cpas(None)
    return logins
