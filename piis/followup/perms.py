"""Who may do what in the follow-up of a PIIS, in the membership's CPAS."""

from piis.accounts.enums import Role
from piis.accounts.perms import can_view_beneficiaries

# Roles that carry a caseload: they record evaluations and meeting requests, and have an agenda of their own.
CASELOAD_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_LEAD})
# Roles that oversee the team's legal rhythm: every worker's agenda and the team's load.
TEAM_ROLES = frozenset({Role.TEAM_LEAD, Role.DIRECTOR})


def _active(membership) -> bool:
    return membership is not None and membership.is_active


def can_view_followup(membership) -> bool:
    """Read the evaluations, compliance and meeting requests of a file (whoever may open the file)."""
    return can_view_beneficiaries(membership)


def can_record_followup(membership) -> bool:
    """Record or edit evaluations and meeting requests."""
    return can_view_followup(membership) and membership.role in CASELOAD_ROLES


def can_view_own_agenda(membership) -> bool:
    return _active(membership) and membership.role in CASELOAD_ROLES


def can_view_team_agenda(membership) -> bool:
    """Every worker's agenda in the CPAS and the team's load per week."""
    return _active(membership) and membership.role in TEAM_ROLES


def can_view_agenda(membership) -> bool:
    return can_view_own_agenda(membership) or can_view_team_agenda(membership)


def can_manage_calendar_feed(membership) -> bool:
    """A private iCalendar feed of one's own deadlines."""
    return can_view_own_agenda(membership)
