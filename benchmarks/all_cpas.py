"""Shared by bench_reports.py and bench_observatory.py: a computation timed for every CPAS of a benchmark database,
each CPAS in its own transaction under its own row-level-security context, as the app role (issue 14).

The mode is on when BENCH_ALL_CPAS=1, or when BENCH_DB names the national data set (`piis_bench_n`) and
BENCH_ALL_CPAS is not 0. The connection is the owner's (BENCH_OWNER_URL, else postgres@…/BENCH_DB) with Django's
`assume_role` option: every session runs `SET ROLE <BENCH_APP_ROLE>` (default piis_bench_app), a role without
BYPASSRLS, so the policies hold as in production even when that role may not log in itself.

Not a `bench_*.py`: benchmarks/run.py does not run it on its own.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

NATIONAL_DB = "piis_bench_n"
BENCH_DB = os.environ.get("BENCH_DB", "piis_bench")
APP_ROLE = os.environ.get("BENCH_APP_ROLE", "piis_bench_app")
NEAR_FILES = 5000  # issue 14: the figures of a CPAS of 5,000 files, read off the same run


def enabled() -> bool:
    flag = os.environ.get("BENCH_ALL_CPAS")
    if flag is not None and flag != "":
        return flag == "1"
    return BENCH_DB == NATIONAL_DB


def owner_url() -> str:
    return os.environ.get("BENCH_OWNER_URL", f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}")


def use_app_role() -> None:
    """Before the first query: every connection becomes the app role (SET ROLE), then check that it is held by RLS."""
    from django.db import connection

    connection.close()  # a connection made before takes the role at its next opening
    connection.settings_dict.setdefault("OPTIONS", {})["assume_role"] = APP_ROLE
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
        user, privileged = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM cases_beneficiary")  # no CPAS set: RLS shows nothing
        visible = cursor.fetchone()[0]
    assert user == APP_ROLE and not privileged and visible == 0, "must run as the app role under row-level security"


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} on {os.cpu_count()} cores"


@contextmanager
def counting() -> Iterator[list[str]]:
    """The statements run inside the block (an execute wrapper: works with DEBUG off)."""
    from django.db import connection

    counted: list[str] = []

    def count(execute, sql, params, many, context):
        counted.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counted


@dataclass
class Sample:
    cpas: str
    files: int
    seconds: float
    queries: int


@dataclass
class Timings:
    label: str
    samples: list[Sample] = field(default_factory=list)

    def summary(self) -> str:
        if not self.samples:
            return f"{self.label}: no CPAS"
        total = sum(s.seconds for s in self.samples)
        files = sum(s.files for s in self.samples)
        slowest = max(self.samples, key=lambda s: s.seconds)
        per_thousand = [s.seconds * 1000 / s.files * 1000 for s in self.samples if s.files]
        queries = [s.queries for s in self.samples]
        near = min(self.samples, key=lambda s: abs(s.files - NEAR_FILES))
        return (
            f"{self.label}: {len(self.samples)} CPAS, {files:,} files, total {total:.1f} s; "
            f"slowest {slowest.cpas} ({slowest.files:,} files) {slowest.seconds:.2f} s; "
            f"median per CPAS {statistics.median(s.seconds for s in self.samples) * 1000:.0f} ms; "
            f"per 1,000 files: median {statistics.median(per_thousand) if per_thousand else 0:.0f} ms, "
            f"overall {total * 1000 / max(files, 1) * 1000:.0f} ms; "
            f"queries: {sum(queries):,} in all, per CPAS {min(queries)}–{max(queries)}; "
            f"the CPAS nearest {NEAR_FILES:,} files: {near.cpas} ({near.files:,}) {near.seconds * 1000:.0f} ms"
        )


def each_cpas() -> list[tuple[object, int]]:
    """Every CPAS of the database with its number of files (counted under its own RLS context), by id."""
    from django.db import transaction

    from piis.accounts.models import Cpas
    from piis.cases.models import Beneficiary
    from piis.core.rls import set_current_cpas

    found = []
    for cpas in Cpas.objects.order_by("pk"):
        with transaction.atomic():
            set_current_cpas(cpas.pk)
            found.append((cpas, Beneficiary.objects.count()))
    return found


def time_each(timings: list[tuple[Timings, Callable[[object], object]]], cpas_list: list[tuple[object, int]]) -> None:
    """For each CPAS, in one transaction under its RLS context, each (timings, function(cpas)) once, in order."""
    from django.db import transaction

    from piis.core.rls import set_current_cpas

    for cpas, files in cpas_list:
        with transaction.atomic():
            set_current_cpas(cpas.pk)  # type: ignore[attr-defined]
            for timing, function in timings:
                with counting() as queries:
                    started = time.perf_counter()
                    function(cpas)
                    seconds = time.perf_counter() - started
                timing.samples.append(Sample(cpas.name, files, seconds, len(queries)))  # type: ignore[attr-defined]
