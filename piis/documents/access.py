"""Who sees a document in the sensitive area (a medical certificate backing an exemption).

The file's need-to-know (cases.access.file_access) decides who reaches the file at all. A sensitive document asks
more: the member records in files (social worker, team lead) and carries the file by need-to-know — assigned, in its
team, its team lead or the worker of its open PIIS. Not a director, not the council, not through broken glass, not
an integration."""

from piis.accounts.enums import Role
from piis.cases.access import Access, file_access

SENSITIVE_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_LEAD})
SENSITIVE_ACCESS = frozenset({Access.ASSIGNED, Access.TEAM, Access.TEAM_LEAD, Access.CONTRACT_WORKER})


def can_see_sensitive(membership, beneficiary) -> bool:
    if membership is None or membership.role not in SENSITIVE_ROLES:
        return False
    return file_access(membership, beneficiary) in SENSITIVE_ACCESS
