"""Who an API call acts as: the token's integration, standing in for a membership of the token's CPAS.

The selectors and services of the pages take a membership; an integration passes an `ApiPrincipal` with the same
attributes, so the same fetch-and-authorise code, rules and audit rows apply. Its `user` is an `ApiActor`
without a database row: audit.services.record then writes no actor and labels the row with the integration's name.
Need-to-know (piis.cases.access): the CPAS administrator grants the integration its whole CPAS's files, within
its scopes (INTEGRATION_REACH, registered by ApiConfig.ready).
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q

from piis.accounts.enums import Role
from piis.cases.access import Access, Reach

if TYPE_CHECKING:
    from piis.accounts.models import Cpas
    from piis.api.models import ApiToken


@dataclass(frozen=True)
class ApiActor:
    username: str
    pk: None = None
    id: None = None
    is_authenticated: bool = True

    def __str__(self) -> str:
        return self.username


@dataclass
class ApiPrincipal:
    token: "ApiToken"
    cpas: "Cpas"
    scopes: frozenset = field(default_factory=frozenset)
    # The rights of a social worker in the files it reaches (what a page allows one to do there); scopes narrow them.
    role: str = Role.SOCIAL_WORKER
    is_active: bool = True
    team_id: None = None
    team: None = None
    user_id: None = None
    pk: None = None
    is_integration: bool = True

    @property
    def cpas_id(self) -> int:
        return self.cpas.pk

    @property
    def user(self) -> ApiActor:
        return ApiActor(username=f"api: {self.token.name}"[:150])


def _is_integration(membership) -> bool:
    return bool(getattr(membership, "is_integration", False))


INTEGRATION_REACH = Reach(
    access=Access.INTEGRATION,
    check=lambda membership, beneficiary: _is_integration(membership),
    files_q=lambda membership: Q(pk__isnull=False) if _is_integration(membership) else Q(pk__in=[]),
)
