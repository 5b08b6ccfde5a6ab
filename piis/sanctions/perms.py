"""Who may see and do what in the non-compliance procedure. The dossier is apart from the support file: opening a
file does not open its sanction dossiers, and the council's members, who do not work on files, see the dossiers put
before them.

Need-to-know (piis.cases.access): "the file's social workers" are those who reach the file by need-to-know (its
assigned worker, its team and the team's lead, the worker and substitute of its open PIIS), never through a broken
glass. The council secretary sees every dossier; a council member, those put before the council.
"""

from piis.accounts.enums import Role
from piis.cases.access import Access, file_access
from piis.sanctions.enums import PREPARATION_STATUSES, DossierStatus

# Roles that ever see a sanction dossier (the director sees the register, not the dossiers: sanct2's register page).
DOSSIER_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_LEAD, Role.COUNCIL_SECRETARY, Role.COUNCIL_MEMBER})
_WORKS_ON_FILE = frozenset({Access.ASSIGNED, Access.TEAM, Access.TEAM_LEAD, Access.CONTRACT_WORKER})
# A council member sees a dossier once it is put before the council, not while the worker prepares it.
_BEFORE_COUNCIL = PREPARATION_STATUSES | {DossierStatus.CLOSED}


def _active(membership) -> bool:
    return membership is not None and membership.is_active


def _works_on_file(membership, *, beneficiary, contract=None) -> bool:
    """The member works on the file (need-to-know, cases.access.file_access), as a social worker or team lead."""
    if membership.role not in {Role.SOCIAL_WORKER, Role.TEAM_LEAD}:
        return False
    return file_access(membership, beneficiary) in _WORKS_ON_FILE


def can_list_dossiers(membership) -> bool:
    """The list of dossiers (each row still filtered by can_view_dossier's rules in the selector)."""
    return _active(membership) and membership.role in DOSSIER_ROLES


def can_view_dossier(membership, dossier) -> bool:
    if not _active(membership) or membership.role not in DOSSIER_ROLES:
        return False
    if membership.role == Role.COUNCIL_SECRETARY:
        return True
    if membership.role == Role.COUNCIL_MEMBER:
        return dossier.status not in _BEFORE_COUNCIL
    return _works_on_file(membership, beneficiary=dossier.beneficiary, contract=dossier.contract)


def can_open_dossier(membership, *, beneficiary, contract) -> bool:
    """Report a breach and open a dossier: the file's social workers and the team lead."""
    return _active(membership) and _works_on_file(membership, beneficiary=beneficiary, contract=contract)


def can_prepare_dossier(membership, dossier) -> bool:
    """Record the steps before the council (notice, answer, checks, opinion, hearing), mark it ready, close it."""
    return _active(membership) and _works_on_file(
        membership, beneficiary=dossier.beneficiary, contract=dossier.contract
    )


def can_review_recent_piis(membership, dossier) -> bool:
    """S-Time 22: the supervisor's review of a PIIS signed or amended shortly before the procedure."""
    return _active(membership) and membership.role == Role.TEAM_LEAD


def can_record_hearing(membership, dossier) -> bool:
    """The hearing is held before the council or its organ (R40): the worker or the council secretary records it."""
    return can_prepare_dossier(membership, dossier) or (
        _active(membership) and membership.role == Role.COUNCIL_SECRETARY
    )


# --- the council's part (sanct2) ------------------------------------------------------------------------------------


def can_manage_sittings(membership) -> bool:
    """Plan sittings, prepare their agenda, record decisions, letters, appeals and payment exports."""
    return _active(membership) and membership.role == Role.COUNCIL_SECRETARY


def can_view_sittings(membership) -> bool:
    return _active(membership) and membership.role in {Role.COUNCIL_SECRETARY, Role.COUNCIL_MEMBER}


def can_view_register(membership) -> bool:
    """The sanction register and its figures (S-Eq 23): for the director, and the team lead and secretary."""
    return _active(membership) and membership.role in {Role.DIRECTOR, Role.TEAM_LEAD, Role.COUNCIL_SECRETARY}
