"""API authentication: a Bearer token sets the token's CPAS for row-level security, then is looked up under it.

CurrentCpasMiddleware has already opened the request's transaction (no session, so no CPAS); `TokenAuth` sets
`app.cpas_id` in that same transaction (SET LOCAL semantics) from the token's CPAS part, and finds the token by the
sha256 of its secret — a token naming another CPAS finds nothing there. Then the token must be unrevoked, unexpired,
hold the operation's scope, and stay under its rate limit: calls per token and minute, counted in the table
api.ApiCallCount by one upsert per call, shared by every process, unlike a per-process memory.
"""

import time

from django.conf import settings
from django.db import connection
from django.utils import timezone
from ninja.security import HttpBearer

from piis.accounts.models import Cpas
from piis.api.models import ApiCallCount, ApiToken
from piis.api.principal import ApiPrincipal
from piis.api.services import hash_secret, parse_token
from piis.core.rls import set_current_cpas


class ApiError(Exception):
    """An API refusal: HTTP status, an error code of the catalogue (piis.core.error_catalogue) and its params."""

    def __init__(self, status: int, code: str, params: dict | None = None, headers: dict | None = None):
        super().__init__(code)
        self.status, self.code, self.params, self.headers = status, code, params or {}, headers or {}


def rate_limit_per_minute() -> int:
    return getattr(settings, "PIIS_API_RATE_PER_MINUTE", 300)


class TokenAuth(HttpBearer):
    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def authenticate(self, request, token: str):
        parsed = parse_token(token)
        if parsed is None:
            return None
        cpas_id, secret = parsed
        set_current_cpas(cpas_id)
        found = (
            ApiToken.objects.for_cpas(cpas_id)
            .filter(secret_hash=hash_secret(secret), revoked_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if found is None:
            return None
        if self.scope not in found.scopes:
            raise ApiError(403, "API_SCOPE_MISSING")
        _count_call(found)
        request.api_principal = ApiPrincipal(
            token=found, cpas=Cpas.objects.get(pk=cpas_id), scopes=frozenset(found.scopes)
        )
        return request.api_principal


def _upsert_sql() -> str:
    """One statement that counts a call and returns the count (PostgreSQL and SQLite 3.35+ say it alike)."""
    table = connection.ops.quote_name(ApiCallCount._meta.db_table)
    return (
        f"INSERT INTO {table} (cpas_id, token_id, minute, calls) VALUES (%s, %s, %s, 1) "
        f"ON CONFLICT (token_id, minute) DO UPDATE SET calls = {table}.calls + 1 RETURNING calls"
    )


def _count_call(token: ApiToken) -> None:
    """One more call of `token` this minute; 429 beyond the limit. The count is written in the request's
    transaction, one query: two calls of one token at the same moment take turns on its counter row, calls of
    other tokens do not wait."""
    minute = int(time.time() // 60)
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), [token.cpas_id, token.pk, minute])
        calls = cursor.fetchone()[0]
    if calls == 1:  # at most once a minute: the admin page's "last used", and the token's past minutes let go
        ApiToken.objects.for_cpas(token.cpas_id).filter(pk=token.pk).update(last_used_at=timezone.now())
        ApiCallCount.objects.for_cpas(token.cpas_id).filter(token=token, minute__lt=minute).delete()
    if calls > rate_limit_per_minute():
        raise ApiError(429, "API_RATE_LIMITED", headers={"Retry-After": str(60 - int(time.time()) % 60)})
