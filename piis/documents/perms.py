"""Who may do what with documents and letters, in the membership's CPAS."""

from piis.accounts.enums import Role
from piis.accounts.perms import can_manage_cpas, can_view_beneficiaries


def can_view_documents(membership) -> bool:
    """List and download a file's documents and letters (whoever may open the file; sensitive ones: access.py)."""
    return can_view_beneficiaries(membership)


def can_add_documents(membership) -> bool:
    """Upload or remove a document, prepare and send a letter."""
    return can_view_documents(membership) and membership.role in {Role.SOCIAL_WORKER, Role.TEAM_LEAD}


def can_send_letters(membership) -> bool:
    return can_add_documents(membership)


def can_manage_letter_templates(membership) -> bool:
    """The CPAS's own wording of its letters: the CPAS administrator."""
    return can_manage_cpas(membership)
