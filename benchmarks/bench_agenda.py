"""make bench: the caseload agenda of one worker with 150 files (RI decisions, PIIS in force with evaluations,
meeting requests). Prints the page time (median/max over BENCH_RUNS runs) and its query count; never pass/fail.

Standalone: `python benchmarks/bench_agenda.py` builds its own throw-away test database, as run.py does; run.py
calls `main(database_ready=True)` inside its own.
"""

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
FILES = int(os.environ.get("BENCH_AGENDA_FILES", "150"))


def _measure(client: Client, url: str) -> tuple[float, float, int]:
    client.get(url)  # warm-up
    samples, queries = [], 0
    debug, settings.DEBUG = settings.DEBUG, True
    try:
        for _ in range(RUNS):
            reset_queries()
            start = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
            queries = len(connection.queries)
            assert response.status_code == 200, (url, response.status_code)
    finally:
        settings.DEBUG = debug
    return statistics.median(samples), max(samples), queries


def _bench() -> None:
    from piis.accounts.enums import Role
    from tests.factories import make_cpas, make_member
    from tests.followup.builders import make_caseload

    cpas = make_cpas(name="CPAS bench agenda")
    worker = make_member(cpas, Role.SOCIAL_WORKER, username="bench_agenda_worker")
    make_caseload(cpas, worker.user, FILES)
    client = Client()
    client.force_login(worker.user)
    from tests.conftest import pass_second_factor

    pass_second_factor(client, worker.user)  # as after the code: the agenda, not the redirect to the second factor
    session = client.session
    session["current_cpas_id"] = cpas.pk
    session.save()
    print(f"agenda: {FILES} files of one worker; {RUNS} runs; database: {settings.DATABASE_DESCRIPTION}")
    print(f"{'page':<34} {'median ms':>10} {'max ms':>10} {'queries':>8}")
    for label, url in [("agenda (all)", "/followup/agenda/"), ("agenda (7 days)", "/followup/agenda/?horizon=7")]:
        median, worst, queries = _measure(client, url)
        print(f"{label:<34} {median:>10.2f} {worst:>10.2f} {queries:>8}")


def main(*, database_ready: bool = False) -> None:
    if database_ready:
        _bench()
        return
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        _bench()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
