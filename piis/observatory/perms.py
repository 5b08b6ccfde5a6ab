"""Who sees the figures of every CPAS side by side.

The comparison between CPAS (observatory.equity) holds aggregates of whole CPAS only. A director sees where their
CPAS stands without any other CPAS named (the dashboard); the SPP IS — the federal administration that funds the PIIS
(R68) and inspects its evidence (R74), here the inspector role — sees every CPAS by name with the spread.
"""

from piis.accounts.enums import Role


def can_view_equity_between_cpas(membership) -> bool:
    return membership is not None and membership.is_active and membership.role == Role.INSPECTOR
