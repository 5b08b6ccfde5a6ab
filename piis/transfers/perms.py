"""Who works on transfers: the social workers and team leads (need-to-know on the file for the outgoing side,
piis.cases.access); the new CPAS's intake (the same roles) sees the incoming requests."""

from piis.accounts.enums import Role

TRANSFER_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_LEAD})


def can_manage_transfers(membership) -> bool:
    return membership is not None and membership.is_active and membership.role in TRANSFER_ROLES
