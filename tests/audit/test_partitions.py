import datetime

import pytest
from django.core.management import call_command
from django.db import connection

from piis.audit.partitions import ensure_month_partitions, month_partitions


@pytest.mark.postgres
@pytest.mark.django_db
def test_audit_table_is_partitioned_by_month_with_a_default_partition():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT partstrat FROM pg_partitioned_table pt JOIN pg_class c ON c.oid = pt.partrelid "
            "WHERE c.relname = 'audit_auditevent'"
        )
        assert cursor.fetchone() == ("r",)
    assert "audit_auditevent_default" in month_partitions()


@pytest.mark.postgres
@pytest.mark.django_db
def test_partitions_ahead_are_created_once():
    created = ensure_month_partitions(datetime.date(2031, 3, 15), 2)
    assert created == ["audit_auditevent_203103", "audit_auditevent_203104"]
    assert "audit_auditevent_203103" in month_partitions()
    assert ensure_month_partitions(datetime.date(2031, 3, 15), 2) == []
    call_command("audit_partitions", months=1)
