"""The restore drill: proof that a backup of the database can be restored, whole and unchanged.

`run_drill(settings_dict)` dumps the database the settings name with pg_dump (custom format, the format of the
nightly backup, docs/operations.md), restores the dump with pg_restore into a fresh scratch database on the same
server, and compares the two, table by table: every table of the application (each partition of the audit trail on
its own), its row count and a checksum of its content, plus every sequence's position (a restore that lost one
would hand out ids already taken). The scratch database is dropped at the end, whatever happened.

The source side is read in the very snapshot pg_dump dumps (a REPEATABLE READ transaction whose snapshot pg_dump is
given with --snapshot), so the application may keep working during the drill: what it writes meanwhile is neither
in the dump nor in the figures compared.

The checksum of a table is md5 over the md5 of each row's text, in primary-key order (the row's text, `t::text`, is
PostgreSQL's own rendering of every column, read with the same session settings on both sides). It needs a role
that reads every row: superuser or BYPASSRLS (the tables force row-level security; row_security is turned off so
that a role that would see only some rows gets an error rather than a partial count) and that may create databases.

PostgreSQL only: any other database gets DrillError with a sentence that says so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# The session settings under which a row's text is rendered on both sides (a database-level default could differ).
SESSION_SETTINGS = (
    "SET TIME ZONE 'UTC'",
    "SET DateStyle = 'ISO, YMD'",
    "SET IntervalStyle = 'postgres'",
    "SET extra_float_digits = 3",
    "SET bytea_output = 'hex'",
    "SET row_security = off",
)

# Every ordinary table (partitions included: relkind 'r'; a partitioned parent, relkind 'p', holds no rows of its
# own) and every sequence of the schemas the application uses, with the columns of the table's primary key.
RELATIONS_SQL = """
SELECT n.nspname, c.relname, c.relkind,
       coalesce((SELECT array_agg(a.attname::text ORDER BY k.ord)
                 FROM pg_index i
                 CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                 WHERE i.indrelid = c.oid AND i.indisprimary), '{}')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'S')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
  AND n.nspname NOT LIKE 'pg_temp%'
ORDER BY n.nspname, c.relname
"""


class DrillError(Exception):
    """The drill could not be run (not PostgreSQL, a tool missing, dump or restore failed); the message says why."""


@dataclass(frozen=True)
class Figures:
    rows: int  # a sequence: its last value
    checksum: str


@dataclass
class TableResult:
    name: str  # schema.table
    kind: str  # "table" or "sequence"
    source: Figures | None
    restored: Figures | None

    @property
    def same(self) -> bool:
        return self.source is not None and self.source == self.restored


@dataclass
class DrillReport:
    database: str
    scratch: str
    dump_bytes: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # dump, restore, compare, total
    results: list[TableResult] = field(default_factory=list)

    @property
    def differences(self) -> list[TableResult]:
        return [r for r in self.results if not r.same]

    @property
    def ok(self) -> bool:
        return bool(self.results) and not self.differences

    @property
    def tables(self) -> list[TableResult]:
        return [r for r in self.results if r.kind == "table"]

    def table(self) -> str:
        """The report as text: one line per table and sequence, the totals and the verdict."""
        width = max([len(r.name) for r in self.results] + [5])
        lines = [f"{'table':<{width}}  {'rows':>10}  {'restored':>10}  {'checksum':<32}  result"]

        def cell(figures: Figures | None, attr: str) -> str:
            return "missing" if figures is None else str(getattr(figures, attr))

        for r in self.results:
            rows = cell(r.source, "rows")
            restored = cell(r.restored, "rows")
            checksum = r.source.checksum if r.source else (r.restored.checksum if r.restored else "")
            if r.kind == "sequence":
                rows, restored = f"@{rows}", f"@{restored}"
            verdict = "same" if r.same else "DIFFERENT"
            lines.append(f"{r.name:<{width}}  {rows:>10}  {restored:>10}  {checksum:<32}  {verdict}")
        total = sum(r.source.rows for r in self.tables if r.source)
        lines.append("")
        lines.append(
            f"{len(self.tables)} tables, {total} rows, {len(self.results) - len(self.tables)} sequences; "
            f"dump {self.dump_bytes} bytes; dump {self.seconds.get('dump', 0):.1f} s, restore "
            f"{self.seconds.get('restore', 0):.1f} s, compare {self.seconds.get('compare', 0):.1f} s, "
            f"total {self.seconds.get('total', 0):.1f} s"
        )
        if self.ok:
            lines.append(f"VERDICT: the restore of {self.database} is identical ({len(self.results)} relations).")
        else:
            names = ", ".join(r.name for r in self.differences) or "no table found"
            lines.append(f"VERDICT: FAILED, {len(self.differences)} relation(s) differ: {names}")
        return "\n".join(lines)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _connect(settings_dict: dict, dbname: str, **kwargs):
    import psycopg

    return psycopg.connect(
        dbname=dbname,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        connect_timeout=10,
        **kwargs,
    )


def _environment(settings_dict: dict) -> dict[str, str]:
    """The libpq variables for pg_dump and pg_restore (the password never on a command line)."""
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _figures(cursor) -> dict[str, tuple[str, Figures]]:
    """schema.name → (kind, figures) of every table and sequence, read by `cursor` in its current snapshot."""
    for statement in SESSION_SETTINGS:
        cursor.execute(statement)
    cursor.execute(RELATIONS_SQL)
    found: dict[str, tuple[str, Figures]] = {}
    for schema, name, relkind, primary_key in cursor.fetchall():
        relation = f"{_quote(schema)}.{_quote(name)}"
        if relkind == "S":
            cursor.execute(f"SELECT last_value, is_called FROM {relation}")
            last_value, is_called = cursor.fetchone()
            found[f"{schema}.{name}"] = ("sequence", Figures(int(last_value), f"called={is_called}"))
            continue
        # Primary-key order; a table without one (none in piis) in the order of its rows' text.
        order = ", ".join(f"t.{_quote(column)}" for column in primary_key) or "t::text"
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(md5(t::text), '' ORDER BY {order}), '')) FROM {relation} t"
        )
        count, checksum = cursor.fetchone()
        found[f"{schema}.{name}"] = ("table", Figures(int(count), checksum))
    return found


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise DrillError(f"{name} not found: install the PostgreSQL client tools (apt-get install postgresql-client).")
    return path


def run_drill(
    settings_dict: dict,
    *,
    scratch_name: str | None = None,
    after_restore: Callable[[object], None] | None = None,
) -> DrillReport:
    """Dump, restore into a scratch database, compare, drop the scratch database; the report says what was found.

    `after_restore(connection)`, if given, runs on the scratch database between the restore and the comparison
    (a test tampers with the restore there, to show that the drill sees it).
    """
    if settings_dict.get("ENGINE") != "django.db.backends.postgresql":
        engine = settings_dict.get("ENGINE", "?").rsplit(".", 1)[-1]
        raise DrillError(
            f"The restore drill needs PostgreSQL (pg_dump, pg_restore); DATABASE_URL names a {engine} database. "
            "Point DATABASE_URL at the PostgreSQL database to drill, e.g. postgres://postgres@127.0.0.1:5432/piis."
        )
    pg_dump, pg_restore = _tool("pg_dump"), _tool("pg_restore")
    database = settings_dict["NAME"]
    scratch = scratch_name or f"{database}_drill_{os.getpid()}_{int(time.time())}"[:63]
    report = DrillReport(database=database, scratch=scratch)
    env = _environment(settings_dict)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="piis-drill-") as folder:
        dump_file = os.path.join(folder, f"{database}.dump")
        try:
            source = _connect(settings_dict, database)
        except Exception as error:
            raise DrillError(f"cannot connect to {database}: {error}") from error
        try:
            # One snapshot for the dump and the source's figures.
            source.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            (snapshot,) = source.execute("SELECT pg_export_snapshot()").fetchone()
            step = time.monotonic()
            dumped = subprocess.run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={dump_file}", database],
                env=env,
                capture_output=True,
                text=True,
            )
            if dumped.returncode != 0:
                raise DrillError(f"pg_dump failed: {dumped.stderr.strip()}")
            report.seconds["dump"] = time.monotonic() - step
            report.dump_bytes = os.path.getsize(dump_file)
            step = time.monotonic()
            with source.cursor() as cursor:
                source_figures = _figures(cursor)
            compare_seconds = time.monotonic() - step
        finally:
            source.close()

        admin = _connect(settings_dict, "postgres", autocommit=True)
        try:
            try:
                admin.execute(f"CREATE DATABASE {_quote(scratch)} TEMPLATE template0")
            except Exception as error:
                raise DrillError(
                    f"cannot create the scratch database {scratch} (the role needs CREATEDB): {error}"
                ) from error
            try:
                step = time.monotonic()
                restored = subprocess.run(
                    [pg_restore, "--exit-on-error", f"--dbname={scratch}", dump_file],
                    env=env,
                    capture_output=True,
                    text=True,
                )
                if restored.returncode != 0:
                    raise DrillError(f"pg_restore failed: {restored.stderr.strip()}")
                report.seconds["restore"] = time.monotonic() - step
                with _connect(settings_dict, scratch) as copy:
                    if after_restore is not None:
                        after_restore(copy)
                        copy.commit()
                    step = time.monotonic()
                    with copy.cursor() as cursor:
                        restored_figures = _figures(cursor)
                    report.seconds["compare"] = compare_seconds + time.monotonic() - step
            finally:
                admin.execute(f"DROP DATABASE IF EXISTS {_quote(scratch)} WITH (FORCE)")
        finally:
            admin.close()
    for name in sorted(source_figures.keys() | restored_figures.keys()):
        kind = (source_figures.get(name) or restored_figures[name])[0]
        report.results.append(
            TableResult(
                name=name,
                kind=kind,
                source=source_figures[name][1] if name in source_figures else None,
                restored=restored_figures[name][1] if name in restored_figures else None,
            )
        )
    report.seconds["total"] = time.monotonic() - started
    return report
