"""make bench: the REST API's main read operations — file search by name and by national register number, one
file, one contract with its versions and evaluations, a worker's agenda — timed through the whole stack (token
lookup under row-level security, rate-limit count, selectors, audit row), median/p95/max over BENCH_RUNS runs, with
the query count of one call. Figures, never pass/fail.

Database: whatever DATABASE_URL names (e.g. the national set of `manage.py bench_data` connected as the non-owner
app role, as `benchmarks/run.py` does); when it is unset, the bench database of run.py as its app role
(BENCH_DB, default piis_bench) if it answers, else a throw-away test database with a small caseload. Nothing is
left behind in a real database: the token it issues, and the audit rows of its reads, are rolled back at the end.
The CPAS is BENCH_API_CPAS (a name) or the first "CPAS bench …", else the first CPAS with files.

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


def _measure(client, url: str, token: str) -> tuple[float, float, float, int]:
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
    for _ in range(RUNS):
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


def _bench() -> None:
    from django.conf import settings
    from django.db import transaction
    from django.test import Client

    from piis.api.services import token_issue
    from piis.cases.models import Beneficiary
    from piis.contracts.models import Contract
    from piis.core.rls import set_current_cpas

    settings.PIIS_API_RATE_PER_MINUTE = 10**9  # timed, not throttled
    try:
        with transaction.atomic():
            cpas = _cpas() or _small_world()
            set_current_cpas(cpas.pk)
            admin = _admin(cpas)
            _token, text = token_issue(membership=admin, name="bench", scopes=["read_files"], valid_days=1)
            files = Beneficiary.objects.for_cpas(cpas)
            count = files.count()
            person = files.exclude(social_worker=None).order_by("pk").first() or files.order_by("pk").first()
            contract = Contract.objects.for_cpas(cpas).order_by("-pk").first()
            print(f"API: CPAS {cpas.name!r}, {count} files; {RUNS} runs; database: {settings.DATABASE_DESCRIPTION}")
            print(f"{'operation':<40} {'median ms':>10} {'p95 ms':>10} {'max ms':>10} {'queries':>8}")
            operations = [
                ("file search by name", f"/api/v1/files?q={person.last_name[:6]}&limit=25"),
                ("file search by national number", f"/api/v1/files?q={person.national_number}&limit=25"),
                ("file list, page 1 (25)", "/api/v1/files?limit=25"),
                ("one file", f"/api/v1/files/{person.pk}"),
            ]
            if contract is not None:
                operations.append(("one contract (versions, evaluations)", f"/api/v1/contracts/{contract.pk}"))
            if person.social_worker_id:
                agenda = f"/api/v1/agenda?worker={person.social_worker_id}"
                operations.append(("a worker's agenda (page of 50)", agenda))
            client = Client()
            for label, url in operations:
                median, p95, worst, queries = _measure(client, url, text)
                print(f"{label:<40} {median:>10.2f} {p95:>10.2f} {worst:>10.2f} {queries:>8}", flush=True)
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
