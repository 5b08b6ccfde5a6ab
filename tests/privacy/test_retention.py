"""Retention periods per kind of record: the dry run writes nothing, the erasure erases exactly what it listed, one
file per transaction with one audit row per kind, and the audit trail is never edited."""

import datetime
import hashlib
import json
import re
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from piis.accounts.enums import Role
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.cases.models import Beneficiary, HouseholdMember, RiDecision
from piis.contracts.models import Contract, Signature
from piis.core.models import tenant_models
from piis.followup.models import Evaluation, MeetingRequest, Reminder
from piis.privacy.enums import RecordKind
from piis.privacy.models import RetentionPeriod
from piis.privacy.retention import POLICIES, retention_plan
from tests.factories import (
    make_beneficiary,
    make_contract,
    make_household_member,
    make_member,
    make_ri_decision,
    make_signature,
    make_version,
)
from tests.followup.builders import make_evaluation, make_meeting_request

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 27)


def _scanned_signature(cpas, contract):
    signature = make_signature(cpas, version=make_version(cpas, contract=contract))
    signature.scan.save("scan.pdf", ContentFile(b"%PDF-1.4 scan"), save=True)
    return signature


def _ended_contract(cpas, person, *, decided_on, ended_on):
    decision = make_ri_decision(cpas, beneficiary=person, decided_on=decided_on, end_on=ended_on)
    return make_contract(cpas, ri_decision=decision, status="ended", signed_on=decided_on, ended_on=ended_on,
                         end_reason="completed", with_assessment=False)  # fmt: skip


def _old_file(cpas, name="Oldfile"):
    """Nothing since 2015: past the ten years of a closed file."""
    person = make_beneficiary(cpas, last_name=name)
    Beneficiary.objects.filter(pk=person.pk).update(created_at=datetime.datetime(2012, 1, 5, tzinfo=datetime.UTC))
    contract = _ended_contract(cpas, person, decided_on=D(2012, 1, 10), ended_on=D(2015, 6, 30))
    _scanned_signature(cpas, contract)
    make_evaluation(cpas, contract=contract, held_on=D(2013, 3, 1))
    make_meeting_request(cpas, beneficiary=person, requested_on=D(2013, 4, 3), deadline=D(2013, 4, 13),
                         status="held", held_on=D(2013, 4, 10))  # fmt: skip
    make_household_member(cpas, beneficiary=person)
    return person


@pytest.fixture
def world(cpas_a, cpas_b):
    """CPAS A: an old file; a living file with an old ended contract, a newer ended one (an old evaluation, a
    scan), settled and open meeting requests; old and new reminders. Evaluations kept 3 years, scans 5. CPAS B: an
    old file."""
    old = _old_file(cpas_a)
    living = make_beneficiary(cpas_a, last_name="Living")
    current = make_ri_decision(cpas_a, beneficiary=living, decided_on=D(2026, 1, 10))
    old_contract = _ended_contract(cpas_a, living, decided_on=D(2012, 2, 1), ended_on=D(2015, 1, 31))
    old_contract_scan = _scanned_signature(cpas_a, old_contract)
    newer = _ended_contract(cpas_a, living, decided_on=D(2018, 2, 1), ended_on=D(2020, 1, 31))
    newer_scan = _scanned_signature(cpas_a, newer)
    old_evaluation = make_evaluation(cpas_a, contract=newer, held_on=D(2019, 5, 2))
    recent_evaluation = make_evaluation(cpas_a, contract=newer, held_on=D(2024, 1, 2))
    settled = make_meeting_request(cpas_a, beneficiary=living, requested_on=D(2022, 1, 3), deadline=D(2022, 1, 13),
                                   status="withdrawn", withdrawn_on=D(2022, 1, 5))  # fmt: skip
    still_open = make_meeting_request(cpas_a, beneficiary=living, requested_on=D(2020, 1, 3), deadline=D(2020, 1, 13))
    recent = make_meeting_request(cpas_a, beneficiary=living, requested_on=D(2025, 6, 3), deadline=D(2025, 6, 13),
                                  status="held", held_on=D(2025, 6, 10))  # fmt: skip
    worker = make_member(cpas_a).user
    old_reminder = Reminder.objects.create(
        cpas=cpas_a, user=worker, key="meeting:1:2024-01-13:due", due_on=D(2024, 1, 13)
    )
    new_reminder = Reminder.objects.create(
        cpas=cpas_a, user=worker, key="meeting:2:2026-11-30:due", due_on=D(2026, 11, 30)
    )
    Reminder.objects.filter(pk=old_reminder.pk).update(sent_at=datetime.datetime(2024, 1, 10, 7, tzinfo=datetime.UTC))
    RetentionPeriod.objects.create(cpas=cpas_a, kind=RecordKind.EVALUATION, years=3)
    RetentionPeriod.objects.create(cpas=cpas_a, kind=RecordKind.SIGNATURE_SCAN, years=5)
    elsewhere = _old_file(cpas_b, name="Elsewhere")
    return {
        "expected": {
            RecordKind.CLOSED_FILE: {old.pk},
            RecordKind.ENDED_CONTRACT: {old_contract.pk},
            RecordKind.EVALUATION: {old_evaluation.pk},
            RecordKind.MEETING_REQUEST: {settled.pk},
            RecordKind.REMINDER: {old_reminder.pk},
            RecordKind.SIGNATURE_SCAN: {newer_scan.pk},
        },
        "kept": [living, current, newer, recent_evaluation, still_open, recent, new_reminder, elsewhere],
        "old": old, "old_contract_scan": old_contract_scan, "newer_scan": newer_scan, "elsewhere": elsewhere,
    }  # fmt: skip


def _listed(cpas) -> dict[str, set[int]]:
    return {plan.kind: {c.pk for c in plan.candidates} for plan in retention_plan(cpas, TODAY)}


def _every_row() -> dict[str, set]:
    rows = {m._meta.label_lower: set(m.objects.values_list("pk", flat=True)) for m in tenant_models()}
    rows["scans"] = set(Signature.objects.exclude(scan="").values_list("pk", flat=True))
    return rows


def _audit_checksum(up_to_id: int | None = None) -> tuple[int, str]:
    rows = AuditEvent.objects.order_by("id")
    if up_to_id is not None:
        rows = rows.filter(id__lte=up_to_id)
    digest = hashlib.sha256()
    count = 0
    for row in rows.values_list("id", "occurred_at", "cpas_id", "actor_id", "actor_label", "verb", "target_type",
                                "target_id", "target_repr", "beneficiary_id", "changes", "context"):  # fmt: skip
        digest.update(json.dumps(row, default=str, sort_keys=True).encode())
        count += 1
    return count, digest.hexdigest()


def _run(*args) -> str:
    out = StringIO()
    call_command("retention", *args, "--date", TODAY.isoformat(), stdout=out)
    return out.getvalue()


def test_the_plan_lists_each_kind_past_its_period_once(world, cpas_a):
    listed = _listed(cpas_a)
    for kind, expected in world["expected"].items():
        assert listed[kind] == expected, kind
    # the old file's contract, evaluation, meeting and scan are listed with the file, not again on their own
    old_contract = Contract.objects.get(beneficiary=world["old"])
    assert old_contract.pk not in listed[RecordKind.ENDED_CONTRACT]


def test_the_dry_run_writes_nothing(world, cpas_a):
    before, audit_before = _every_row(), _audit_checksum()
    output = _run("--dry-run", "--cpas", cpas_a.nis_code)
    assert _every_row() == before and _audit_checksum() == audit_before
    assert re.search(r"closed_file\s+10 years \(before 2016-11-27\): 1 to erase, oldest 2015-06-30", output), output
    assert re.search(r"evaluation\s+3 years .*: 1 to erase, oldest 2019-05-02", output), output
    assert "Dry run: nothing was written." in output


def test_apply_erases_exactly_what_the_dry_run_listed(world, cpas_a):
    listed = _listed(cpas_a)
    _run("--apply", "--cpas", cpas_a.nis_code)
    models = {
        RecordKind.CLOSED_FILE: Beneficiary,
        RecordKind.ENDED_CONTRACT: Contract,
        RecordKind.EVALUATION: Evaluation,
        RecordKind.MEETING_REQUEST: MeetingRequest,
        RecordKind.REMINDER: Reminder,
    }
    for kind, model in models.items():
        assert not model.objects.filter(pk__in=listed[kind]).exists(), kind
    # the scans: the file deleted, the signature (who signed, when) kept
    [scan] = Signature.objects.filter(pk__in=listed[RecordKind.SIGNATURE_SCAN])
    assert not scan.scan
    for obj in world["kept"]:
        assert type(obj).objects.filter(pk=obj.pk).exists(), obj
    # the whole old file went with its records; the other CPAS's old file was not touched
    assert not RiDecision.objects.filter(beneficiary_id=world["old"].pk).exists()
    assert not HouseholdMember.objects.filter(beneficiary_id=world["old"].pk).exists()
    assert HouseholdMember.objects.filter(beneficiary=world["elsewhere"]).exists()
    # nothing is left to erase, in A
    assert all(not pks for pks in _listed(cpas_a).values())


def test_the_audit_trail_keeps_every_row_and_gains_one_per_file_and_kind(world, cpas_a):
    count_before, checksum_before = _audit_checksum()
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    listed = _listed(cpas_a)
    _run("--apply", "--cpas", cpas_a.nis_code)
    assert _audit_checksum(up_to_id=last) == (count_before, checksum_before)
    new = list(AuditEvent.objects.filter(id__gt=last).order_by("id"))
    assert {row.verb for row in new} == {AuditVerb.RETENTION_ERASED}
    by_kind: dict[str, set[int]] = {}
    for row in new:
        assert row.cpas_id == cpas_a.pk and row.actor is None and row.changes["count"] == len(row.changes["ids"])
        by_kind.setdefault(row.changes["kind"], set()).update(row.changes["ids"])
        assert "Oldfile" not in json.dumps(row.changes) + row.target_repr  # counts and ids, never a name
    assert by_kind == {kind: pks for kind, pks in listed.items() if pks}
    # one row per file and kind: the living file has four kinds erased, the old file one, the reminders none
    files = [(row.beneficiary_id, row.changes["kind"]) for row in new]
    assert len(files) == len(set(files)) == 6
    closed = next(row for row in new if row.changes["kind"] == RecordKind.CLOSED_FILE)
    assert closed.changes["rows"]["cases.beneficiary"] == 1 and closed.changes["rows"]["followup.evaluation"] == 1


def test_a_scan_erased_leaves_no_file_on_disk(world, cpas_a, django_capture_on_commit_callbacks):
    storage = Signature._meta.get_field("scan").storage
    names = [world["newer_scan"].scan.name, world["old_contract_scan"].scan.name]
    assert all(storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        _run("--apply", "--cpas", cpas_a.nis_code)
    assert not any(storage.exists(name) for name in names)


@pytest.mark.postgres
def test_audit_months_past_every_cpas_period_are_dropped_whole(cpas_a, cpas_b):
    from piis.audit.partitions import ensure_month_partitions, month_partitions

    ensure_month_partitions(D(2014, 1, 1), 2)  # January and February 2014
    for cpas in (cpas_a, cpas_a, cpas_b):
        AuditEvent.objects.create(cpas=cpas, actor_label="old", verb=AuditVerb.FILE_OPENED, target_type="x",
                                  occurred_at=datetime.datetime(2014, 1, 15, tzinfo=datetime.UTC))  # fmt: skip
    # CPAS B keeps its trail 12 years: nothing before 2014-11-27 goes, so both 2014 months stay for now
    RetentionPeriod.objects.create(cpas=cpas_b, kind=RecordKind.AUDIT, years=13)
    output = _run("--apply")
    assert "audit_auditevent_201401" in month_partitions(), output
    RetentionPeriod.objects.filter(cpas=cpas_b).update(years=10)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    kept = AuditEvent.objects.filter(occurred_at__year__gte=2015).count()
    _run("--apply")
    assert {"audit_auditevent_201401", "audit_auditevent_201402"}.isdisjoint(month_partitions())
    assert AuditEvent.objects.filter(occurred_at__year__gte=2015, id__lte=last).count() == kept
    dropped = {
        row.cpas_id: row.changes["rows"] for row in AuditEvent.objects.filter(verb=AuditVerb.AUDIT_PARTITIONS_DROPPED)
    }
    assert dropped == {cpas_a.pk: 2, cpas_b.pk: 1}


# --- the page: the periods, their defaults, and the dry-run report -----------------------------------------------


def test_the_page_shows_the_dry_run_to_the_admin_and_the_dpo_only(world, cpas_a, login):
    for role in Role.values:
        client = login(make_member(cpas_a, role))
        response = client.get(reverse("privacy:retention"))
        if role in (Role.CPAS_ADMIN, Role.DPO):
            html = response.content.decode()
            assert response.status_code == 200
            assert re.search(r'data-kind="closed_file".*?data-count="1"', html, re.S)
            assert "Oldfile" not in html  # counts, never names
            assert ("privacy/retention/evaluation/" in html) == (role == Role.CPAS_ADMIN)
        else:
            assert response.status_code == 403, role


def test_the_admin_sets_a_period_and_it_is_audited(cpas_a, login):
    admin = login(make_member(cpas_a, Role.CPAS_ADMIN))
    url = reverse("privacy:retention_edit", args=[RecordKind.MEETING_REQUEST])
    assert admin.get(url).status_code == 200
    response = admin.post(url, {"years": "3"})
    assert response.status_code == 302
    assert RetentionPeriod.objects.get(cpas=cpas_a, kind=RecordKind.MEETING_REQUEST).years == 3
    event = AuditEvent.objects.get(verb=AuditVerb.RETENTION_PERIOD_CHANGED)
    assert event.changes["years"] == [None, 3]
    for bad in ("0", "1000", "abc", ""):
        response = admin.post(url, {"years": bad})
        assert response.status_code == 200 and 'class="error"' in response.content.decode(), bad
    assert RetentionPeriod.objects.get(cpas=cpas_a, kind=RecordKind.MEETING_REQUEST).years == 3
    assert admin.get(reverse("privacy:retention_edit", args=["no-such-kind"])).status_code == 404


def test_the_dpo_reads_the_periods_but_does_not_set_them(cpas_a, login):
    dpo = login(make_member(cpas_a, Role.DPO))
    url = reverse("privacy:retention_edit", args=[RecordKind.REMINDER])
    assert dpo.get(url).status_code == 403 and dpo.post(url, {"years": "5"}).status_code == 403
    assert not RetentionPeriod.objects.exists()


def test_a_stale_save_of_a_period_is_refused(cpas_a, login):
    RetentionPeriod.objects.create(cpas=cpas_a, kind=RecordKind.REMINDER, years=2)
    admin = login(make_member(cpas_a, Role.CPAS_ADMIN))
    url = reverse("privacy:retention_edit", args=[RecordKind.REMINDER])
    token = re.search(r'name="read_version" value="([^"]+)"', admin.get(url).content.decode()).group(1)
    RetentionPeriod.objects.filter(cpas=cpas_a, kind=RecordKind.REMINDER).update(years=4)  # another admin, meanwhile
    response = admin.post(url, {"years": "6", "read_version": token})
    assert response.status_code == 200
    assert RetentionPeriod.objects.get(cpas=cpas_a, kind=RecordKind.REMINDER).years == 4


def test_every_kind_has_a_default_and_says_what_it_rests_on():
    assert set(POLICIES) == set(RecordKind.values)
    for policy in POLICIES.values():
        assert 1 <= policy.default_years <= 30 and str(policy.basis) and str(policy.erasure)


def test_the_demo_shows_something_past_its_period_in_each_cpas():
    from piis.accounts.models import Cpas
    from piis.demo.data import DEMO_CPAS, load_demo_data

    load_demo_data(today=TODAY)
    load_demo_data(today=TODAY)  # idempotent
    for spec in DEMO_CPAS:
        cpas = Cpas.objects.get(nis_code=spec.nis_code)
        listed = _listed(cpas)
        assert len(listed[RecordKind.MEETING_REQUEST]) == 1 and len(listed[RecordKind.REMINDER]) == 1, spec.key


def test_a_file_another_record_protects_is_kept_whole_and_reported(world, cpas_a, monkeypatch):
    """A later app's record (a sanction dossier protects its file) keeps the whole file; nothing of it is erased."""
    from django.db.models.deletion import ProtectedError

    from piis.privacy import retention

    def protected(cpas, pks):
        retention._deleted(HouseholdMember.objects.for_cpas(cpas).filter(beneficiary__in=pks))  # rolled back
        raise ProtectedError("protected", {world["old"]})

    monkeypatch.setitem(retention.ERASERS, RecordKind.CLOSED_FILE, protected)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    output = _run("--apply", "--cpas", cpas_a.nis_code)
    assert f"file {world['old'].pk}: kept" in output
    assert HouseholdMember.objects.filter(beneficiary=world["old"]).exists()
    assert not AuditEvent.objects.filter(id__gt=last, beneficiary_id=world["old"].pk).exists()
    assert not Evaluation.objects.filter(pk__in=world["expected"][RecordKind.EVALUATION]).exists()  # the others went
