"""The restore drill (`make restore-drill`, piis/core/restore_drill.py) on the test database itself.

The rows are committed (transaction=True): pg_dump reads the database from another session.
"""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from piis.accounts.enums import Role
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.audit.services import record
from piis.cases.models import Beneficiary
from piis.core.restore_drill import DrillError, run_drill
from tests.factories import make_beneficiary, make_contract, make_cpas, make_member, make_objective

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def filled():
    """A few rows in several tables, the audit trail's partitions included."""
    cpas = make_cpas(name="CPAS de Drill")
    worker = make_member(cpas, Role.SOCIAL_WORKER)
    people = [make_beneficiary(cpas, social_worker=worker.user, last_name=name) for name in ("Dubois", "Peeters")]
    contract = make_contract(cpas, social_worker=worker.user)
    make_objective(cpas, contract=contract, title="Trouver une formation")
    for person in people:
        record(actor=worker.user, cpas=cpas, verb=AuditVerb.FILE_OPENED, target=person, beneficiary_id=person.pk)
    return people


def _scratch_databases() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{connection.settings_dict['NAME']}_drill%"]
        )
        return [row[0] for row in cursor.fetchall()]


def _partition_of(event: AuditEvent) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM audit_auditevent WHERE id = %s", [event.pk])
        return cursor.fetchone()[0]


def test_a_faithful_restore_is_identical_table_by_table(filled, monkeypatch):
    """`manage.py restore_drill` (what `make restore-drill` runs) on the test database: every table the same."""
    from piis.core.management.commands import restore_drill

    reports = []
    monkeypatch.setattr(
        restore_drill, "run_drill", lambda settings_dict: reports.append(run_drill(settings_dict)) or reports[0]
    )
    out = io.StringIO()
    call_command("restore_drill", stdout=out)
    (report,) = reports
    assert report.ok and out.getvalue().strip() == report.table()
    by_name = {r.name: r for r in report.results}
    assert by_name["public.cases_beneficiary"].source.rows == Beneficiary.objects.count() >= 2
    # The audit rows are counted in their partition (the parent holds none of its own).
    partition = _partition_of(AuditEvent.objects.latest("pk"))
    assert by_name[f"public.{partition}"].source.rows >= 2
    assert "public.audit_auditevent" not in by_name
    assert by_name["public.cases_beneficiary_id_seq"].kind == "sequence"
    assert len([r for r in report.tables if r.source.rows]) >= 5
    assert "VERDICT: the restore of" in out.getvalue() and "identical" in out.getvalue()
    assert _scratch_databases() == []


def _rename_one_person(copy):
    copy.execute("UPDATE cases_beneficiary SET last_name = 'Tampered' WHERE last_name = 'Peeters'")


def _drop_one_audit_row(copy):
    # The trail refuses deletes (a trigger): the tamperer turns triggers off, as an attacker with the dump could.
    copy.execute("SET session_replication_role = replica")
    copy.execute("DELETE FROM audit_auditevent WHERE id = (SELECT max(id) FROM audit_auditevent)")


def _move_a_sequence_back(copy):
    copy.execute("SELECT setval('cases_beneficiary_id_seq', 1)")


@pytest.mark.parametrize(
    ("tamper", "changed"),
    [
        (_rename_one_person, "public.cases_beneficiary"),
        (_drop_one_audit_row, "partition"),
        (_move_a_sequence_back, "public.cases_beneficiary_id_seq"),
    ],
)
def test_a_tampered_restore_is_caught(filled, tamper, changed):
    if changed == "partition":
        changed = f"public.{_partition_of(AuditEvent.objects.latest('pk'))}"
    report = run_drill(connection.settings_dict, after_restore=tamper)
    assert not report.ok
    assert [r.name for r in report.differences] == [changed], report.table()
    assert f"VERDICT: FAILED, 1 relation(s) differ: {changed}" in report.table()
    assert _scratch_databases() == []


def test_only_postgresql_can_be_drilled():
    with pytest.raises(DrillError, match="needs PostgreSQL.*sqlite3 database"):
        run_drill({"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"})


def test_the_command_fails_with_the_reason(monkeypatch):
    from piis.core.management.commands import restore_drill

    def refuse(settings_dict):
        raise DrillError("pg_dump not found")

    monkeypatch.setattr(restore_drill, "run_drill", refuse)
    with pytest.raises(CommandError, match="pg_dump not found"):
        call_command("restore_drill")
