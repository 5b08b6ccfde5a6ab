"""Who may do what in a CPAS. Each function takes the membership of the current CPAS (or None)."""

from piis.accounts.enums import Role

# Roles that work on beneficiary files. The DPO audits but does not open files; council members see files
# through the hearing dossiers of later issues.
CASE_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_LEAD, Role.DIRECTOR, Role.COUNCIL_SECRETARY})


def can_view_beneficiaries(membership) -> bool:
    return membership is not None and membership.is_active and membership.role in CASE_ROLES


def can_edit_beneficiaries(membership) -> bool:
    return can_view_beneficiaries(membership) and membership.role in {Role.SOCIAL_WORKER, Role.TEAM_LEAD}


def can_manage_cpas(membership) -> bool:
    """Closure days, signatory matrix, working languages."""
    return membership is not None and membership.is_active and membership.role == Role.CPAS_ADMIN


def can_view_audit(membership) -> bool:
    """The audit trail of a CPAS is for its data-protection officer only."""
    return membership is not None and membership.is_active and membership.role == Role.DPO


def can_view_legal_assumptions(membership) -> bool:
    """The working assumptions the application makes where the law is silent (piis.core.legal.ASSUMPTIONS), to be
    validated by the legal service: for the CPAS administrator and the data-protection officer, not the social
    workers who apply the rules."""
    return membership is not None and membership.is_active and membership.role in {Role.CPAS_ADMIN, Role.DPO}


def can_reset_second_factor(membership) -> bool:
    """A member who lost their phone gets their second factor reset by the CPAS administrator (audited)."""
    return can_manage_cpas(membership)


def can_view_observatory(membership) -> bool:
    """The observatory (supervision figures, S-Eq 23): the director for the CPAS, a team lead for the teams they
    lead. Never a social worker: no one sees an individual score of their own."""
    return membership is not None and membership.is_active and membership.role in {Role.DIRECTOR, Role.TEAM_LEAD}


def can_export_federal_figures(membership) -> bool:
    """The statistical figures (R76) and the exchange export of agreements and evaluations (R77): the director."""
    return membership is not None and membership.is_active and membership.role == Role.DIRECTOR


def can_view_catalogue(membership) -> bool:
    """The CPAS's services, partners and target groups: for everyone who drafts or supervises a PIIS, and the CPAS
    administrator who keeps them."""
    return can_view_beneficiaries(membership) or can_manage_cpas(membership)


def can_manage_catalogue(membership) -> bool:
    """The catalogue and the target groups are kept by the CPAS administrator."""
    return can_manage_cpas(membership)
