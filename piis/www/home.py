import copy

from django.contrib.auth.decorators import login_required
from django.db.models import F, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from piis.accounts.middleware import SESSION_KEY
from piis.accounts.perms import can_view_beneficiaries
from piis.audit.services import record_people_shown
from piis.cases.access import accessible_files_q, team_ids
from piis.cases.models import Beneficiary
from piis.core import compiled
from piis.followup.perms import can_view_own_agenda
from piis.followup.selectors import agenda_summary_for_user
from piis.sanctions.perms import can_manage_sittings, can_view_register, can_view_sittings
from piis.sanctions.selectors_council import agenda_entries as council_agenda_entries
from piis.sanctions.selectors_council import sittings_for_user

HOME_AGENDA_ITEMS = 5  # the most urgent deadlines shown on the home page


@login_required
def home(request):
    membership = request.membership
    counts = {}
    if can_view_beneficiaries(membership):
        counts["files"], counts["my_files"] = count_files(membership)
    if can_view_own_agenda(membership):
        today = timezone.localdate()
        summary = agenda_summary_for_user(cpas=request.cpas, user=request.user, today=today, size=HOME_AGENDA_ITEMS)
        counts["overdue"] = summary.overdue
        # Each links to where the worker acts (AgendaItem.url): the overdue first, then the next ones due (a date
        # reached that is no deadline, e.g. signing possible since, stays on the agenda page).
        counts["overdue_items"] = summary.overdue_items
        counts["next"] = summary.next_items
        shown = [item.beneficiary.pk for item in (*counts["overdue_items"], *counts["next"])]
        record_people_shown(actor=request.user, cpas=request.cpas, beneficiary_ids=shown, context=request.path)
    if can_view_sittings(membership):
        # The council's members and secretary: their sittings to come (the agenda is on each sitting's page).
        counts["sittings"] = sittings_for_user(membership=membership, upcoming=True)[:HOME_AGENDA_ITEMS]
        counts["manage_sittings"] = can_manage_sittings(membership)
        if counts["manage_sittings"]:
            # The secretary's dates beyond the sittings (listed above with their matters): the appeal deadlines still
            # running (selectors_council.agenda_entries); the people they name are in an audit row.
            dates = council_agenda_entries(membership=membership, today=timezone.localdate())
            counts["council_dates"] = [e for e in dates if e.kind != "sitting"][:HOME_AGENDA_ITEMS]
            record_people_shown(
                actor=request.user,
                cpas=request.cpas,
                beneficiary_ids=[e.beneficiary_id for e in counts["council_dates"]],
                context=request.path,
            )
    counts["register"] = can_view_register(membership)
    return render(request, "www/home.html", {"counts": counts})


def count_files(membership) -> tuple[int, int]:
    """How many files of the CPAS the member reaches and how many of those are their own (the counts of
    beneficiary_list(membership) and of beneficiary_list(membership, mine=True)), in one query: a UNION of one
    query per way of reaching a file, so that each reads its own index (the assigned worker's, the open PIIS's
    workers', the team's), instead of filtering every file of the CPAS by an OR (40 ms among 90,000 files, issue
    15). A UNION of the disjuncts' rows is the set the OR selects; one's own files are within it (the first way).
    Its SQL is compiled once per role, number of teams and reach (core.compiled: checked against the query
    built for the member the first time)."""
    if not can_view_beneficiaries(membership):
        return 0, 0
    teams = sorted(team_ids(membership))
    values = {"cpas": membership.cpas_id, "user": membership.user_id}
    values.update({f"team{index}": team for index, team in enumerate(teams)})
    integration = bool(getattr(membership, "is_integration", False))
    key = ("count_files", membership.role, len(teams), integration)

    def build(cpas, user, **team_values):
        member = copy.copy(membership)
        member.cpas_id, member.user_id = cpas, user
        member._need_to_know_team_ids = set(team_values.values())
        return _count_sql(member, cpas)

    sql, params = compiled.sql_for(key, build, **values)
    # Prepared (core.compiled): its generic plan measured as fast as each member's own on N, small CPAS or large.
    [(reached, own)] = compiled.rows(sql, params, prepared=True)
    return reached, own


def _count_sql(membership, cpas_id: int) -> tuple[str, list]:
    reach = accessible_files_q(membership)
    files = Beneficiary.objects.for_cpas(cpas_id)
    parts = reach.children if reach.connector == Q.OR and not reach.negated else [reach]
    rows = [
        files.filter(part if isinstance(part, Q) else Q(part))
        .order_by()
        .values(file_id=F("pk"), worker=F("social_worker"))
        for part in parts
    ]
    union = rows[0].union(*rows[1:]) if len(rows) > 1 else rows[0]
    sql, params = union.query.sql_with_params()
    return (
        f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN reached.worker = %s THEN 1 ELSE 0 END), 0) FROM ({sql}) reached",
        [membership.user_id, *params],  # the CASE comes before the subquery
    )


@require_POST
@login_required
def switch_cpas(request):
    """Explicit switch of the current CPAS; only to a CPAS the user is a member of."""
    try:
        wanted = int(request.POST.get("cpas_id", ""))
    except ValueError:
        raise Http404 from None
    if not any(m.cpas_id == wanted for m in request.memberships):
        raise Http404
    request.session[SESSION_KEY] = wanted
    return HttpResponseRedirect(_page_of_this_site(request, request.POST.get("next", "")))


def _page_of_this_site(request, target: str) -> str:
    """`target` when it is a URL of this site (a path, or an address on this host), else the home page. Never a view
    name: `redirect()` would try to reverse any word and fail on one that names no view."""
    is_url = target.startswith("/") or target.lower().startswith(("http://", "https://"))
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if is_url and safe else "/"
