"""One API token per demo CPAS, so that `make run` shows a working curl call (piis.demo's demo_data runs it).

Only for the demo (settings.DEMO_DATA_ALLOWED): the secret is derived from the CPAS's NIS code and a published
phrase, like the demo password, so every run prints the same working token and creates nothing new (idempotent);
an expired or revoked demo token is renewed. A demo CPAS is one with demo accounts (e-mail @demo.invalid).
"""

import hashlib
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from piis.accounts.models import Cpas
from piis.api.models import ApiToken, Scope
from piis.api.services import MAX_VALIDITY_DAYS, TOKEN_PREFIX, hash_secret
from piis.audit.enums import AuditVerb
from piis.audit.services import record
from piis.core.rls import set_current_cpas

DEMO_TOKEN_NAME = "Demo (curl)"
PUBLISHED_PHRASE = "piis demo API token, published: never on a real database"


def demo_secret(cpas: Cpas) -> str:
    return "demo" + hashlib.sha256(f"{PUBLISHED_PHRASE}:{cpas.nis_code}".encode()).hexdigest()[:32]


def demo_cpas_list() -> list[Cpas]:
    return list(Cpas.objects.filter(memberships__user__email__endswith="@demo.invalid").distinct().order_by("pk"))


@transaction.atomic
def demo_api_tokens() -> list[tuple[Cpas, str]]:
    """(CPAS, token text) of every demo CPAS, the token created or renewed when needed."""
    tokens = []
    now = timezone.now()
    for cpas in demo_cpas_list():
        set_current_cpas(cpas.pk)
        secret = demo_secret(cpas)
        token = ApiToken.objects.for_cpas(cpas).filter(secret_hash=hash_secret(secret)).first()
        if token is None:
            token = ApiToken.objects.create(
                cpas=cpas,
                name=DEMO_TOKEN_NAME,
                secret_hash=hash_secret(secret),
                hint=secret[:6],
                scopes=sorted(Scope.values),
                expires_at=now + timedelta(days=MAX_VALIDITY_DAYS),
            )
            record(actor=None, cpas=cpas, verb=AuditVerb.API_TOKEN_ISSUED, target=token, context="demo data",
                   changes={"name": [None, token.name], "scopes": [None, token.scopes]})  # fmt: skip
        elif token.revoked_at is not None or token.expires_at < now + timedelta(days=30):
            token.revoked_at, token.expires_at = None, now + timedelta(days=MAX_VALIDITY_DAYS)
            token.save(update_fields=["revoked_at", "expires_at"])
        tokens.append((cpas, f"{TOKEN_PREFIX}_{cpas.pk}_{secret}"))
    set_current_cpas(None)
    return tokens
