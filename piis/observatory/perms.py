"""Who sees the figures of every CPAS side by side.

The comparison between CPAS (observatory.equity) holds aggregates of whole CPAS only. A director sees where their
CPAS stands without any other CPAS named (the dashboard); the SPP IS — the federal administration that funds the PIIS
(R68) and inspects its evidence (R74), here the inspector role — sees every CPAS by name with the spread.
"""

from piis.accounts.enums import Role


def can_view_equity_between_cpas(membership) -> bool:
    return membership is not None and membership.is_active and membership.role == Role.INSPECTOR


def can_view_cpas_among_all(membership) -> bool:
    """The director: their whole CPAS beside the spread of all CPAS, none named (a team lead's page is about their
    teams, not the CPAS)."""
    return membership is not None and membership.is_active and membership.role == Role.DIRECTOR
