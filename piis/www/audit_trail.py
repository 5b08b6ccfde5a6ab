"""The data-protection officer's audit trail: the audit log (audit), shown to the role that may read it (accounts)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from piis.accounts.perms import can_view_audit
from piis.audit.enums import AuditVerb
from piis.audit.forms import AuditFilterForm
from piis.audit.selectors import audit_event_list, audit_event_page
from piis.audit.services import record, record_people_shown
from piis.core.decorators import cpas_permission_required
from piis.core.spreadsheet import csv_writer

PAGE_SIZE = 50
CSV_COLUMNS = ("occurred_at", "actor_label", "verb", "target_type", "target_id", "target_repr", "beneficiary_id")


def _filtered(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, audit_event_list(cpas=request.cpas, filters=filters)


@cpas_permission_required(can_view_audit)
def audit_list(request):
    form, events = _filtered(request)
    # Keyset pages (older / newer than the cursor), never an OFFSET or a COUNT over the whole trail (issue 15).
    page = audit_event_page(
        events, older_than=request.GET.get("older"), newer_than=request.GET.get("newer"), size=PAGE_SIZE
    )
    # The trail names the people whose files were read or changed: consulting it is a read of their data too.
    record_people_shown(
        actor=request.user,
        cpas=request.cpas,
        beneficiary_ids=[event.beneficiary_id for event in page.object_list],
        context=request.get_full_path(),
        verb=AuditVerb.AUDIT_TRAIL_OPENED,
    )
    query = request.GET.copy()
    for key in ("page", "older", "newer"):
        query.pop(key, None)
    return render(request, "audit/list.html", {"form": form, "page": page, "query_string": query.urlencode()})


@cpas_permission_required(can_view_audit)
def audit_export(request):
    form, events = _filtered(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{request.cpas.nis_code}-{stamp}.csv"'
    writer = csv_writer(response)  # neutralises formulas: names and notes are typed by users
    headers = [_("When"), _("Who"), _("Action"), _("Object type"), _("Object id"), _("Object"), _("File")]
    writer.writerow([*headers, _("Changes"), pgettext("origin of a request", "From")])
    count = 0
    for event in events.iterator(chunk_size=2000):
        row = [getattr(event, column) for column in CSV_COLUMNS]
        row[0] = timezone.localtime(row[0]).isoformat(timespec="seconds")
        writer.writerow([*row, event.changes, event.context])
        count += 1
    # Exporting the trail is itself recorded: who took a copy of what, and how much.
    record(
        actor=request.user,
        cpas=request.cpas,
        verb=AuditVerb.AUDIT_EXPORTED,
        target_type="audit.auditevent",
        changes={"filters": request.GET.dict(), "rows": count},
        context=request.path,
    )
    return response
