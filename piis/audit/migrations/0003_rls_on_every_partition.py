"""Row-level security on every partition of the audit table, not only on the partitioned parent.

PostgreSQL applies the parent's policy to queries through the parent; a partition named directly is a table of its
own, with no policy unless it has one. Each existing partition gets ENABLE + FORCE + the tenant policy here; new
ones get it from `audit.partitions.ensure_month_partitions`.
"""

from django.db import migrations

from piis.core.rls import audit_partitions, tenant_policy_drop_sql, tenant_policy_sql


def fence_partitions(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for partition in audit_partitions(cursor):
            cursor.execute(tenant_policy_sql(partition))


def unfence_partitions(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for partition in audit_partitions(cursor):
            cursor.execute(tenant_policy_drop_sql(partition))


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_events_named_after_what_happened")]

    operations = [migrations.RunPython(fence_partitions, unfence_partitions)]
