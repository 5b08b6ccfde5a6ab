"""Who may do what with the personal-data tools of a CPAS.

The access export (GDPR art. 15) is the data-protection officer's, as the audit trail is. Retention periods are a
decision of the CPAS as controller: its administrator sets them (as the other settings of the CPAS); the DPO, who
advises on and monitors them, reads them and the report of what would be erased. Nobody erases from a page: the
erasure is `manage.py retention --apply`, run by the operator."""

from piis.accounts.enums import Role
from piis.accounts.perms import can_view_audit


def can_export_personal_data(membership) -> bool:
    return can_view_audit(membership)


def can_view_retention(membership) -> bool:
    return membership is not None and membership.is_active and membership.role in {Role.CPAS_ADMIN, Role.DPO}


def can_edit_retention(membership) -> bool:
    return membership is not None and membership.is_active and membership.role == Role.CPAS_ADMIN
