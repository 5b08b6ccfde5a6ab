"""make bench: figures, not pass/fail (issue 15).

Times the main pages on the benchmark data set (`manage.py bench_data`, database `piis_bench`; built at scale S the
first time if it is empty), connected as a non-owner role without BYPASSRLS under row-level security, as in
production. Every figure is printed as a ratio to the floor measured in the same run: a view returning two bytes
behind the same middleware (session, second factor, current CPAS with its transaction and `app.cpas_id`), so that a
busy machine moves the figures but much less the ratios. The pages are timed in rounds, one request to each page
(the floor included) per round, so that a machine whose speed drifts during the run moves them all alike. Pages go
through Django's test client (no network, DEBUG
off); the query counts come from a capture around one request.

Then every standalone `benchmarks/bench_*.py` other than ours (each with a `main()`), one after the other; a
failing one is printed and the run goes on.

Environment: BENCH_RUNS (runs per page, default 30), BENCH_DB (default piis_bench), BENCH_SCALE (S), BENCH_ONLY
(labels to time separated by ";"; "reminders" for the nightly run), BENCH_SKIP_EXTRA=1 (not the other scripts),
BENCH_PREPARED=1 (the database is there: skip the migrate and grant step). The other scripts see BENCH_DB:
bench_reports.py and bench_observatory.py also time every CPAS of it when it is the national set (piis_bench_n) or
BENCH_ALL_CPAS=1 (benchmarks/all_cpas.py; BENCH_ALL_CPAS=0 turns it off).
"""

import importlib
import io
import os
import statistics
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = os.environ.get("BENCH_DB", "piis_bench")
OWNER_URL = os.environ.get("BENCH_OWNER_URL", f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}")
APP_ROLE = os.environ.get("BENCH_APP_ROLE", "piis_bench_app")
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
OWN_SCRIPTS = {"bench_agenda.py"}  # timed here (agenda 50/150/300); it also runs alone on a throw-away database


def _owner_sql(sql: str, dbname: str = BENCH_DB):
    import psycopg

    with psycopg.connect(OWNER_URL.rsplit("/", 1)[0] + f"/{dbname}", autocommit=True) as conn:
        return conn.execute(sql).fetchall() if sql.lstrip().upper().startswith("SELECT") else conn.execute(sql)


def prepare_database() -> None:
    """Create, migrate and fill the bench database when it is missing or empty (as the owner), then give the app
    role its grants (a login role, not owner, not superuser, no BYPASSRLS)."""
    if not _owner_sql(f"SELECT 1 FROM pg_database WHERE datname = '{BENCH_DB}'", "postgres"):
        _owner_sql(f'CREATE DATABASE "{BENCH_DB}"', "postgres")
    env = {**os.environ, "DATABASE_URL": OWNER_URL, "DJANGO_SETTINGS_MODULE": "piis.settings.test"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    filled = (
        _owner_sql("SELECT count(*) FROM information_schema.tables WHERE table_name = 'accounts_cpas'")[0][0]
        and _owner_sql("SELECT count(*) FROM accounts_cpas WHERE name LIKE 'CPAS bench %'")[0][0]
    )
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    if not filled:
        scale = os.environ.get("BENCH_SCALE", "S")
        print(f"building the bench data set {scale} into {BENCH_DB} (once; manage.py bench_data)…", flush=True)
        subprocess.run([*manage, "bench_data", "--scale", scale], env=env, check=True)
    if not _owner_sql(f"SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}'", "postgres"):
        _owner_sql(f'CREATE ROLE "{APP_ROLE}" LOGIN NOSUPERUSER NOBYPASSRLS', "postgres")
    else:  # created by grant_app_role (NOLOGIN, as the production role is made) when the data set was rebuilt
        _owner_sql(f'ALTER ROLE "{APP_ROLE}" LOGIN', "postgres")
    subprocess.run([*manage, "grant_app_role", "--role", APP_ROLE], env=env, check=True, stdout=subprocess.DEVNULL)


def _setup_django() -> None:
    os.environ["DATABASE_URL"] = OWNER_URL.replace("postgres@", f"{APP_ROLE}@", 1)
    os.environ["DJANGO_SETTINGS_MODULE"] = "piis.settings.test"
    import django

    django.setup()
    from django.conf import settings

    settings.ROOT_URLCONF = "benchmarks.bench_urls"  # the site's routes plus the floor view
    # Persistent connections as in production (base settings: CONN_MAX_AGE 60), not a new connection per request.
    from django.db import connection

    settings.DATABASES["default"]["CONN_MAX_AGE"] = connection.settings_dict["CONN_MAX_AGE"] = 600
    settings.DEBUG = False


def _client_for(username: str):
    from django.test import Client

    from piis.accounts.models import User
    from tests.conftest import pass_second_factor

    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    pass_second_factor(client, user)  # as after the code: the pages, not the redirect to the second factor
    return client


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(client, urls: list[str] | str, runs: int = RUNS) -> tuple[float, float, int]:
    """Median and p95 in ms over `runs` requests (cycling through `urls`), and the queries of one request."""
    urls = [urls] if isinstance(urls, str) else urls
    queries = _warm_up_and_count(client, urls)
    samples = [_timed_get(client, urls[i % len(urls)]) for i in range(runs)]
    return statistics.median(samples), _percentile(samples, 0.95), queries


def measure_interleaved(pages: list[tuple], runs: int = RUNS) -> dict[str, tuple[float, float, int]]:
    """measure() for each (label, client, urls) of `pages`, in rounds of one request per page rather than page after
    page: a machine whose speed drifts over the run (a shared virtual machine) moves every page and the floor alike,
    so that the ratios hold. A page that fails is printed and left out."""
    pages = [(label, client, [urls] if isinstance(urls, str) else urls) for label, client, urls in pages]
    queries, samples = {}, {}
    for label, client, urls in pages:
        try:
            queries[label] = _warm_up_and_count(client, urls)
            samples[label] = []
        except Exception as error:  # a page that fails is printed, the others still measured
            print(f"{label:<26} FAILED: {error!r}")
    for i in range(runs):
        for label, client, urls in pages:
            if label in samples:
                samples[label].append(_timed_get(client, urls[i % len(urls)]))
    return {
        label: (statistics.median(times), _percentile(times, 0.95), queries[label]) for label, times in samples.items()
    }


def _warm_up_and_count(client, urls: list[str]) -> int:
    """A few requests to warm up, then the queries of one request."""
    from django.db import connection

    for url in urls[:3]:
        client.get(url)
    counted: list[str] = []

    def count(execute, sql, params, many, context):
        counted.append(sql)
        return execute(sql, params, many, context)

    # An execute wrapper, not CaptureQueriesContext: the request_started signal empties the queries log it reads.
    with connection.execute_wrapper(count):
        response = client.get(urls[0])
    assert response.status_code == 200, (urls[0], response.status_code)
    return len(counted)


def _timed_get(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def _targets() -> dict:
    """The objects the pages are timed on: the bench workers' files, contracts, names and numbers."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM accounts_user WHERE username = 'bench_w150'")
        worker = cursor.fetchone()[0]
        cursor.execute("SELECT cpas_id FROM accounts_membership WHERE user_id = %s", [worker])
        cpas = cursor.fetchone()[0]
        cursor.execute("SELECT set_config('app.cpas_id', %s, false)", [str(cpas)])
        cursor.execute(
            "SELECT c.id, c.beneficiary_id FROM contracts_contract c WHERE c.social_worker_id = %s "
            "AND c.status = 'in_force' ORDER BY c.id LIMIT 1",
            [worker],
        )
        contract, beneficiary = cursor.fetchone()
        cursor.execute(
            "SELECT DISTINCT split_part(last_name, '-', 1) FROM cases_beneficiary WHERE cpas_id = %s "
            "ORDER BY 1 LIMIT 40",
            [cpas],
        )
        names = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT national_number FROM cases_beneficiary WHERE cpas_id = %s ORDER BY id DESC LIMIT 20", [cpas]
        )
        numbers = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT set_config('app.cpas_id', '', false)")
    return {"contract": contract, "beneficiary": beneficiary, "names": names, "numbers": numbers}


def _reminder_run() -> tuple[float, str]:
    """The nightly reminder run over every CPAS of the set (seconds and its last line), rolled back so that it can be
    run again (the e-mails leave on commit: none is sent)."""
    from django.core.management import call_command
    from django.db import transaction

    out = io.StringIO()
    start = time.perf_counter()
    with transaction.atomic():
        call_command("send_reminders", stdout=out)
        transaction.set_rollback(True)
    lines = out.getvalue().strip().splitlines()
    return time.perf_counter() - start, lines[-1] if lines else ""


def _machine() -> str:
    load = os.getloadavg()
    return f"load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} on {os.cpu_count()} cores"


def bench_pages(only: set[str] | None = None) -> dict[str, tuple[float, float, int]]:
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_beneficiary")  # under RLS with no CPAS set: must be 0
        visible = cursor.fetchone()[0]
        cursor.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
        privileged = cursor.fetchone()[0]
    assert visible == 0 and not privileged, "the benchmark must run as the app role under row-level security"
    from django.template import Template
    from django.test.utils import setup_test_environment

    production_render = Template._render
    setup_test_environment()  # the locmem mail backend (no e-mail leaves)…
    # …but templates rendered as in production: the test renderer sends a signal per template rendered, on which the
    # test client copies the context (0.3-0.5 ms on a page of a dozen includes; nothing on the floor).
    Template._render = production_render
    settings.DEBUG = False
    targets = _targets()
    worker = _client_for("bench_w150")
    dpo = _client_for("bench_dpo")
    pages = [
        ("floor", worker, "/bench/floor/"),
        ("agenda, 50 files", _client_for("bench_w50"), "/followup/agenda/"),
        ("agenda, 150 files", worker, "/followup/agenda/"),
        ("agenda, 300 files", _client_for("bench_w300"), "/followup/agenda/"),
        ("home (150 files)", worker, "/"),
        ("file page", worker, f"/files/{targets['beneficiary']}/"),
        ("contract page", worker, f"/contracts/{targets['contract']}/"),
        ("name search", worker, [f"/files/?q={name}&everywhere=1" for name in targets["names"]]),
        ("national-number search", worker, [f"/files/?q={nrn}&everywhere=1" for nrn in targets["numbers"]]),
        ("audit trail, page 1", dpo, "/audit/"),
    ]
    print(f"bench database {BENCH_DB} as {APP_ROLE} (row-level security); {RUNS} runs per page; {_machine()}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_cpas")
        print(f"data set: {cursor.fetchone()[0]} CPAS (counts per table: see docs/performance.md)")
    print(f"{'page':<26} {'median ms':>10} {'p95 ms':>8} {'× floor':>8} {'queries':>8}")
    results = measure_interleaved([page for page in pages if not only or page[0] in only or page[0] == "floor"])
    for label, (median, p95, queries) in results.items():
        ratio = median / results["floor"][0]
        print(f"{label:<26} {median:>10.1f} {p95:>8.1f} {ratio:>8.2f} {queries:>8}")
    if "agenda, 150 files" in results and "agenda, 300 files" in results:
        print(f"agenda 300 / 150 files: {results['agenda, 300 files'][0] / results['agenda, 150 files'][0]:.2f}")
    if not only or "reminders" in only:
        seconds, said = _reminder_run()
        print(f"nightly reminder run, every CPAS of the set: {seconds:.1f} s ({said!r}; rolled back)")
    print(f"after the run: {_machine()}")
    return results


def run_other_scripts() -> None:
    """Each standalone benchmarks/bench_*.py other than ours, with its own main(); a failure is printed, not fatal."""
    for path in sorted(Path(__file__).parent.glob("bench_*.py")):
        if path.name in OWN_SCRIPTS:
            continue
        print(f"\n--- {path.name}", flush=True)
        # Each runs in its own process: it may build its own database or settings.
        code = subprocess.run(
            [sys.executable, "-c", f"import benchmarks.{path.stem} as m; m.main()"],
            cwd=ROOT,
            env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        ).returncode
        if code:
            print(f"--- {path.name} FAILED (exit {code})", flush=True)


def main() -> None:
    only = {label.strip() for label in os.environ.get("BENCH_ONLY", "").split(";") if label.strip()} or None
    if os.environ.get("BENCH_PREPARED") != "1":  # BENCH_PREPARED=1: the database is there, migrated and granted
        prepare_database()
    _setup_django()
    try:
        bench_pages(only)
    except Exception:
        traceback.print_exc()
        print("the page benchmark failed (above); the other scripts still run")
    if os.environ.get("BENCH_SKIP_EXTRA") != "1":
        run_other_scripts()


if __name__ == "__main__":
    importlib.invalidate_caches()
    main()
