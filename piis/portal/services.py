"""Writes of the portal's accounts: opened and disabled by the social worker, invitations issued, the password set
by the person. Every write records its audit event in the same transaction."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from piis.audit.enums import AuditVerb
from piis.audit.services import record
from piis.core.errors import ServiceError
from piis.portal.models import (
    PortalAccount,
    PortalInvitation,
    new_code,
    new_link_token,
    new_login_name,
    normalise_code,
    secret_digest,
)


@dataclass(frozen=True)
class IssuedInvitation:
    """What the worker hands over, shown once: the login name, the short code, the link's token, and until when."""

    login_name: str
    code: str
    token: str
    expires_at: datetime

    @property
    def grouped_code(self) -> str:
        return f"{self.code[:4]} {self.code[4:]}"


def invitation_days() -> int:
    return int(getattr(settings, "PORTAL_INVITATION_DAYS", 7))


def portal_account_open(*, membership, beneficiary, context: str = "") -> tuple[PortalAccount, IssuedInvitation]:
    """Open the person's portal account (a new user with no staff membership, in the language of their file) and
    issue its first invitation. Refused when the person already has an active account."""
    with transaction.atomic():
        if PortalAccount.objects.filter(beneficiary=beneficiary, disabled_at__isnull=True).exists():
            raise ServiceError("PORTAL_ACCOUNT_EXISTS")
        user_model = get_user_model()
        login_name = new_login_name()
        while user_model.objects.filter(username=login_name).exists():
            login_name = new_login_name()
        user = user_model(username=login_name, preferred_language=beneficiary.language)
        user.set_unusable_password()
        user.save()
        account = PortalAccount.objects.create(
            cpas=beneficiary.cpas, user=user, beneficiary=beneficiary, created_by=membership.user
        )
        record(
            actor=membership.user,
            cpas=beneficiary.cpas,
            verb=AuditVerb.PORTAL_ACCOUNT_OPENED,
            target=account,
            changes={"login_name": login_name},
            beneficiary_id=beneficiary.pk,
            context=context,
        )
        issued = portal_invitation_issue(membership=membership, account=account, context=context)
    return account, issued


def portal_invitation_issue(*, membership, account: PortalAccount, context: str = "") -> IssuedInvitation:
    """A new one-time code and link for the account (to set a first password, or a new one when it is forgotten);
    every earlier invitation still open dies with it."""
    if account.disabled_at is not None:
        raise ServiceError("PORTAL_ACCOUNT_DISABLED")
    now = timezone.now()
    with transaction.atomic():
        PortalInvitation.objects.filter(account=account, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=now
        )
        code, token = new_code(), new_link_token()
        while PortalInvitation.objects.filter(code_digest=secret_digest(code, purpose="code")).exists():
            code = new_code()
        invitation = PortalInvitation.objects.create(
            cpas_id=account.cpas_id,
            account=account,
            code_digest=secret_digest(code, purpose="code"),
            link_digest=secret_digest(token, purpose="link"),
            created_by=membership.user,
            expires_at=now + timedelta(days=invitation_days()),
        )
        record(
            actor=membership.user,
            cpas=account.cpas_id,
            verb=AuditVerb.PORTAL_INVITATION_ISSUED,
            target=account,
            changes={"expires_at": invitation.expires_at.isoformat()},
            beneficiary_id=account.beneficiary_id,
            context=context,
        )
    return IssuedInvitation(login_name=account.user.username, code=code, token=token, expires_at=invitation.expires_at)


def portal_account_disable(*, membership, account: PortalAccount, context: str = "") -> None:
    """The account logs in no more (its open sessions end at their next request); its invitations die."""
    if account.disabled_at is not None:
        return
    now = timezone.now()
    with transaction.atomic():
        account.disabled_at = now
        account.save(update_fields=["disabled_at"])
        PortalInvitation.objects.filter(account=account, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=now
        )
        user = account.user
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
        record(
            actor=membership.user,
            cpas=account.cpas_id,
            verb=AuditVerb.PORTAL_ACCOUNT_DISABLED,
            target=account,
            beneficiary_id=account.beneficiary_id,
            context=context,
        )


def portal_invitation_find(*, code: str = "", token: str = "") -> PortalInvitation | None:
    """The usable invitation with this code or link token, or None (wrong, used, revoked, expired or disabled:
    the person is told the same thing in every case)."""
    if code:
        digest, field = secret_digest(normalise_code(code), purpose="code"), "code_digest"
    elif token:
        digest, field = secret_digest(token[:200], purpose="link"), "link_digest"
    else:
        return None
    invitation = (
        PortalInvitation.objects.select_related("account__user", "account__cpas")
        .filter(**{field: digest}, account__disabled_at__isnull=True)
        .first()
    )
    if invitation is None or not invitation.is_usable():
        return None
    return invitation


def portal_password_set(*, invitation_id: int, password: str, context: str = "") -> PortalAccount:
    """The person sets their password with an invitation, which serves once (locked, re-checked)."""
    now = timezone.now()
    with transaction.atomic():
        invitation = (
            PortalInvitation.objects.select_for_update()
            .select_related("account__user")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or not invitation.is_usable(now) or invitation.account.disabled_at is not None:
            raise ServiceError("PORTAL_INVITATION_UNUSABLE")
        account = invitation.account
        user = account.user
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        invitation.used_at = now
        invitation.save(update_fields=["used_at"])
        first = account.activated_at is None
        if first:
            account.activated_at = now
            account.save(update_fields=["activated_at"])
        record(
            actor=user,
            cpas=account.cpas_id,
            verb=AuditVerb.PORTAL_PASSWORD_SET,
            target=account,
            changes={"first_time": first},
            beneficiary_id=account.beneficiary_id,
            context=context,
        )
    return account
