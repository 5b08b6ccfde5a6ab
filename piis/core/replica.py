"""Report reads on a streaming replica (docs/scale-out.md).

The web app writes and reads on `default` (the primary). Reports, exports and statistics, which read much and write
nothing, may read on a PostgreSQL streaming replica, the `replica` alias, when it is configured
(`REPLICA_DATABASE_URL` in production). Code opts in explicitly around its reads:

    with reading_replica(cpas):
        rows = list(Contract.objects.for_cpas(cpas).filter(...))

Inside the block `ReplicaRouter` sends every read to the replica, in one read-only transaction there in which the
CPAS is set for row-level security (`app.cpas_id`, transaction-local, as the middleware does on the primary); writes
still go to the primary (an audit row for an export, for instance). Without a `replica` alias the block reads on
the primary, unchanged. A replica lags the primary by a moment: what must see the user's own last write (a page after
a save) reads on the primary.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections, transaction

from piis.core.rls import SETTING

REPLICA = "replica"
_reading = ContextVar("piis_reading_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def reading_replica(cpas):
    """Route the reads of the block to the replica (if configured), with `cpas` set for row-level security."""
    if not replica_configured():
        yield "default"
        return
    token = _reading.set(True)
    try:
        with transaction.atomic(using=REPLICA):
            connection = connections[REPLICA]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION READ ONLY")
                    cursor.execute("SELECT set_config(%s, %s, true)", [SETTING, str(getattr(cpas, "pk", cpas))])
            yield REPLICA
    finally:
        _reading.reset(token)


class ReplicaRouter:
    """Reads inside `reading_replica` go to the replica; everything else (and every write) to the primary."""

    def db_for_read(self, model, **hints):
        return REPLICA if _reading.get() and replica_configured() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same database, whichever copy the rows were read from

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary's migrations by streaming replication
