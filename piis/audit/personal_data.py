"""The accesses to a person's file for their access export (GDPR art. 15(1)(c): who received their data): every
audit row about the file — who, when, what — and the pages listing several people that showed them. Registered
with piis.core.personal_data (see there)."""

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.core.personal_data import ExportRecord, PersonalDataSection, register_section

# Pages that show several people write one row naming them in changes["beneficiaries"] (record_people_shown).
LIST_VERBS = (AuditVerb.FILE_LIST_OPENED, AuditVerb.AUDIT_TRAIL_OPENED, AuditVerb.PERSONAL_DATA_SEARCHED)
CHUNK = 2000


def _about(person):
    """The rows about the person: those of the file (indexed by CPAS, file, time), then the list pages that showed
    it, looked for only since the file exists (a list could not show it before), in the database."""
    rows = AuditEvent.objects.for_cpas(person.cpas_id)
    yield from rows.filter(beneficiary_id=person.pk).order_by("occurred_at", "id").iterator(chunk_size=CHUNK)
    lists = rows.filter(beneficiary_id__isnull=True, verb__in=LIST_VERBS, occurred_at__gte=person.created_at)
    if connection.vendor == "postgresql":
        yield from (
            lists.filter(changes__beneficiaries__contains=[person.pk])
            .order_by("occurred_at", "id")
            .iterator(chunk_size=CHUNK)
        )
    else:  # SQLite has no JSON containment: the same test, row by row
        for event in lists.order_by("occurred_at", "id").iterator(chunk_size=CHUNK):
            if person.pk in (event.changes or {}).get("beneficiaries", []):
                yield event


def _accesses(person):
    # The events' names translated once (get_verb_display() translates every choice on each call: 8 ms a row).
    names = {verb.value: str(verb.label) for verb in AuditVerb}
    for event in _about(person):
        when = timezone.localtime(event.occurred_at)
        what = names.get(event.verb, event.verb)
        yield ExportRecord(
            type="audit.auditevent",
            id=event.pk,
            data={
                "occurred_at": when.isoformat(timespec="seconds"),
                "actor": event.actor_label,
                "event": event.verb,
                "object_type": event.target_type,
                "object_id": event.target_id,
                "from": event.context,
            },
            shown=[
                (str(_("When")), when.strftime("%d/%m/%Y %H:%M")),
                (str(_("Who")), event.actor_label),
                (str(_("Action")), str(what)),
            ],
        )


register_section(
    PersonalDataSection("accesses", _("Who saw or changed the file (accesses)"), collect=_accesses, order=90)
)
