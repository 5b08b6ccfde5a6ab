"""Who may do what with a PIIS contract, in the membership's CPAS."""

from piis.accounts.enums import Role
from piis.accounts.perms import can_view_beneficiaries

DRAFTING_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_LEAD})


def can_view_contract(membership) -> bool:
    return can_view_beneficiaries(membership)


def can_edit_contract(membership) -> bool:
    """Draft, negotiate, hand over, record information, signatures and amendments."""
    return can_view_contract(membership) and membership.role in DRAFTING_ROLES


def can_manage_clause_library(membership) -> bool:
    return can_view_contract(membership) and membership.role in {Role.TEAM_LEAD, Role.SOCIAL_WORKER}
