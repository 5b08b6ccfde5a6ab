"""PostgreSQL row-level security: the second fence between CPAS.

The app code always scopes by CPAS (TenantQuerySet.for_cpas and the fetch-and-authorise selectors). On
PostgreSQL every tenant table also has ENABLE + FORCE ROW LEVEL SECURITY and a policy that only lets through
rows whose cpas_id equals the transaction-local setting `app.cpas_id`. An unset setting matches nothing.
The web app must connect as a role that is neither superuser, owner nor BYPASSRLS (see README, "Production").
"""

from django.db import connection, migrations

SETTING = "app.cpas_id"
POLICY = "piis_tenant_isolation"
APP_ROLE = "piis_app"


def tenant_policy_sql(table: str) -> str:
    """ENABLE + FORCE row-level security and the tenant policy on `table` (a partition needs its own: PostgreSQL
    applies a partitioned table's policy only to queries through the parent, not to a partition queried directly)."""
    return _policy_sql(table)


def audit_partitions(cursor) -> list[str]:
    """The partitions of the audit table (monthly and default), for policies and grants."""
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'audit_auditevent' ORDER BY c.relname"
    )
    return [row[0] for row in cursor.fetchall()]


def _policy_sql(table: str) -> str:
    expr = f"cpas_id = NULLIF(current_setting('{SETTING}', true), '')::bigint"
    return (
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY; '
        f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY; '
        f'DROP POLICY IF EXISTS {POLICY} ON "{table}"; '
        f'CREATE POLICY {POLICY} ON "{table}" USING ({expr}) WITH CHECK ({expr});'
    )


def tenant_policy_drop_sql(table: str) -> str:
    return _drop_sql(table)


def _drop_sql(table: str) -> str:
    return (
        f'DROP POLICY IF EXISTS {POLICY} ON "{table}"; '
        f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY; '
        f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY;'
    )


class EnableTenantRLS(migrations.operations.base.Operation):
    """Migration operation: turn on row-level security for one tenant table (no-op on SQLite)."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, table: str):
        self.table = table

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(_policy_sql(self.table))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(_drop_sql(self.table))

    def describe(self):
        return f"Enable row-level security on {self.table}"

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.table], {})


def set_current_cpas(cpas_id: int | None) -> None:
    """Set the CPAS of the current transaction for the RLS policies (transaction-local, cannot leak)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [SETTING, "" if cpas_id is None else str(cpas_id)])


def current_cpas_setting() -> str:
    """The transaction's `app.cpas_id` as the policies read it ("" when unset or not on PostgreSQL)."""
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true)", [SETTING])
        return cursor.fetchone()[0] or ""


def grant_app_role(role: str = APP_ROLE) -> None:
    """Create (if absent) the unprivileged role the web app connects as, and grant it table access."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE ROLE "{role}" NOLOGIN NOSUPERUSER NOBYPASSRLS')
        # No JIT compilation for the app's short queries: PostgreSQL compiles a query whose *estimated* cost is high
        # (a need-to-know subquery over a CPAS of 90,000 files) even when it reads nothing, 5 s on the agenda page of
        # the bench data set for a query that ran in 0.04 ms (issue 15, docs/performance.md).
        cursor.execute(f'ALTER ROLE "{role}" SET jit = off')
        cursor.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
        cursor.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"')
        cursor.execute(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
        # Tables created by later migrations (run as the owner) are granted too, without running this again.
        cursor.execute(
            f'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{role}"'
        )
        cursor.execute(f'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO "{role}"')
        # The audit trail is append-only for the app: no UPDATE or DELETE, whatever the grants above said, on the
        # table and on each of its partitions (reachable directly by name).
        cursor.execute(f'REVOKE UPDATE, DELETE ON TABLE audit_auditevent FROM "{role}"')
        for partition in audit_partitions(cursor):
            cursor.execute(f'REVOKE UPDATE, DELETE ON TABLE "{partition}" FROM "{role}"')
        # The name-search keys of every CPAS (no RLS): read only through piis_name_search(), which takes the CPAS
        # from the transaction's setting (cases migration 0005, issue 15); never by the app role itself.
        cursor.execute("SELECT to_regclass('cases_namesearch') IS NOT NULL")
        if cursor.fetchone()[0]:
            cursor.execute(f'REVOKE ALL ON TABLE cases_namesearch FROM "{role}"')


class TrigramIndex(migrations.operations.base.Operation):
    """A GIN trigram index for fast `contains` search on PostgreSQL (no-op elsewhere)."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, table: str, column: str, name: str):
        self.table, self.column, self.name = table, column, name

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{self.name}" ON "{self.table}" USING gin ("{self.column}" gin_trgm_ops)'
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{self.name}"')

    def describe(self):
        return f"Trigram index {self.name} on {self.table}.{self.column}"

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.table, self.column, self.name], {})
