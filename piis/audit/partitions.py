"""Monthly partitions of the audit table on PostgreSQL (scale.md: 40M rows a year, retention by dropping).

Rows outside every monthly partition land in audit_auditevent_default, so an insert never fails for want of a
partition; `manage.py audit_partitions` (run monthly, e.g. from cron) creates the months ahead.
"""

import datetime

from django.db import connection

from piis.core.rls import APP_ROLE, tenant_policy_sql


def _month_starts(start: datetime.date, months: int) -> list[datetime.date]:
    first = start.replace(day=1)
    return [
        datetime.date(first.year + (first.month - 1 + k) // 12, (first.month - 1 + k) % 12 + 1, 1)
        for k in range(months + 1)
    ]


def ensure_month_partitions(start: datetime.date, months: int) -> list[str]:
    """Create the monthly partitions from start's month for `months` months; returns those created."""
    if connection.vendor != "postgresql":
        return []
    bounds = _month_starts(start, months)
    created = []
    with connection.cursor() as cursor:
        for low, high in zip(bounds, bounds[1:], strict=False):
            name = f"audit_auditevent_{low:%Y%m}"
            cursor.execute("SELECT to_regclass(%s)", [name])
            if cursor.fetchone()[0] is None:
                cursor.execute(
                    f'CREATE TABLE "{name}" PARTITION OF audit_auditevent FOR VALUES FROM (%s) TO (%s)', [low, high]
                )
                # A partition is a table of its own when named directly: it gets the tenant fence itself, and the
                # app role (granted UPDATE/DELETE on new tables by default) loses them as on the parent.
                cursor.execute(tenant_policy_sql(name))
                cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE])
                if cursor.fetchone() is not None:
                    cursor.execute(f'REVOKE UPDATE, DELETE ON TABLE "{name}" FROM "{APP_ROLE}"')
                created.append(name)
    return created


def month_partitions() -> list[str]:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'audit_auditevent' ORDER BY c.relname"
        )
        return [row[0] for row in cursor.fetchall()]
