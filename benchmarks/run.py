"""make bench: figures, not pass/fail. Builds a throw-away test database (PostgreSQL when reachable), loads the
demo plus a caseload, and times pages through Django's test client (no network, no server)."""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "piis.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "30"))
CASELOAD = int(os.environ.get("BENCH_CASELOAD", "140"))


def timed(client: Client, url: str) -> tuple[float, float, int]:
    client.get(url)  # warm-up
    samples, queries = [], 0
    settings.DEBUG = True
    for _ in range(RUNS):
        reset_queries()
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        queries = len(connection.queries)
        assert response.status_code == 200, (url, response.status_code)
    settings.DEBUG = False
    return statistics.median(samples), max(samples), queries


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from piis.accounts.models import Membership
        from piis.cases.models import Beneficiary
        from piis.cases.validators import nrn_with_check
        from piis.demo.data import load_demo_data

        load_demo_data()
        worker = Membership.objects.select_related("user", "cpas").get(user__username="wal_social_worker")
        import datetime

        Beneficiary.objects.bulk_create(
            Beneficiary(
                cpas=worker.cpas,
                first_name=f"Bench{i}",
                last_name=f"Caseload{i:04d}",
                birth_date=datetime.date(1980, 1, 1 + i % 28),
                national_number=nrn_with_check(datetime.date(1980, 1, 1 + i % 28), 100 + i),
                social_worker=worker.user,
                search_name=f"caseload{i:04d} bench{i}",
            )
            for i in range(CASELOAD)
        )
        client = Client()
        client.force_login(worker.user)
        from tests.conftest import pass_second_factor

        pass_second_factor(client, worker.user)  # as after the code: the pages, not the redirect to the second factor
        print(f"database: {settings.DATABASE_DESCRIPTION}; {RUNS} runs per page; caseload {CASELOAD} files")
        print(f"{'page':<34} {'median ms':>10} {'max ms':>10} {'queries':>8}")
        rows = {}
        for label, url in [
            ("home", "/"),
            ("my files (page 1 of caseload)", "/files/?mine=1"),
            ("file search 'caseload00'", "/files/?q=caseload00"),
        ]:
            median, worst, queries = timed(client, url)
            rows[label] = median
            print(f"{label:<34} {median:>10.2f} {worst:>10.2f} {queries:>8}")
        print(f"ratio my-files / home: {rows['my files (page 1 of caseload)'] / rows['home']:.2f}")
        __import__("benchmarks.bench_agenda", fromlist=["main"]).main(database_ready=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
