"""Who may open, re-invite and disable a person's portal account: the staff who edit beneficiary files (the
social worker and the team lead), within the file's need-to-know (cases.selectors.beneficiary_get_for_user)."""

from piis.accounts.perms import can_edit_beneficiaries


def can_manage_portal_accounts(membership) -> bool:
    return can_edit_beneficiaries(membership)
