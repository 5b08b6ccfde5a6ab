"""Report reads on the replica alias (core.replica, docs/scale-out.md): settings.test has a second alias, `replica`,
mirroring the test database, standing for a streaming replica."""

import pytest
from django.db import connections

from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.audit.services import record
from piis.cases.models import Beneficiary
from piis.core.replica import REPLICA, ReplicaRouter, reading_replica
from tests.factories import make_beneficiary

pytestmark = pytest.mark.django_db(databases=["default", REPLICA], transaction=True)


def test_reads_inside_the_block_go_to_the_replica_with_the_cpas_set(cpas_a):
    person = make_beneficiary(cpas_a, last_name="Replicated")
    assert Beneficiary.objects.for_cpas(cpas_a).db == "default"
    with reading_replica(cpas_a) as alias:
        assert alias == REPLICA
        people = Beneficiary.objects.for_cpas(cpas_a)
        assert people.db == REPLICA
        assert list(people.values_list("pk", flat=True)) == [person.pk]
        connection = connections[REPLICA]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_setting('app.cpas_id', true), current_setting('transaction_read_only')")
                assert cursor.fetchone() == (str(cpas_a.pk), "on")
        # A write inside the block (the audit row of an export) still goes to the primary.
        event = record(actor=None, cpas=cpas_a, verb=AuditVerb.FILE_LIST_OPENED, target_type="cases.beneficiary")
        assert event._state.db == "default"
    assert Beneficiary.objects.for_cpas(cpas_a).db == "default"
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_router_sends_writes_and_migrations_to_the_primary():
    router = ReplicaRouter()
    assert router.db_for_write(Beneficiary) == "default"
    assert router.db_for_read(Beneficiary) is None  # outside a block: the default (primary)
    assert router.allow_migrate("default", "cases") and not router.allow_migrate(REPLICA, "cases")
