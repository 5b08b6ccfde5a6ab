import csv
import datetime
import io

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from piis.accounts.enums import Role
from piis.audit.enums import AUDIT_VERB_GROUPS, AuditVerb
from piis.audit.models import AuditEvent, AuditEventImmutable
from piis.audit.services import record
from piis.cases.models import Beneficiary
from piis.cases.validators import nrn_with_check
from tests.factories import make_beneficiary, make_member

pytestmark = pytest.mark.django_db


def test_opening_a_file_records_who_read_which_file_from_where(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a)
    url = reverse("cases:detail", args=[beneficiary.pk])
    assert login(worker_a).get(url).status_code == 200
    event = AuditEvent.objects.get(verb=AuditVerb.FILE_OPENED)
    assert (event.actor_id, event.cpas_id, event.beneficiary_id, event.context) == (
        worker_a.user_id,
        cpas_a.pk,
        beneficiary.pk,
        url,
    )


def test_a_write_records_changed_fields_with_old_and_new_values(cpas_a, worker_a, login):
    beneficiary = make_beneficiary(cpas_a, phone="0470 00 00 00")
    data = {
        "last_name": beneficiary.last_name,
        "first_name": "Renamed",
        "birth_date": beneficiary.birth_date.isoformat(),
        "national_number": beneficiary.national_number,
        "language": "nl",
        "phone": "0470 00 00 00",
        "team": beneficiary.team_id,
    }
    response = login(worker_a).post(reverse("cases:edit", args=[beneficiary.pk]), data)
    assert response.status_code == 302
    event = AuditEvent.objects.get(verb=AuditVerb.FILE_UPDATED)
    assert event.changes == {"first_name": [beneficiary.first_name, "Renamed"], "language": ["fr", "nl"]}
    assert event.target_type == "cases.beneficiary" and event.target_id == beneficiary.pk


def test_creation_is_recorded(cpas_a, worker_a, login):
    data = {
        "last_name": "Peeters",
        "first_name": "An",
        "birth_date": "1990-02-03",
        "national_number": nrn_with_check(datetime.date(1990, 2, 3), 1),
        "language": "nl",
    }
    response = login(worker_a).post(reverse("cases:create"), data)
    assert response.status_code == 302, response.content
    beneficiary = Beneficiary.objects.get(last_name="Peeters")
    event = AuditEvent.objects.get(verb=AuditVerb.FILE_CREATED)
    assert event.changes["last_name"] == [None, "Peeters"] and event.target_id == beneficiary.pk


def test_a_failed_write_leaves_no_audit_row_and_a_failed_audit_no_write(cpas_a, worker_a, monkeypatch):
    """Writes and their audit rows commit in one transaction."""
    from piis.audit import services as audit_services
    from piis.cases.services import beneficiary_save

    def broken(**kwargs):
        raise DatabaseError("audit store unavailable")

    monkeypatch.setattr(audit_services, "record", broken)
    beneficiary = make_beneficiary(cpas_a)
    beneficiary.first_name = "Changed"
    with pytest.raises(DatabaseError):
        beneficiary_save(membership=worker_a, beneficiary=beneficiary)
    beneficiary.refresh_from_db()
    assert beneficiary.first_name != "Changed"


def test_audit_events_cannot_be_changed_or_deleted(cpas_a):
    event = record(actor=None, cpas=cpas_a, verb=AuditVerb.FILE_OPENED, target_type="x")
    with pytest.raises(AuditEventImmutable):
        event.save()
    with pytest.raises(AuditEventImmutable):
        event.delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(verb=AuditVerb.FILE_UPDATED)


@pytest.mark.postgres
def test_audit_events_cannot_be_deleted_in_the_database(cpas_a):
    event = record(actor=None, cpas=cpas_a, verb=AuditVerb.FILE_OPENED, target_type="x")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.DPO])
def test_only_the_dpo_sees_the_audit_trail(role, cpas_a, login):
    client = login(make_member(cpas_a, role))
    assert client.get(reverse("audit:list")).status_code == 403
    assert client.get(reverse("audit:export")).status_code == 403


def test_dpo_sees_only_own_cpas_events_and_filters_them(cpas_a, cpas_b, login):
    mine = make_beneficiary(cpas_a)
    record(actor=None, cpas=cpas_a, verb=AuditVerb.FILE_OPENED, target=mine, beneficiary_id=mine.pk)
    record(actor=None, cpas=cpas_a, verb=AuditVerb.SIGNATORY_CHANGED, target_type="accounts.signatory")
    theirs = make_beneficiary(cpas_b, last_name="Elsewhere")
    record(actor=None, cpas=cpas_b, verb=AuditVerb.FILE_OPENED, target=theirs, beneficiary_id=theirs.pk)
    client = login(make_member(cpas_a, Role.DPO))
    page = client.get(reverse("audit:list")).content.decode()
    assert "ELSEWHERE" not in page and str(mine).split()[0] in page
    filtered = client.get(reverse("audit:list"), {"verb": "file_opened", "beneficiary_id": mine.pk})
    assert len(filtered.context["page"].object_list) == 1  # keyset pages: no count over the trail (issue 15)


def test_dpo_exports_csv_and_the_export_is_itself_audited(cpas_a, login):
    for _ in range(3):
        record(actor=None, cpas=cpas_a, verb=AuditVerb.FILE_OPENED, target_type="cases.beneficiary")
    dpo = make_member(cpas_a, Role.DPO)
    response = login(dpo).get(reverse("audit:export"), {"verb": "file_opened"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 1 + 3
    export = AuditEvent.objects.get(verb=AuditVerb.AUDIT_EXPORTED)
    assert export.actor_id == dpo.user_id and export.changes["rows"] == 3


def test_audit_filter_refuses_dates_in_wrong_order_and_keeps_input(cpas_a, login):
    client = login(make_member(cpas_a, Role.DPO))
    response = client.get(reverse("audit:list"), {"date_from": "2026-05-02", "date_to": "2026-05-01", "actor": "x"})
    form = response.context["form"]
    assert "date_to" in form.errors and form["actor"].value() == "x"


def test_record_refuses_a_word_that_is_not_an_event(cpas_a):
    with pytest.raises(ValueError):
        record(actor=None, cpas=cpas_a, verb="update", target_type="cases.beneficiary")
    assert not AuditEvent.objects.exists()


def test_every_event_is_in_exactly_one_group_of_the_dpo_filter_and_no_crud_word_is_left():
    grouped = [verb for _label, verbs in AUDIT_VERB_GROUPS for verb in verbs]
    assert sorted(grouped) == sorted(AuditVerb)
    assert not {"create", "update", "delete", "read", "export"} & set(AuditVerb.values)


def test_dpo_page_shows_the_event_label_and_filters_by_event(cpas_a, login):
    mine = make_beneficiary(cpas_a)
    record(actor=None, cpas=cpas_a, verb=AuditVerb.FILE_OPENED, target=mine, beneficiary_id=mine.pk)
    record(actor=None, cpas=cpas_a, verb=AuditVerb.CONTRACT_PDF_OPENED, target_type="contracts.contractversion")
    client = login(make_member(cpas_a, Role.DPO))
    page = client.get(reverse("audit:list"), {"verb": AuditVerb.CONTRACT_PDF_OPENED}).content.decode()
    assert '<optgroup label="PIIS contracts">' in page
    assert '<option value="contract_pdf_opened" selected>Contract PDF opened</option>' in page
    rows = page.split("<tbody>")[1]
    assert "Contract PDF opened" in rows and "File opened" not in rows


def test_a_recorded_event_is_the_row_written_and_no_save_signal_is_missed(cpas_a, worker_a):
    # record() writes with one prepared INSERT on PostgreSQL, not through Model.save: nothing may listen to it.
    from django.db.models.signals import post_save, pre_save

    assert not pre_save.has_listeners(AuditEvent) and not post_save.has_listeners(AuditEvent)
    person = make_beneficiary(cpas_a)
    event = record(
        actor=worker_a.user, cpas=cpas_a, verb=AuditVerb.FILE_OPENED, target=person, beneficiary_id=person.pk,
        changes={"seen": [1, 2], "on": "2026-11-28"}, context="/files/1/",
    )  # fmt: skip
    stored = AuditEvent.objects.get(pk=event.pk)
    assert not event._state.adding
    for field in AuditEvent._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(event, field.attname), field.name
    assert stored.changes == {"seen": [1, 2], "on": "2026-11-28"} and stored.actor_id == worker_a.user.pk
