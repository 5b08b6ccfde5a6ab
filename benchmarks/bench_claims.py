"""The month's subsidy claim stored (reports.claims) on the benchmark data set: the computation of the biggest CPAS's
month (every line, in every language, stored), the claim page before (every line computed per request: the cost of
subsidy_lines, which the page called) and after (the totals and a page of 50 from the table), and the API's read of
a page of lines deep in the claim. Figures, not pass/fail.

Standalone: `python benchmarks/bench_claims.py` (BENCH_DB, default piis_bench; BENCH_RUNS, default 10;
BENCH_CLAIM_MONTH YYYY-MM, default this month). The database must carry the reports' migration (docs/reports.md).
It connects as the app role under row-level security (benchmarks/run.py) and logs in as the biggest CPAS's
director. It replaces that CPAS's stored claim of the month (as the nightly run would).
"""

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import run  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "10"))


def _load() -> str:
    return Path("/proc/loadavg").read_text().split(" 1")[0] if Path("/proc/loadavg").exists() else "?"


def main() -> None:
    run._setup_django()
    from django.db import connection
    from django.utils import timezone

    from piis.accounts.models import Cpas, Membership
    from piis.jobs.services import in_cpas
    from piis.reports import claims
    from piis.reports.subsidy import claim_totals, subsidy_lines

    with connection.cursor() as cursor:
        cursor.execute("SELECT cpas_id FROM accounts_membership WHERE role = 'director' ORDER BY cpas_id")
        directors = [row[0] for row in cursor.fetchall()]
    month_text = os.environ.get("BENCH_CLAIM_MONTH")
    month = date.fromisoformat(f"{month_text}-01") if month_text else timezone.localdate().replace(day=1)
    sizes = {}
    for cpas_id in directors:
        with in_cpas(cpas_id), connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM cases_beneficiary")
            sizes[cpas_id] = cursor.fetchone()[0]
    cpas_id = max(sizes, key=sizes.get)
    print(f"bench_claims on {run.BENCH_DB} as {run.APP_ROLE}: CPAS {cpas_id} ({sizes[cpas_id]:,} files), "
          f"{month:%Y-%m}; load {_load()}", flush=True)  # fmt: skip
    cpas = Cpas.objects.get(pk=cpas_id)

    started = time.perf_counter()
    with in_cpas(cpas_id):
        lines = subsidy_lines(cpas, month)
        claim_totals(lines)
    before = time.perf_counter() - started
    print(f"before: every line computed per request (the old page's subsidy_lines + totals): {before * 1000:.0f} ms, "
          f"{len(lines):,} lines; load {_load()}", flush=True)  # fmt: skip

    started = time.perf_counter()
    with in_cpas(cpas_id):
        stored = claims.compute_claim(cpas, month)
    print(f"computation stored: {time.perf_counter() - started:.1f} s ({stored.lines:,} lines, 4 languages); "
          f"load {_load()}", flush=True)  # fmt: skip

    from django.test.utils import setup_test_environment

    setup_test_environment()
    director = Membership.objects.filter(cpas_id=cpas_id, role="director").select_related("user").first()
    client = run._client_for(director.user.username)
    base = f"/reports/subsidy/{month.year}/{month.month}/"
    last = max(1, (stored.lines + 49) // 50)
    for label, urls in (("claim page 1", base), (f"claim page {last // 2}", f"{base}?page={last // 2}")):
        median, p95, queries = run.measure(client, urls, runs=RUNS)
        print(f"after: {label}: median {median:.0f} ms, p95 {p95:.0f} ms, {queries} queries; load {_load()}",
              flush=True)  # fmt: skip
    floor, _p95, _q = run.measure(client, "/bench/floor/", runs=RUNS)
    print(f"floor: {floor:.1f} ms", flush=True)
    samples = []
    for _ in range(3):
        started = time.perf_counter()
        response = client.get(f"{base}claim.csv")
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200
    print(f"claim CSV from the stored lines: median {statistics.median(samples) * 1000:.0f} ms; load {_load()}")
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        with in_cpas(cpas_id):
            claims.stored_lines(cpas, stored, offset=stored.lines // 2, limit=101)
        samples.append(time.perf_counter() - started)
    print(f"API window of 100 lines at the middle of the claim: median {statistics.median(samples) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
