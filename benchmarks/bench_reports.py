"""The annual global evaluation (R50) and the month's subsidy claim of the biggest CPAS in a database: times
`annual_report` and `subsidy_lines` with their query counts. Figures, not pass/fail.

Standalone: `python benchmarks/bench_reports.py`. It reads the database of DATABASE_URL, else the benchmark data set
(`piis_bench`, built by `make bench`), and picks the CPAS with the most files. Environment: BENCH_RUNS (default 5),
BENCH_REPORTS_YEAR (default: the current year).

All CPAS (benchmarks/all_cpas.py: BENCH_ALL_CPAS=1, or BENCH_DB=piis_bench_n): the annual report of every CPAS of
BENCH_DB once, each under its own RLS context as the app role, with the total, the slowest CPAS, the median per CPAS
and per 1,000 files and the query counts.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import all_cpas  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "piis.settings.dev")
os.environ.setdefault("DATABASE_URL", all_cpas.owner_url())

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def _timed(label: str, function) -> None:
    seconds = []
    with all_cpas.counting() as queries:  # an execute wrapper: CaptureQueriesContext read 0 for the claim
        function()
    for _ in range(RUNS):
        reset_queries()
        started = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - started)
    print(
        f"{label}: median {statistics.median(seconds) * 1000:.0f} ms, max {max(seconds) * 1000:.0f} ms "
        f"over {RUNS} runs, {len(queries)} queries",
        flush=True,
    )


def _all_cpas(year: int) -> None:
    from piis.reports.annual import annual_report

    all_cpas.use_app_role()
    listed = all_cpas.each_cpas()
    print(
        f"bench_reports, all CPAS of {all_cpas.BENCH_DB} as {all_cpas.APP_ROLE} (RLS): {len(listed)} CPAS, "
        f"{sum(files for _cpas, files in listed):,} files, year {year}; {all_cpas.load_average()}",
        flush=True,
    )
    annual = all_cpas.Timings("annual report, every CPAS")
    all_cpas.time_each([(annual, lambda cpas: annual_report(cpas, year))], listed)
    print(annual.summary(), flush=True)
    print(f"after: {all_cpas.load_average()}", flush=True)


def main() -> None:
    from piis.accounts.models import Cpas
    from piis.reports.annual import annual_report
    from piis.reports.subsidy import subsidy_lines

    try:
        connection.ensure_connection()
    except Exception as error:  # no benchmark database: say so, do not fail the run
        print(f"bench_reports: no database ({error.__class__.__name__}); run `make bench` first", flush=True)
        return
    year = int(os.environ.get("BENCH_REPORTS_YEAR", timezone.localdate().year))
    if all_cpas.enabled():
        _all_cpas(year)
        return
    from piis.cases.models import Beneficiary

    row = Beneficiary.objects.values("cpas_id").annotate(files=Count("pk")).order_by("-files").first()
    if row is None:
        print("bench_reports: the database holds no file", flush=True)
        return
    biggest = Cpas.objects.get(pk=row["cpas_id"])
    print(f"bench_reports: {biggest.name} ({row['files']} files), year {year}", flush=True)
    with transaction.atomic():
        with connection.cursor() as cursor:  # row-level security: the CPAS of the request, as in a page
            cursor.execute("SELECT set_config('app.cpas_id', %s, true)", [str(biggest.pk)])
        month = timezone.localdate().replace(day=1)
        _timed("annual report", lambda: annual_report(biggest, year))
        _timed("subsidy claim of the month", lambda: subsidy_lines(biggest, month))


if __name__ == "__main__":
    main()
