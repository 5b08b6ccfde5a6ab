"""core.compiled: a query's SQL built once per shape, run with each request's values; instances() makes of its rows
the model instances the ORM makes (their fields, the related instances of select_related, the annotations, each
column converted as the ORM converts it)."""

import datetime

import pytest
from django.db.models import JSONField
from django.db.models.expressions import RawSQL

from piis.cases.models import Beneficiary, RiDecision
from piis.core import compiled
from tests.factories import make_beneficiary, make_ri_decision


def _fields(obj) -> dict:
    return {k: v for k, v in obj.__dict__.items() if k != "_state"}


def _files(*, cpas: int, file: int):
    return (
        Beneficiary.objects.for_cpas(cpas)
        .filter(pk=file)
        .select_related("social_worker")
        .annotate(extra=RawSQL("""'{"a": [1, "b"]}'::jsonb""", (), output_field=JSONField()))
    )


@pytest.mark.django_db
def test_instances_are_the_orm_s_with_related_instances_annotations_and_converted_columns(cpas_a, worker_a):
    files = [make_beneficiary(cpas_a, social_worker=worker_a.user) for _ in range(2)]
    for file in files:
        values = {"cpas": cpas_a.pk, "file": file.pk}
        for _ in range(2):  # compiled the first time, from memory the next
            [got] = compiled.instances(("test_files",), _files, **values)
            [expected] = list(_files(**values))
            assert type(got) is Beneficiary and got.pk == file.pk and not got._state.adding
            assert _fields(got) == _fields(expected) and got.extra == {"a": [1, "b"]}
            assert _fields(got.social_worker) == _fields(expected.social_worker)


@pytest.mark.django_db
def test_instances_keep_the_query_s_rows_order_and_only_its_fields(cpas_a):
    file = make_beneficiary(cpas_a)
    for day in (3, 9, 5):
        make_ri_decision(cpas_a, beneficiary=file, decided_on=datetime.date(2026, 1, day))

    def decisions(*, file: int):
        return RiDecision.objects.filter(beneficiary__in=[file]).only("id", "decided_on", "monthly_amount")

    got = compiled.instances(("test_decisions",), decisions, file=file.pk)
    assert [_fields(d) for d in got] == [_fields(d) for d in decisions(file=file.pk)]
    assert [d.decided_on.day for d in got] == [9, 5, 3]
    assert compiled.instances(("test_decisions",), decisions, file=-1) == []


def _prepared_statements() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.postgres
@pytest.mark.django_db
def test_instances_are_read_as_a_prepared_statement_planned_once_per_connection(cpas_a, worker_a):
    file = make_beneficiary(cpas_a, social_worker=worker_a.user)
    values = {"cpas": cpas_a.pk, "file": file.pk}
    for _ in range(2):
        [got] = compiled.instances(("test_files_prepared",), _files, **values)
        assert got.pk == file.pk
    sql, _params = compiled.sql_for(("test_files_prepared",), _files, **values)
    head = sql[:60].replace("%s", "$1")
    assert sum(statement.startswith(head) for statement in _prepared_statements()) == 1


@pytest.mark.postgres
@pytest.mark.django_db
def test_without_prepared_reads_the_same_instances_are_read_unprepared(cpas_a, worker_a):
    from django.db import connection

    file = make_beneficiary(cpas_a, social_worker=worker_a.user)
    values = {"cpas": cpas_a.pk, "file": file.pk}
    connection.ensure_connection()
    raw = connection.connection
    threshold, raw.prepare_threshold = raw.prepare_threshold, None  # as with PIIS_PREPARED_READS=0
    try:
        before = set(_prepared_statements())
        [got] = compiled.instances(("test_files_unprepared",), _files, **values)
        assert set(_prepared_statements()) == before
    finally:
        raw.prepare_threshold = threshold
    [expected] = list(_files(**values))
    assert _fields(got) == _fields(expected)
