"""Writes of the API tokens (the CPAS administrator's page, piis.api.views), each audited."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from piis.accounts.perms import can_manage_cpas
from piis.api.models import ApiToken, Scope
from piis.audit.enums import AuditVerb
from piis.audit.services import record
from piis.core.errors import ServiceError

TOKEN_PREFIX = "piis"
MAX_VALIDITY_DAYS = 366


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_token(text: str) -> tuple[int, str] | None:
    """`piis_<cpas id>_<secret>` → (cpas id, secret), or None for anything else."""
    parts = (text or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1].isdigit() or len(parts[1]) > 18 or not parts[2]:
        return None
    return int(parts[1]), parts[2]


@transaction.atomic
def token_issue(*, membership, name: str, scopes: list[str], valid_days: int) -> tuple[ApiToken, str]:
    """A new token for the integration `name`; returns it with its text, which is shown once and never kept."""
    if not can_manage_cpas(membership):
        raise Http404
    name = (name or "").strip()
    if not name:
        raise ServiceError("API_TOKEN_NAME_REQUIRED", field="name")
    scopes = sorted(set(scopes))
    if not scopes or any(scope not in Scope.values for scope in scopes):
        raise ServiceError("API_TOKEN_SCOPES_REQUIRED", field="scopes")
    if not 1 <= valid_days <= MAX_VALIDITY_DAYS:
        raise ServiceError("API_TOKEN_VALIDITY", field="valid_days", params={"days": MAX_VALIDITY_DAYS})
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        cpas=membership.cpas,
        name=name[:100],
        secret_hash=hash_secret(secret),
        hint=secret[:6],
        scopes=scopes,
        created_by=membership.user,
        expires_at=timezone.now() + timedelta(days=valid_days),
    )
    record(
        actor=membership.user,
        cpas=membership.cpas,
        verb=AuditVerb.API_TOKEN_ISSUED,
        target=token,
        changes={
            "name": [None, token.name],
            "scopes": [None, scopes],
            "expires_at": [None, token.expires_at.isoformat()],
        },
        context="api tokens",
    )
    return token, f"{TOKEN_PREFIX}_{membership.cpas.pk}_{secret}"


@transaction.atomic
def token_revoke(*, membership, token_id: int) -> ApiToken:
    if not can_manage_cpas(membership):
        raise Http404
    token = ApiToken.objects.for_cpas(membership.cpas).filter(pk=token_id).first()
    if token is None:
        raise Http404
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            actor=membership.user,
            cpas=membership.cpas,
            verb=AuditVerb.API_TOKEN_REVOKED,
            target=token,
            changes={"revoked_at": [None, token.revoked_at.isoformat()]},
            context="api tokens",
        )
    return token
