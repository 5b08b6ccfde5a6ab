"""A beneficiary's portal account and the one-time invitations that open it.

Both are read before any CPAS is chosen (the middleware finds the person's CPAS from their account; a code typed on
the activation page names no CPAS), so, like the staff directory (accounts.Membership), they are directory tables
outside row-level security (core.models.DIRECTORY_MODELS): they hold ids, times and hashes, no personal data. Every
page that shows the person's data reads it inside the CPAS's row-level security (piis.portal.decorators).
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from piis.core.models import TenantModel

# No 0/O, 1/I/L: a code read aloud or copied from paper cannot be mistaken.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
LOGIN_NAME_PREFIX = "P-"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_link_token() -> str:
    return secrets.token_urlsafe(32)


def new_login_name() -> str:
    return LOGIN_NAME_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def normalise_code(code: str) -> str:
    """What the person typed, as the code was printed: spaces and dashes dropped, in capitals."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:40]


def secret_digest(secret: str, *, purpose: str) -> str:
    """A keyed digest of a code or link token: what the database keeps (a stolen table gives no usable code). Keyed
    with the SECRET_KEY, deterministic, so that the typed code is found by its digest."""
    key = hashlib.sha256(f"piis.portal.{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, secret.encode(), hashlib.sha256).hexdigest()


class PortalAccount(TenantModel):
    """The person's own login: a Django user with no staff membership, tied to one beneficiary file.

    Opened by the social worker; the person sets its password from a one-time invitation. A disabled account logs
    in no more; a beneficiary has at most one account that is not disabled."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="portal_account"
    )
    beneficiary = models.ForeignKey(
        "cases.Beneficiary", verbose_name=_("beneficiary"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("opened on"), auto_now_add=True)
    activated_at = models.DateTimeField(_("password set on"), null=True, blank=True)
    disabled_at = models.DateTimeField(_("disabled on"), null=True, blank=True)

    class Meta:
        verbose_name = _("portal account")
        verbose_name_plural = _("portal accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary"], condition=Q(disabled_at__isnull=True), name="portal_account_one_active"
            )
        ]

    def __str__(self) -> str:
        return self.user.username

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None

    def clean(self) -> None:
        super().clean()
        if self.user_id and self.user.memberships.exists():
            raise ValidationError({"user": _("A staff account cannot be a beneficiary's portal account.")})


class PortalInvitation(TenantModel):
    """A one-time way in, handed over in person: a short code (typed on the activation page) and a link (opened on
    the phone). Only their digests are kept; both expire, serve once, and die when a newer invitation is issued."""

    account = models.ForeignKey(PortalAccount, on_delete=models.CASCADE, related_name="invitations")
    code_digest = models.CharField(max_length=64, unique=True)
    link_digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("portal invitation")
        verbose_name_plural = _("portal invitations")

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and self.revoked_at is None and self.expires_at > now
