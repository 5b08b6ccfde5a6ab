"""make bench: the REST API's main read operations — file search by name and by national register number, a page of
files, one file, its obligation, contracts and meeting requests, one contract with its versions and evaluations, one
evaluation, a worker's agenda, the month's subsidy lines — timed through the whole stack (token lookup under
row-level security, rate-limit count, selectors, audit row): median/p95/max over BENCH_RUNS runs, each median as a
ratio to the floor measured in the same run (the cheapest call: middleware, token, rate limit, an empty answer;
benchmarks/api_floor_urls.py), with the query count of one call. Figures, never pass/fail.

Database: whatever DATABASE_URL names (e.g. the national set of `manage.py bench_data` connected as the non-owner
app role, as `benchmarks/run.py` does); when it is unset, the bench database of run.py as its app role
(BENCH_DB, default piis_bench) if it answers, else a throw-away test database with a small caseload. Nothing is
left behind in a real database: the token it issues, and the audit rows of its reads, are rolled back at the end.
The CPAS is BENCH_API_CPAS (a name) or the first "CPAS bench …", else the first CPAS with files. The month's
subsidy lines compute every file of the CPAS: BENCH_API_HEAVY_RUNS runs (default 3).

Standalone: `python benchmarks/bench_api.py`; benchmarks/run.py calls `main()`.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "piis.settings.test")

RUNS = int(os.environ.get("BENCH_RUNS", "30"))
HEAVY_RUNS = int(os.environ.get("BENCH_API_HEAVY_RUNS", "3"))
BENCH_DB = os.environ.get("BENCH_DB", "piis_bench")
APP_URL = f"postgres://{os.environ.get('BENCH_APP_ROLE', 'piis_bench_app')}@127.0.0.1:5432/{BENCH_DB}"


class _Rollback(Exception):
    pass


def _bench_db_answers() -> bool:
    try:
        import psycopg

        with psycopg.connect(APP_URL, connect_timeout=2) as conn:
            return bool(conn.execute("SELECT 1 FROM accounts_cpas LIMIT 1").fetchall())
    except Exception:
        return False


def _measure(client, url: str, token: str, runs: int = RUNS) -> tuple[float, float, float, int]:
    from django.conf import settings
    from django.db import connection, reset_queries

    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = client.get(url, **auth)  # warm-up
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    debug, settings.DEBUG = settings.DEBUG, True  # one call with its queries logged (the request resets the log)
    try:
        reset_queries()
        client.get(url, **auth)
        queries = len(connection.queries)
    finally:
        settings.DEBUG = debug
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, **auth)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95, samples[-1], queries


def _cpas():
    from piis.accounts.models import Cpas
    from piis.cases.models import Beneficiary
    from piis.core.rls import set_current_cpas

    wanted = os.environ.get("BENCH_API_CPAS")
    candidates = Cpas.objects.filter(name=wanted) if wanted else Cpas.objects.order_by("pk")
    bench = Cpas.objects.filter(name__startswith="CPAS bench ").order_by("name").first()
    for cpas in ([bench] if bench and not wanted else []) + list(candidates[:50]):
        set_current_cpas(cpas.pk)
        if Beneficiary.objects.for_cpas(cpas).exists():
            return cpas
    return None


def _small_world():
    """A throw-away database's caseload: one worker with files, a PIIS in force, meeting requests."""
    from piis.accounts.enums import Role
    from tests.factories import make_cpas, make_member
    from tests.followup.builders import make_caseload

    cpas = make_cpas(name="CPAS bench api")
    worker = make_member(cpas, Role.SOCIAL_WORKER, username="bench_api_worker")
    make_caseload(cpas, worker.user, int(os.environ.get("BENCH_AGENDA_FILES", "150")))
    return cpas


def _targets(cpas) -> dict:
    """What the operations are timed on: a file with a worker and a PIIS in force that has evaluations if there is
    one (else any file, any contract, any evaluation), and a worker's caseload."""
    from django.db.models import Count

    from piis.accounts.models import Membership
    from piis.cases.models import Beneficiary
    from piis.contracts.models import Contract
    from piis.followup.models import Evaluation

    contract = (
        Contract.objects.for_cpas(cpas)
        .filter(status="in_force", beneficiary__social_worker__isnull=False, evaluations__isnull=False)
        .order_by("pk")
        .first()
    ) or Contract.objects.for_cpas(cpas).order_by("-pk").first()
    files = Beneficiary.objects.for_cpas(cpas)
    person = (
        contract.beneficiary
        if contract is not None
        else files.exclude(social_worker=None).order_by("pk").first() or files.order_by("pk").first()
    )
    evaluation = (
        Evaluation.objects.for_cpas(cpas).filter(contract=contract).order_by("pk").first()
        if contract is not None
        else None
    ) or Evaluation.objects.for_cpas(cpas).order_by("pk").first()
    # The worker of 150 files of the bench data set, as the agenda page of benchmarks/run.py, else the largest load.
    bench_worker = Membership.objects.filter(cpas=cpas, user__username="bench_w150")
    worker = bench_worker.values_list("user_id", flat=True).first()
    if worker is None:
        top = files.exclude(social_worker=None).values("social_worker").annotate(n=Count("pk")).order_by("-n").first()
        worker = top["social_worker"] if top else None
    return {"person": person, "contract": contract, "evaluation": evaluation, "count": files.count(), "worker": worker}


def _operations(targets: dict, month: str) -> list[tuple[str, str, int]]:
    person, contract, evaluation = targets["person"], targets["contract"], targets["evaluation"]
    v1 = "/api/v1"
    operations = [
        ("floor (token, rate limit, empty)", "/bench/api/floor", RUNS),
        ("file search by name", f"{v1}/files?q={person.last_name[:6]}&limit=25", RUNS),
        ("file search by national number", f"{v1}/files?q={person.national_number}&limit=25", RUNS),
        ("file list, page 1 (25)", f"{v1}/files?limit=25", RUNS),
        ("one file", f"{v1}/files/{person.pk}", RUNS),
        ("a file's obligation", f"{v1}/files/{person.pk}/obligation", RUNS),
        ("a file's contracts", f"{v1}/files/{person.pk}/contracts", RUNS),
        ("a file's meeting requests", f"{v1}/files/{person.pk}/meeting-requests", RUNS),
    ]
    if contract is not None:
        operations.append(("one contract (versions, evaluations)", f"{v1}/contracts/{contract.pk}", RUNS))
    if evaluation is not None:
        operations.append(("one evaluation", f"{v1}/evaluations/{evaluation.pk}", RUNS))
    if targets["worker"]:
        operations.append(("a worker's agenda (page of 50)", f"{v1}/agenda?worker={targets['worker']}", RUNS))
    operations.append(
        (f"subsidy lines of {month[:7]} (page of 100)", f"{v1}/subsidy-lines?month={month}&limit=100", HEAVY_RUNS)
    )
    return operations


def _bench() -> None:
    from django.conf import settings
    from django.db import transaction
    from django.test import Client
    from django.urls import clear_url_caches
    from django.utils import timezone

    from piis.api.services import token_issue
    from piis.core.rls import set_current_cpas

    settings.PIIS_API_RATE_PER_MINUTE = 10**9  # timed, not throttled
    settings.ROOT_URLCONF = "benchmarks.api_floor_urls"  # the site's routes plus the API floor
    clear_url_caches()
    try:
        with transaction.atomic():
            cpas = _cpas() or _small_world()
            set_current_cpas(cpas.pk)
            admin = _admin(cpas)
            _token, text = token_issue(membership=admin, name="bench", scopes=["read_files", "export"], valid_days=1)
            targets = _targets(cpas)
            month = os.environ.get("BENCH_API_MONTH") or timezone.localdate().replace(day=1).isoformat()
            # The subsidy lines read the month's stored claim (reports.claims): computed here as the nightly run
            # leaves it (rolled back with the rest).
            from datetime import date

            from piis.reports.claims import compute_claim

            computed = compute_claim(cpas, date.fromisoformat(month))
            print(f"the month's claim computed and stored: {computed.lines} lines in {computed.seconds} s")
            print(f"API: CPAS {cpas.name!r}, {targets['count']} files; {RUNS} runs ({HEAVY_RUNS} for the subsidy "
                  f"lines); database: {settings.DATABASE_DESCRIPTION}")  # fmt: skip
            print(f"{'operation':<40} {'median ms':>10} {'p95 ms':>10} {'max ms':>10} {'× floor':>8} {'queries':>8}")
            client = Client()
            floor = None
            for label, url, runs in _operations(targets, month):
                try:
                    with transaction.atomic():  # a savepoint: one failing call leaves the others' transaction usable
                        median, p95, worst, queries = _measure(client, url, text, runs)
                except Exception as error:  # one operation that fails is printed, the others still timed
                    print(f"{label:<40} FAILED: {error!r}"[:300], flush=True)
                    continue
                if label.startswith("floor"):
                    floor = median
                ratio = f"{median / floor:>8.1f}" if floor else f"{'–':>8}"
                print(f"{label:<40} {median:>10.2f} {p95:>10.2f} {worst:>10.2f} {ratio} {queries:>8}", flush=True)
            raise _Rollback
    except _Rollback:
        pass


def _admin(cpas):
    """An administrator of the CPAS to issue the token (an existing one, else one made for the run)."""
    from piis.accounts.enums import Role
    from piis.accounts.models import Membership

    found = Membership.objects.filter(cpas=cpas, role=Role.CPAS_ADMIN, is_active=True).select_related("user", "cpas")
    if found.first():
        return found.first()
    from tests.factories import make_member

    return make_member(cpas, Role.CPAS_ADMIN, username=f"bench_api_admin_{cpas.pk}")


def main() -> None:
    throwaway = False
    if not os.environ.get("DATABASE_URL"):
        if _bench_db_answers():
            os.environ["DATABASE_URL"] = APP_URL
        else:
            throwaway = True
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()  # ALLOWED_HOSTS for the test client; nothing else of the test runner
    try:
        if not throwaway:
            _bench()
            return
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            _bench()
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    finally:
        teardown_test_environment()


if __name__ == "__main__":
    main()
