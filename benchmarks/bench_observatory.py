"""The observatory for a CPAS of 5,000 files: builds 5,000 concluded PIIS (clauses from a small library, some edited,
objectives tied to the assessment, versions, signatures, commitments due, sanction dossiers) in bulk, then times the
dashboard's computation (`build_dashboard`, monthly and quarterly) and its page, with the query count. Figures, not
pass/fail.

Standalone: `python benchmarks/bench_observatory.py` builds its own throw-away test database;
`main(database_ready=True)` runs inside one that exists. Environment: BENCH_OBSERVATORY_FILES (default 5000),
BENCH_RUNS (default 5).

All CPAS (benchmarks/all_cpas.py: BENCH_ALL_CPAS=1, or BENCH_DB=piis_bench_n): after the 5,000-file run (in its own
process), the observatory of every CPAS of BENCH_DB once, each under its own RLS context as the app role —
`metrics.load` and `metrics.tally` over the twelve months of the nightly comparison, `build_dashboard` (monthly) as a
director — then the nightly `compute_equity` over every CPAS (rolled back); totals, slowest CPAS, medians per CPAS
and per 1,000 files, query counts.
"""

import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import all_cpas  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "piis.settings.test")
if all_cpas.enabled():
    os.environ.setdefault("DATABASE_URL", all_cpas.owner_url())

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

FILES = int(os.environ.get("BENCH_OBSERVATORY_FILES", "5000"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
TODAY = datetime.date(2026, 11, 15)
KINDS = ["training", "job_search", "language", "housing", "health", "employment", "debt", "family"]
WORDS = [
    "suivre", "formation", "chercher", "emploi", "rencontrer", "conseiller", "inscrire", "atelier", "logement",
    "budget", "dettes", "santé", "langue", "néerlandais", "stage", "entreprise", "transport", "garde", "enfant",
]  # fmt: skip


def _build(cpas, workers, team) -> None:
    from piis.cases.models import AssessmentItem, Beneficiary, NeedsAssessment, RiDecision
    from piis.cases.validators import nrn_with_check
    from piis.contracts.models import Clause, ClauseTemplate, Contract, ContractVersion, Objective, Signature
    from piis.sanctions.models import SanctionDossier

    rng = random.Random(14)
    templates = ClauseTemplate.objects.bulk_create(
        [
            ClauseTemplate(cpas=cpas, title=f"T{i}", kind=KINDS[i % len(KINDS)], party="beneficiary",
                           text=" ".join(rng.choice(WORDS) for _ in range(18)))
            for i in range(12)
        ]
    )  # fmt: skip
    people = Beneficiary.objects.bulk_create(
        [
            Beneficiary(cpas=cpas, first_name=f"P{i}", last_name=f"Bench{i}",
                        birth_date=datetime.date(1960, 1, 1) + datetime.timedelta(days=i // 900),
                        national_number=nrn_with_check(datetime.date(1960, 1, 1) + datetime.timedelta(days=i // 900),
                                                       i % 900 + 1),
                        team=team, social_worker=workers[i % len(workers)])
            for i in range(FILES)
        ]
    )  # fmt: skip
    decisions = RiDecision.objects.bulk_create(
        [
            RiDecision(cpas=cpas, beneficiary=p, category=2, requested_on=datetime.date(2025, 1, 5),
                       decided_on=datetime.date(2025, 1, 10), start_on=datetime.date(2025, 1, 10),
                       monthly_amount=Decimal("1314.20"))
            for p in people
        ]
    )  # fmt: skip
    assessments = NeedsAssessment.objects.bulk_create(
        [NeedsAssessment(cpas=cpas, beneficiary=p, assessed_on=datetime.date(2025, 1, 8), own_words="…",
                         author=workers[0]) for p in people]
    )  # fmt: skip
    items = AssessmentItem.objects.bulk_create(
        [AssessmentItem(cpas=cpas, assessment=a, domain="employment", kind=rng.choice(["aspiration", "obstacle"]),
                        text="…") for a in assessments]
    )  # fmt: skip
    contracts = Contract.objects.bulk_create(
        [
            Contract(cpas=cpas, beneficiary=p, ri_decision=d, assessment=a, social_worker=p.social_worker,
                     status="in_force", signed_on=TODAY - datetime.timedelta(days=rng.randrange(700)))
            for p, d, a in zip(people, decisions, assessments, strict=True)
        ]
    )  # fmt: skip
    objectives = Objective.objects.bulk_create(
        [Objective(cpas=cpas, contract=c, title="…", observable_result="…", due_on=TODAY) for c in contracts]
    )
    Objective.assessment_items.through.objects.bulk_create(
        [
            Objective.assessment_items.through(objective_id=o.pk, assessmentitem_id=i.pk)
            for o, i in zip(objectives, items, strict=True)
        ]
    )
    clauses = []
    for c in contracts:
        for n in range(6):
            template = rng.choice(templates)
            edited = rng.random() < 0.4
            text = template.text + (" " + " ".join(rng.choice(WORDS) for _ in range(6)) if edited else "")
            party = "cpas" if n % 3 == 2 else "beneficiary"
            clauses.append(
                Clause(cpas=cpas, contract=c, party=party, kind=template.kind if party == "beneficiary" else
                       "cpas_support", text=text, template=template, template_text=template.text,
                       proposed_by=rng.choice(["beneficiary", "cpas"]), position=rng.choice(["agreed", "contested"]),
                       due_on=c.signed_on + datetime.timedelta(days=60),
                       delivery_status=rng.choice(["planned", "done"]), delivery_status_on=c.signed_on)
            )  # fmt: skip
    Clause.objects.bulk_create(clauses, batch_size=5000)
    versions = ContractVersion.objects.bulk_create(
        [ContractVersion(cpas=cpas, contract=c, number=1, kind="initial", language="fr",
                         handed_over_on=c.signed_on - datetime.timedelta(days=9), handed_over_by=workers[0],
                         concluded_on=c.signed_on, assistance=rng.choice(["assisted", "declined"])) for c in contracts]
    )  # fmt: skip
    Signature.objects.bulk_create(
        [Signature(cpas=cpas, version=v, party="beneficiary", signer_name="…", signed_on=v.concluded_on,
                   method="paper", recorded_by=workers[0]) for v in versions]
    )  # fmt: skip
    SanctionDossier.objects.bulk_create(
        [SanctionDossier(cpas=cpas, beneficiary=c.beneficiary, contract=c, opened_on=c.signed_on +
                         datetime.timedelta(days=90), opened_by=workers[0]) for c in contracts[::40]]
    )  # fmt: skip


def _bench() -> None:
    from django.test import Client

    from piis.accounts.enums import Role
    from piis.observatory.periods import Granularity
    from piis.observatory.selectors import build_dashboard
    from tests.conftest import pass_second_factor
    from tests.factories import make_cpas, make_member, make_team

    cpas = make_cpas(name="CPAS bench observatory")
    team = make_team(cpas)
    workers = [make_member(cpas, Role.SOCIAL_WORKER, team=team).user for _ in range(40)]
    director = make_member(cpas, Role.DIRECTOR)
    started = time.perf_counter()
    _build(cpas, workers, team)
    with connection.cursor() as cursor:
        # Statistics, as autovacuum gives a live database: without them the planner took the freshly filled clause
        # table for a few rows and looped over it per contract (the clause aggregates 3.6 s instead of 0.1 s).
        cursor.execute("ANALYZE")
    print(f"observatory: {FILES} concluded PIIS built in {time.perf_counter() - started:.1f} s; {RUNS} runs; "
          f"database: {settings.DATABASE_DESCRIPTION}")  # fmt: skip
    print(f"{'what':<34} {'median ms':>10} {'max ms':>10} {'queries':>8}")
    debug, settings.DEBUG = settings.DEBUG, True
    try:
        for granularity in Granularity:
            samples = []
            for _ in range(RUNS):
                reset_queries()
                start = time.perf_counter()
                build_dashboard(director, today=TODAY, granularity=granularity)
                samples.append((time.perf_counter() - start) * 1000)
            label = f"build_dashboard ({granularity.value})"
            print(
                f"{label:<34} {statistics.median(samples):>10.0f} {max(samples):>10.0f} {len(connection.queries):>8}"
            )
        client = Client()
        client.force_login(director.user)
        pass_second_factor(client, director.user)
        session = client.session
        session["current_cpas_id"] = cpas.pk
        session.save()
        samples = []
        for _ in range(RUNS):
            reset_queries()
            start = time.perf_counter()
            response = client.get("/observatory/?period=month")
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
        print(f"{'page /observatory/':<34} {statistics.median(samples):>10.0f} {max(samples):>10.0f} "
              f"{len(connection.queries):>8}")  # fmt: skip
    finally:
        settings.DEBUG = debug


def _all_cpas() -> None:
    import io
    import subprocess
    import types

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from piis.accounts.enums import Role
    from piis.observatory import metrics
    from piis.observatory.periods import Granularity, last_periods
    from piis.observatory.selectors import build_dashboard

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    subprocess.run([sys.executable, __file__], env={**env, "BENCH_ALL_CPAS": "0"}, check=False)  # the 5,000 files
    today = timezone.localdate()
    all_cpas.use_app_role()
    listed = all_cpas.each_cpas()
    print(
        f"\nobservatory, all CPAS of {all_cpas.BENCH_DB} as {all_cpas.APP_ROLE} (RLS): {len(listed)} CPAS, "
        f"{sum(files for _cpas, files in listed):,} files, as of {today}; {all_cpas.load_average()}",
        flush=True,
    )
    periods = last_periods(today, Granularity.MONTH)  # the twelve months of the nightly comparison
    loaded: dict[int, metrics.Data] = {}

    def load(cpas) -> None:
        loaded[cpas.pk] = metrics.load(cpas, start=periods[0].start, end=periods[-1].end, today=today)

    def tally(cpas) -> None:
        metrics.window_cells(metrics.tally(loaded.pop(cpas.pk), periods))

    def dashboard(cpas) -> None:  # a director's view (the whole CPAS); nobody of the set is excluded as the viewer
        director = types.SimpleNamespace(role=Role.DIRECTOR, cpas=cpas, user_id=0, team_id=None)
        build_dashboard(director, today=today, granularity=Granularity.MONTH)

    timings = [
        (all_cpas.Timings("observatory metrics.load, every CPAS"), load),
        (all_cpas.Timings("observatory metrics.tally, every CPAS"), tally),
        (all_cpas.Timings("observatory build_dashboard (month), every CPAS"), dashboard),
    ]
    all_cpas.time_each(timings, listed)
    for timing, _function in timings:
        print(timing.summary(), flush=True)
    out = io.StringIO()
    try:
        with all_cpas.counting() as queries, transaction.atomic():
            started = time.perf_counter()
            call_command("compute_equity", stdout=out)
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)  # figures not kept: the nightly run's own
    except Exception as error:  # e.g. a database not migrated to the command's table: said, the run goes on
        print(f"compute_equity, every CPAS: FAILED {error.__class__.__name__}: {str(error).splitlines()[0]}")
    else:
        print(
            f"compute_equity, every CPAS: {seconds:.1f} s, {len(queries):,} queries "
            f"({out.getvalue().strip()!r}; rolled back)",
            flush=True,
        )
    print(f"after: {all_cpas.load_average()}", flush=True)


def main(*, database_ready: bool = False) -> None:
    if all_cpas.enabled() and not database_ready:
        _all_cpas()
        return
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
