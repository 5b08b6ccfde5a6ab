"""The caseload agenda of a worker and the team lead's load view: deadlines from files, contracts and follow-up."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from piis.audit.services import record_people_shown
from piis.cases.access import accessible_files_q, team_ids
from piis.cases.models import Beneficiary
from piis.core import compiled
from piis.core.decorators import cpas_permission_required
from piis.followup.forms import AgendaFilterForm
from piis.followup.perms import can_view_agenda, can_view_own_agenda, can_view_team_agenda
from piis.followup.selectors import agenda_page_for_user, caseload_member_get, caseload_members, team_load
from piis.sanctions.perms import can_list_dossiers
from piis.sanctions.selectors import agenda_dossiers, agenda_entries
from piis.transfers.perms import can_manage_transfers
from piis.transfers.selectors import agenda_entries as transfer_agenda_entries
from piis.transfers.selectors import agenda_sources as transfer_agenda_sources
from piis.www.rows import agenda_row_html

# Deadlines shown per page of the agenda, most urgent first: a caseload of 300 files holds a thousand dates, and the
# page's time (and the people its audit row names) should not grow with the caseload (issue 15). The counts per kind
# above the table are over every deadline.
AGENDA_PAGE_SIZE = 50


@cpas_permission_required(can_view_agenda)
def agenda(request):
    membership = request.membership
    today = timezone.localdate()
    team = can_view_team_agenda(membership)
    # Need-to-know (piis.cases.access): a team lead looks at the agendas of the members of their teams, and sees
    # there only the files within their own reach; a director has the team's load (aggregate) but no one's agenda.
    teams = team_ids(membership)
    members = [m for m in caseload_members(cpas=request.cpas) if m.team_id in teams] if team else []
    form = AgendaFilterForm(request.GET or None, members=members)
    me = request.user  # the membership's user (membership.user would read it again)
    worker = me if can_view_own_agenda(membership) else None
    chosen = request.GET.get("worker", "") if team else ""
    if chosen:
        worker = caseload_member_get(cpas=request.cpas, user_id=chosen).user
        if worker != me and worker.pk not in {m.user_id for m in members}:
            raise Http404
    view = page = None
    if worker is not None:
        # One page of the deadline table (followup.deadlines): the counts per kind and 50 rows, whatever the caseload.
        reach = None
        if worker != me:
            reach = Beneficiary.objects.for_cpas(request.cpas).filter(accessible_files_q(membership))
        horizon = form.value("horizon")
        view = agenda_page_for_user(
            cpas=request.cpas,
            user=worker,
            today=today,
            kind=form.value("kind"),
            horizon_days=int(horizon) if horizon else None,
            files=reach,
        )
        page = Paginator(view.items, AGENDA_PAGE_SIZE).get_page(request.GET.get("page"))
    # The transfers' dates on one's own agenda: forward the request and the person's answer date (R54, R52), the
    # commitments of a received PIIS to review (R51); their files are named in the same audit row. The sanction
    # procedures' dates (notice deadline, hearing) of the dossiers the member may see. Most members have none: one
    # query asks whether any of what they read has a row, and only those with one read their dates.
    own = worker is not None and worker == me
    transfer_dates, sanction_dates = _other_dates(membership) if own else ([], [])
    if view is not None or transfer_dates:
        shown = list(dict.fromkeys(item.beneficiary.pk for item in page)) if page is not None else []
        shown += [e.beneficiary_id for e in transfer_dates if e.beneficiary_id and e.beneficiary_id not in shown]
        record_people_shown(
            actor=request.user,
            cpas=request.cpas,
            beneficiary_ids=shown,
            context=request.get_full_path(),
        )
    context = {
        "form": form,
        "view": view,
        "page": page,
        "rows": _rows(page, today) if page is not None else "",
        "filter_fields": _filter_fields(form),
        # What the counts' links repeat per kind, read once (a form without a worker field raised per lookup).
        "has_worker": "worker" in form.fields,
        "horizon_value": _or_empty(form["horizon"].value()),
        "query_string": _without_page(request),
        "worker": worker,
        "today": today,
        "team": team,
        "own": worker == me,
        "sanction_dates": sanction_dates,
        "transfer_dates": transfer_dates,
    }
    return render(request, "followup/agenda.html", context)


def _other_dates(membership) -> tuple[list, list]:
    """The transfers' and the sanction procedures' dates on the member's own agenda (transfers.selectors and
    sanctions.selectors.agenda_entries), each read only when the CPAS has a row it reads from (one query for both:
    a transfer waiting, a PIIS received to review, a dossier running; most days, none). The query's SQL is
    compiled once per role's set of them (core.compiled)."""
    transfers, dossiers = can_manage_transfers(membership), can_list_dossiers(membership)
    if not (transfers or dossiers):
        return [], []

    def probe(cpas):
        sources = transfer_agenda_sources(cpas=cpas) if transfers else []
        return exists_sql([*sources, *([agenda_dossiers(cpas=cpas)] if dossiers else [])])

    found = compiled.rows(*compiled.sql_for(("agenda_probe", transfers, dossiers), probe, cpas=membership.cpas_id))[0]
    transfer_dates = transfer_agenda_entries(membership=membership) if transfers and any(found[:2]) else []
    sanction_dates = agenda_entries(membership=membership) if dossiers and found[-1] else []
    return transfer_dates, sanction_dates


def exists_sql(querysets: list[QuerySet]) -> tuple[str, list]:
    """One query telling whether each queryset has a row: SELECT EXISTS(…), EXISTS(…)."""
    parts: list[str] = []
    params: list = []
    for queryset in querysets:
        sql, args = queryset.order_by().values("pk").query.sql_with_params()
        parts.append(f"EXISTS({sql})")
        params.extend(args)
    return f"SELECT {', '.join(parts)}", params


def _rows(page, today) -> SafeString:
    """The table's lines of the page, made in Python (www.rows.agenda_row_html): the same HTML as a template loop,
    without its 650 variables."""
    memo: dict = {}
    return SafeString("\n".join(agenda_row_html(item, today, memo) for item in page))


# The kind and horizon filters as components/field.html renders them, per language, field and chosen value: their
# choices are fixed lists, so the HTML depends on nothing else (a worker's choices, or an invalid value with its
# error, are rendered each time). Django renders a <select> through a template per option: ~2 ms a page.
_FILTER_FIELDS: dict[tuple, str] = {}


def _filter_fields(form) -> SafeString:
    parts = []
    for name in ("kind", "horizon"):
        field = form[name]
        key = (get_language(), name, str(field.value() or ""))
        html = None if field.errors else _FILTER_FIELDS.get(key)
        if html is None:
            html = render_to_string("components/field.html", {"field": field})
            if not field.errors and len(_FILTER_FIELDS) < 256:
                _FILTER_FIELDS[key] = html
        parts.append(html)
    return SafeString("\n".join(parts))


def _or_empty(value):
    return "" if value is None else value


def _without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@cpas_permission_required(can_view_team_agenda)
def team(request):
    today = timezone.localdate()
    weeks, rows = team_load(cpas=request.cpas, today=today)
    return render(request, "followup/team.html", {"weeks": weeks, "rows": rows, "today": today})
