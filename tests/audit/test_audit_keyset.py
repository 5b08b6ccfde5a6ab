"""The DPO's audit trail reads by keyset (issue 15): no OFFSET and no COUNT over the whole trail; older / newer
cursors walk it without skipping or repeating a row, also among rows written in the same instant."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from piis.accounts.enums import Role
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.audit.selectors import audit_event_list, audit_event_page
from piis.audit.services import record
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def _events(cpas, n):
    return [
        record(actor=None, cpas=cpas, verb=AuditVerb.FILE_OPENED, target_type="x", context=str(i)) for i in range(n)
    ]


def test_older_and_newer_pages_cover_every_row_once(cpas_a):
    _events(cpas_a, 23)
    all_ids = list(audit_event_list(cpas=cpas_a, filters={}).values_list("pk", flat=True))
    seen, cursor, pages = [], None, []
    while True:
        page = audit_event_page(audit_event_list(cpas=cpas_a, filters={}), older_than=cursor, size=5)
        pages.append(page)
        seen += [e.pk for e in page.object_list]
        if not page.older:
            break
        cursor = page.older
    assert seen == all_ids and len(pages) == 5
    back = audit_event_page(audit_event_list(cpas=cpas_a, filters={}), newer_than=pages[2].newer, size=5)
    assert [e.pk for e in back.object_list] == [e.pk for e in pages[1].object_list]
    assert not pages[0].newer and pages[1].newer


def test_rows_of_the_same_instant_are_ordered_by_id(cpas_a):
    same = datetime.datetime(2026, 5, 1, 10, tzinfo=datetime.UTC)
    AuditEvent.objects.bulk_create(
        AuditEvent(cpas=cpas_a, occurred_at=same, verb=AuditVerb.FILE_OPENED, target_type="y", target_id=i)
        for i in range(7)
    )
    events = audit_event_list(cpas=cpas_a, filters={})
    first = audit_event_page(events, size=3)
    second = audit_event_page(events, older_than=first.older, size=3)
    third = audit_event_page(events, older_than=second.older, size=3)
    ids = [e.pk for page in (first, second, third) for e in page.object_list]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 7 and not third.older


@pytest.mark.parametrize("cursor", ["", "x", "1.0", "-5.-5", "99999999999999999999999.1", "1.2.3"])
def test_a_typed_cursor_never_fails(cpas_a, login, cursor):
    _events(cpas_a, 3)
    client = login(make_member(cpas_a, Role.DPO))
    for key in ("older", "newer"):
        assert client.get(reverse("audit:list"), {key: cursor}).status_code == 200


def test_the_page_counts_nothing(cpas_a, login):
    _events(cpas_a, 60)
    client = login(make_member(cpas_a, Role.DPO))
    client.get(reverse("audit:list"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("audit:list"))
    assert not [
        q for q in captured.captured_queries if "COUNT(" in q["sql"].upper() and "audit_auditevent" in q["sql"]
    ]
    assert 'rel="next"' in response.content.decode()
    older = response.context["page"].older
    assert client.get(reverse("audit:list"), {"older": older}).status_code == 200
