"""Need-to-know: who may reach which file of their CPAS. ONE decision (`file_access`), used by every path that
reaches a file or a part of it (the file page and its records, assessments, contracts and their parts, PDFs,
evaluations, meeting requests) through `require_file_access`, and by the lists through `accessible_files_q`.

The rules (issue 16):
- the role must work on files at all (accounts.perms.can_view_beneficiaries): a CPAS administrator and the DPO never
  reach file content;
- the assigned worker (Beneficiary.social_worker) and the members of the file's team (Membership.team): full;
- the lead of the file's team (Team.lead; one may lead several teams): full; a team lead also reaches the files
  that have no team yet, to dispatch them;
- the worker and the substitute of an open PIIS on the file: full (piis.contracts registers it with
  `register_reach`: cases cannot import the apps above it);
- council secretary and council members: what a council matter needs. The app that holds council matters
  (piis.sanctions) registers a check with `register_council_matter`;
- anyone else with a file role (a director, a worker of another team): only through "break the glass"
  (cases.services.break_the_glass): a reason, audited, shown to the DPO, for BREAK_GLASS_HOURS.
The role still decides what one may do in a reached file (accounts.perms.can_edit_beneficiaries).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from piis.accounts.enums import Role
from piis.accounts.perms import can_view_beneficiaries

BREAK_GLASS_HOURS = 8
BREAK_GLASS_DURATION = timedelta(hours=BREAK_GLASS_HOURS)
BREAK_GLASS_REASON_MIN_LENGTH = 15

COUNCIL_ROLES = frozenset({Role.COUNCIL_SECRETARY, Role.COUNCIL_MEMBER})


class Access(StrEnum):
    """Why a member reaches a file (None: they do not)."""

    ASSIGNED = "assigned"  # the file's social worker
    CONTRACT_WORKER = "contract_worker"  # the worker or substitute of an open PIIS on the file (piis.contracts)
    TEAM = "team"  # a member of the file's team
    TEAM_LEAD = "team_lead"  # the lead of the file's team, or any team lead for a file without a team
    COUNCIL_MATTER = "council_matter"  # a council matter on the file (registered by the sanctions app)
    BROKEN_GLASS = "broken_glass"  # an explicit, reasoned, time-limited access
    INTEGRATION = "integration"  # an API token's integration, granted its CPAS's files by the admin (piis.api)


class NeedToKnowRefused(PermissionDenied):
    """The member's role works on files, the file is in their CPAS, but it is beyond their need-to-know: the
    response is the break-the-glass page (www.files.need_to_know_refused), not the file."""

    def __init__(self, beneficiary):
        super().__init__("beyond need-to-know")
        self.beneficiary = beneficiary


# (membership, beneficiary) -> bool: True when a council matter on the file needs this member to read it.
CouncilMatterCheck = Callable[[object, object], bool]
_council_matter_checks: list[CouncilMatterCheck] = []


def register_council_matter(check: CouncilMatterCheck) -> None:
    """For piis.sanctions (its AppConfig.ready): say when a council matter opens a file to a council role
    (COUNCIL_ROLES only; the check is asked only for those roles)."""
    if check not in _council_matter_checks:
        _council_matter_checks.append(check)


@dataclass(frozen=True)
class Reach:
    """A way to reach a file that an app above cases knows of: `check(membership, beneficiary)` for one file,
    `files_q(membership)` the same as a filter on Beneficiary for the lists."""

    access: Access
    check: Callable[[object, object], bool]
    files_q: Callable[[object], Q]


_reaches: list[Reach] = []


def register_reach(reach: Reach) -> None:
    """For the apps above cases (their AppConfig.ready): e.g. piis.contracts, the worker of an open PIIS."""
    if reach not in _reaches:
        _reaches.append(reach)


def team_ids(membership) -> set[int]:
    """The teams whose files the member reaches as a member or as their lead (cached on the membership)."""
    cached = getattr(membership, "_need_to_know_team_ids", None)
    if cached is not None:
        return cached
    from piis.accounts.models import Team

    ids = {membership.team_id} if membership.team_id else set()
    if membership.role == Role.TEAM_LEAD:
        ids |= set(
            Team.objects.for_cpas(membership.cpas_id).filter(lead=membership.user_id).values_list("pk", flat=True)
        )
    membership._need_to_know_team_ids = ids
    return ids


def open_glass_break(membership, beneficiary, *, now=None):
    """The member's break-the-glass access to this file still open now (the latest), or None."""
    from piis.cases.models import GlassBreak

    now = now or timezone.now()
    return (
        GlassBreak.objects.for_cpas(membership.cpas_id)
        .filter(user=membership.user_id, beneficiary=beneficiary.pk, until__gt=now)
        .order_by("-until")
        .first()
    )


def file_access(membership, beneficiary, *, now=None) -> Access | None:
    """Why `membership` may reach `beneficiary`'s file, or None. The one need-to-know decision."""
    if not can_view_beneficiaries(membership) or beneficiary.cpas_id != membership.cpas_id:
        return None
    if beneficiary.social_worker_id is not None and beneficiary.social_worker_id == membership.user_id:
        return Access.ASSIGNED
    if beneficiary.team_id is not None and beneficiary.team_id in team_ids(membership):
        is_lead = membership.role == Role.TEAM_LEAD and beneficiary.team_id != membership.team_id
        return Access.TEAM_LEAD if is_lead else Access.TEAM
    if beneficiary.team_id is None and membership.role == Role.TEAM_LEAD:
        return Access.TEAM_LEAD
    for reach in _reaches:
        if reach.check(membership, beneficiary):
            return reach.access
    if membership.role in COUNCIL_ROLES and any(check(membership, beneficiary) for check in _council_matter_checks):
        return Access.COUNCIL_MATTER
    if open_glass_break(membership, beneficiary, now=now) is not None:
        return Access.BROKEN_GLASS
    return None


def require_file_access(membership, beneficiary) -> Access:
    """file_access, or NeedToKnowRefused (the caller has already checked the CPAS and the role: 404 for those)."""
    access = file_access(membership, beneficiary)
    if access is None:
        raise NeedToKnowRefused(beneficiary)
    return access


def accessible_files_q(membership) -> Q:
    """The files the member reaches without breaking the glass, as a filter on Beneficiary. Council matters and
    broken glass are not listed: they are reached from the council's own pages and from the break-the-glass page."""
    if not can_view_beneficiaries(membership):
        return Q(pk__in=[])
    q = Q(social_worker=membership.user_id)
    teams = team_ids(membership)
    if teams:
        q |= Q(team__in=teams)
    if membership.role == Role.TEAM_LEAD:
        q |= Q(team__isnull=True)
    for reach in _reaches:
        q |= reach.files_q(membership)
    return q


def glass_break_in_use(membership, beneficiary, *, access: Access | None = None):
    """The break-the-glass access through which the member reaches this file now (for the page's banner), or None
    when they reach it by need-to-know. `access`: the file_access answer the page has already (asked otherwise)."""
    if (access or file_access(membership, beneficiary)) != Access.BROKEN_GLASS:
        return None
    return open_glass_break(membership, beneficiary)
