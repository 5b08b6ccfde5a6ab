"""Who reads the reports of a CPAS.

The subsidy claim names people: the director, who signs it, and the SPP IS inspector (R74), who checks it against
its evidence. The annual global evaluation (R50) holds counts only: the director, the council and its secretary, and
the inspector. The inspector reads and exports; nothing anywhere lets the role write (accounts.perms gives it no
file role, so need-to-know refuses it every file page).
"""

from piis.accounts.enums import Role

CLAIM_ROLES = frozenset({Role.DIRECTOR, Role.INSPECTOR})
ANNUAL_ROLES = frozenset({Role.DIRECTOR, Role.COUNCIL_MEMBER, Role.COUNCIL_SECRETARY, Role.INSPECTOR})


def _active(membership) -> bool:
    return membership is not None and membership.is_active


def can_view_subsidy_claim(membership) -> bool:
    return _active(membership) and membership.role in CLAIM_ROLES


def can_view_subsidy_evidence(membership) -> bool:
    """R74: the evidence behind each claimed line (needs assessment, signed PIIS, evaluations)."""
    return _active(membership) and membership.role in CLAIM_ROLES


def can_view_annual_report(membership) -> bool:
    return _active(membership) and membership.role in ANNUAL_ROLES


def can_view_reports(membership) -> bool:
    """The navigation's "Reports" entry."""
    return can_view_subsidy_claim(membership) or can_view_annual_report(membership)


def can_compute_subsidy_claim(membership) -> bool:
    """Computing the month's claim again (a background job that stores it): the director, who signs it. The
    inspector reads the claim as it was computed."""
    return _active(membership) and membership.role == Role.DIRECTOR
