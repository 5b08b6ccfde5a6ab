"""The benchmark data sets of `../shared/design/scale.md` (issue 15), built inside PostgreSQL.

`manage.py bench_data --scale S|N [--fraction F]` fills a database whose name contains "bench" (never the test or
the demo database) with fictitious CPAS, staff, files, RI decisions, PIIS in every state, versions, evaluations,
meeting requests and a year of audit rows. Rows are made by `INSERT … SELECT generate_series(…)` inside the server
(bulk inserts, no Python loop per row), one CPAS at a time, with a fixed random seed: the same command gives the same
distributions. Names come from lists of Belgian first and last names with accents, particles and double names, their
search keys computed by `cases.models.search_key` itself.

S: one large CPAS (90,000 people, 15,000 active files) and two small ones. N: 581 CPAS, skewed like reality (the five
largest with 8,000–13,300 active files, most with a few hundred), 1M people, 160,000 active. `--fraction` builds the
largest CPAS of N first, until that share of the people is reached (a part of N that fits a given time).

Three workers of the first CPAS carry exactly 50, 150 and 300 files (`bench_w50`, `bench_w150`, `bench_w300`), the
agendas `make bench` times; `bench_dpo` is its data-protection officer. Accounts have no usable password.
"""

import datetime
import random
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from piis.cases.models import search_key

SEED = 15


@dataclass(frozen=True)
class Volumes:
    people: int
    active: int
    contracts_per_person: float
    evaluations_per_contract: float
    audit_rows: int
    staff_per_cpas: int  # besides the social workers: a DPO, a team lead, a director


SCALES = {
    "S": Volumes(people=90_000, active=15_000, contracts_per_person=1.0, evaluations_per_contract=3.0,
                 audit_rows=4_000_000, staff_per_cpas=3),
    "N": Volumes(people=1_000_000, active=160_000, contracts_per_person=1.0, evaluations_per_contract=3.0,
                 audit_rows=40_000_000, staff_per_cpas=3),
}  # fmt: skip

FIRST_NAMES = [
    "Marie",
    "Jean",
    "Émile",
    "Zoé",
    "Noël",
    "Hélène",
    "Loïc",
    "Jérôme",
    "Anaïs",
    "Léa",
    "Thomas",
    "Lucas",
    "Sophie",
    "Pieter",
    "Jan",
    "Els",
    "Joke",
    "Bart",
    "Wim",
    "Fatima",
    "Mohamed",
    "Youssef",
    "Aïcha",
    "Nathalie",
    "Frédéric",
    "Céline",
    "Benoît",
    "Gaëlle",
    "Inès",
    "Maëlle",
    "Chloé",
    "Théo",
    "Louis",
    "Emma",
    "Olivia",
    "Arthur",
    "Noah",
    "Liam",
    "Mila",
    "Jules",
    "Victor",
    "Adam",
    "Nora",
    "Sarah",
    "Lina",
    "Hugo",
    "Mathis",
    "Elise",
    "Lotte",
    "Lieselotte",
    "Ruben",
    "Seppe",
    "Fien",
    "Kobe",
    "Wout",
    "Jonas",
    "Sien",
    "Yasmine",
    "Amina",
    "Karim",
    "Rachid",
    "Samira",
    "Nadia",
    "Dragan",
    "Ana",
    "Ioana",
    "Piotr",
    "Agnieszka",
    "Mamadou",
    "Aminata",
    "Oumar",
    "Françoise",
    "Gérard",
    "Michèle",
    "Danielle",
    "Raphaël",
    "Joël",
    "Anne-Sophie",
    "Jean-Pierre",
    "Marie-Claire",
    "Pierre-Yves",
    "José",
    "Ángel",
]
LAST_BASES = [
    "Dupont",
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "Dubois",
    "Lambert",
    "Dupuis",
    "Lejeune",
    "Renard",
    "Leclercq",
    "François",
    "Gérard",
    "Lefèvre",
    "Mathieu",
    "Hermans",
    "Michiels",
    "Smets",
    "Desmet",
    "Laurent",
    "Martin",
    "Simon",
    "Denis",
    "Dumont",
    "Bogaert",
    "Vermeulen",
    "Hendrickx",
    "Aerts",
    "Pauwels",
    "Verstraeten",
    "Dewulf",
    "Cools",
    "Lemaire",
    "Collard",
    "Fontaine",
    "Chevalier",
    "Benoît",
    "Noël",
    "Hubert",
    "Pirson",
    "Gilson",
    "Masson",
    "Thiry",
    "Jadoul",
    "Bertrand",
    "Wauters",
    "Stevens",
    "Vandamme",
    "Verhoeven",
    "Declercq",
    "Baert",
    "Nowak",
    "Kowalski",
    "Öztürk",
    "Yilmaz",
    "Demir",
    "Benali",
    "Amrani",
    "Haddou",
    "Diallo",
    "Mbuyi",
    "Kabila",
    "Nguyen",
    "Rossi",
    "Esposito",
    "García",
    "Fernández",
    "Moreau",
    "Rousseau",
    "Müller",
    "Schröder",
    "Böhm",
    "Jäger",
    "Dąbrowski",
    "Łukasz",
    "Şahin",
    "Çelik",
    "Ribeiro",
    "Gonçalves",
]
PARTICLES = ("", "", "", "", "Van ", "Van den ", "Vanden", "De ", "Le ", "Du ", "Van der ", "El ", "D'")
# Active files per CPAS (N): the five largest, then the others on a Zipf curve.
LARGEST = (13_300, 11_500, 10_000, 9_000, 8_000)
N_CPAS = 581


def _last_names(rng: random.Random, count: int = 5000) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        name = rng.choice(PARTICLES) + rng.choice(LAST_BASES)
        if rng.random() < 0.12:
            name += "-" + rng.choice(LAST_BASES)
        names.add(name)
    # In a random order: the people draw them on a skewed curve (below), and in alphabetical order the heaviest
    # weights fell on one base name and its compounds ("aerts" matched 7 % of a CPAS; Peeters, Belgium's most
    # common surname, is about 0.3 %).
    ordered = sorted(names)
    rng.shuffle(ordered)
    return ordered


def national_active_sizes(total_active: int) -> list[int]:
    """Active files per CPAS for N, largest first: LARGEST, then a Zipf share of the rest, at least 5 each."""
    rest = total_active - sum(LARGEST)
    weights = [1 / (rank + 6) ** 1.1 for rank in range(N_CPAS - len(LARGEST))]
    scale = rest / sum(weights)
    return [*LARGEST, *(max(5, round(w * scale)) for w in weights)]


def plan(scale: str, fraction: float) -> list[tuple[str, int, int]]:
    """(name, people, active) per CPAS to build, largest first."""
    volumes = SCALES[scale]
    ratio = volumes.people / volumes.active
    sizes = [volumes.active, 300, 300] if scale == "S" else national_active_sizes(volumes.active)
    cpas = [(f"CPAS bench {i + 1:03d}", round(active * ratio), active) for i, active in enumerate(sizes)]
    if fraction >= 1:
        return cpas
    chosen, people = [], 0
    for row in cpas:
        if people >= fraction * sum(p for _, p, _ in cpas):
            break
        chosen.append(row)
        people += row[1]
    return chosen


def _caseloads(rng: random.Random, active: int, first: bool) -> list[int]:
    """Files per social worker: 100–200 each (fewer for the last); the first CPAS starts with 50, 150, 300."""
    loads = [50, 150, 300] if first and active >= 1000 else []
    left = active - sum(loads)
    while left > 0:
        load = min(left, rng.randint(100, 200))
        loads.append(load)
        left -= load
    return loads


BUILT_TABLES = (
    "accounts_cpas", "accounts_user", "accounts_membership", "cases_beneficiary", "cases_namesearch",
    "cases_ridecision", "cases_exemption", "contracts_contract", "contracts_contractversion", "contracts_objective",
    "contracts_step", "contracts_clause", "followup_evaluation", "followup_meetingrequest", "audit_auditevent",
)  # fmt: skip
# The tables that grow with the set: their secondary indexes, unique and foreign-key constraints are dropped for the
# load and made again once at the end (an index built once is 5–10 times faster than maintained row by row; Django's
# foreign keys are DEFERRABLE INITIALLY DEFERRED, so each inserted row queued a check run at COMMIT, which alone took
# minutes; re-adding the constraint checks every row in one join).
BIG_TABLES = BUILT_TABLES[3:]
EMPTY = {"character varying": "''", "text": "''", "jsonb": "'{}'", "boolean": "false", "integer": "0",
         "smallint": "0", "bigint": "0", "numeric": "0"}  # fmt: skip


def _drop_load_obstacles(tables) -> list[str]:
    """Drop the secondary indexes and the unique and foreign-key constraints of `tables` (a partitioned table: with
    those of its partitions); returns the statements that make them again, indexes
    first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype "
            "FROM pg_constraint c WHERE c.contype IN ('f', 'u') AND c.conparentid = 0 "
            "AND c.conrelid::regclass::text = ANY(%s) "
            "ORDER BY c.contype",  # f before u: a foreign key goes before the key it may rest on
            [list(tables)],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) AND i.schemaname = 'public' "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [list(tables)],
        )
        indexes = cursor.fetchall()
        for table, name, _definition, _kind in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    # Unique constraints before the foreign keys that may rest on them.
    constraints.sort(key=lambda row: row[3] != "u")
    return [
        *(definition.replace(" ON ONLY ", " ON ", 1) for _name, definition in indexes),
        *(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for table, name, definition, _ in constraints),
    ]


def _default_new_columns() -> list[str]:
    """Columns added by later migrations (NOT NULL, no default in the database: Django fills them) get an empty
    default for the load, so that the build keeps working as models grow; returns the statements that drop them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_name = ANY(%s) "
            "AND is_nullable = 'NO' AND column_default IS NULL AND column_name <> 'id' AND is_identity = 'NO'",
            [list(BUILT_TABLES)],
        )
        columns = [row for row in cursor.fetchall() if row[2] in EMPTY]
        for table, column, kind in columns:
            cursor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET DEFAULT {EMPTY[kind]}')
    return [f'ALTER TABLE "{table}" ALTER COLUMN "{column}" DROP DEFAULT' for table, column, _kind in columns]


def _exec(sql: str, params=None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _scalar(sql: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


class _ids:
    """The ids a statement adds to `table`: `_ids(t)` before it, `.close()` after it; `.bounds` = [first, last]."""

    def __init__(self, table: str):
        self.table = table
        self.bounds = [_scalar(f"SELECT COALESCE(max(id), 0) FROM {table}") + 1, 0]

    def close(self) -> "_ids":
        self.bounds[1] = _scalar(f"SELECT COALESCE(max(id), 0) FROM {self.table}")
        return self


TEXTS = {
    "fr": ("Suivre une formation qualifiante", "Attestation de réussite", "S'inscrire au centre de formation",
           "Participer aux séances de formation", "Prendre en charge les frais d'inscription"),
    "nl": ("Een beroepsopleiding volgen", "Attest van slagen", "Inschrijven bij het opleidingscentrum",
           "De opleidingssessies bijwonen", "De inschrijvingskosten ten laste nemen"),
}  # fmt: skip


def _contents(contract_ids: "_ids", language: str) -> None:
    """What the agenda reads of a PIIS not ended: two objectives with due dates (some overdue, most to come), a step
    for the person under each, a commitment of the person and one of the CPAS with due dates, one in four in
    progress."""
    objective, result, step, commitment, support = TEXTS[language]
    objective_ids = _ids("contracts_objective")
    _exec(
        """
        INSERT INTO contracts_objective (title, observable_result, due_on, position, stage, contract_id, cpas_id)
        SELECT %s || CASE WHEN k = 2 THEN ' (2)' ELSE '' END, %s,
               COALESCE(c.start_on, current_date) - 20 + ((c.id * 7 + k * 61) %% 200)::int, k, NULL, c.id, c.cpas_id
        FROM contracts_contract c, generate_series(1, 2) k
        WHERE c.id BETWEEN %s AND %s AND c.status <> 'ended'
        """,
        [objective, result, *contract_ids.bounds],
    )
    objective_ids.close()
    _exec(
        """
        INSERT INTO contracts_step (description, owner, due_on, position, objective_id, cpas_id)
        SELECT %s, 'beneficiary', o.due_on - 30, 0, o.id, o.cpas_id
        FROM contracts_objective o WHERE o.id BETWEEN %s AND %s
        """,
        [step, *objective_ids.bounds],
    )
    _exec(
        """
        INSERT INTO contracts_clause (kind, text, proposed_by, position, discussion, sanctionable, obligation, due_on,
            delivery_status, delivery_status_on, template_text, "order", party, contract_id, objective_id, cpas_id)
        SELECT CASE WHEN p = 'beneficiary' THEN 'training' ELSE 'cost_coverage' END,
               CASE WHEN p = 'beneficiary' THEN %s ELSE %s END, p, 'agreed', '', p = 'beneficiary', 'means',
               o.due_on - CASE WHEN p = 'cpas' THEN 60 ELSE 0 END,
               CASE WHEN o.id %% 4 = 0 THEN 'in_progress' ELSE 'planned' END,
               CASE WHEN o.id %% 4 = 0 THEN current_date - (o.id %% 30)::int END, '',
               CASE WHEN p = 'beneficiary' THEN 0 ELSE 1 END, p, o.contract_id, o.id, o.cpas_id
        FROM contracts_objective o, unnest(ARRAY['beneficiary', 'cpas']) p
        WHERE o.id BETWEEN %s AND %s AND o.position = 1
        """,
        [commitment, support, *objective_ids.bounds],
    )


def _exemptions(people_ids: "_ids") -> None:
    """One active file in fifty exempted (R9–R12): health or equity, review dates around today, a few lifted."""
    _exec(
        """
        INSERT INTO cases_exemption (ground, motivation, decided_on, decided_by, start_on, review_on, end_on,
            lifted_on, beneficiary_id, cpas_id)
        SELECT CASE WHEN b.id %% 3 = 0 THEN 'equity' ELSE 'health' END, 'Bench', s - 5, 'Comité spécial', s,
               s + 180, CASE WHEN b.id %% 2 = 0 THEN s + 365 END, CASE WHEN b.id %% 7 = 0 THEN s + 90 END,
               b.id, b.cpas_id
        FROM cases_beneficiary b, LATERAL (SELECT current_date - 150 - (b.id %% 60)::int AS s) d
        WHERE b.id BETWEEN %s AND %s AND b.social_worker_id IS NOT NULL AND b.id %% 50 = 7
        """,
        people_ids.bounds,
    )


def build(scale: str, fraction: float = 1.0, *, audit_fraction: float | None = None, out=print) -> dict:
    """Fill the current database; returns the figures (rows per table, seconds, size)."""
    from piis.audit.partitions import ensure_month_partitions

    name = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or "bench" not in str(name):
        raise ValueError(f"bench_data builds only into a PostgreSQL database named *bench* (not {name!r}).")
    if _scalar("SELECT count(*) FROM accounts_cpas WHERE name LIKE 'CPAS bench %%'"):
        raise ValueError(f"{name} already holds bench data: drop and re-create it first (make bench-reset).")
    rng = random.Random(SEED)
    volumes = SCALES[scale]
    cpas_plan = plan(scale, fraction)
    people_total = sum(p for _, p, _ in cpas_plan)
    audit_total = round(volumes.audit_rows * people_total / volumes.people * (audit_fraction or 1.0))
    last_names = _last_names(rng)
    last_keys = [search_key(n) for n in last_names]
    first_keys = [search_key(n) for n in FIRST_NAMES]
    ensure_month_partitions(timezone.localdate().replace(day=1) - datetime.timedelta(days=370), 15)
    started = time.monotonic()
    _exec("SELECT setseed(0.15)")
    with transaction.atomic():  # all or nothing: a failed build leaves an empty database, not half a set
        # For the load only: no wait for the disk at COMMIT (a crash loses the set, never corrupts the database),
        # memory enough to sort the index builds.
        _exec("SET LOCAL synchronous_commit = off")
        _exec("SET LOCAL maintenance_work_mem = '512MB'")
        _exec("SET LOCAL work_mem = '64MB'")
        big = [table for table in BIG_TABLES if _scalar("SELECT to_regclass(%s) IS NOT NULL", [table])]
        # cases_namesearch (the name search's keys, filled by a trigger on the people) appears with cases 0005.
        remake = _drop_load_obstacles(big) if people_total > 5_000 else []
        drop_defaults = _default_new_columns()
        for index, (cpas_name, people, active) in enumerate(cpas_plan):
            loads = _caseloads(rng, active, first=index == 0)
            audit_rows = round(audit_total * people / people_total)
            _build_cpas(
                index, cpas_name, people, active, loads, audit_rows, volumes, last_names, last_keys, first_keys
            )
            if index < 5 or index % 50 == 0:
                out(f"  {cpas_name}: {people} people, {active} active, {len(loads)} workers, {audit_rows} audit rows "
                    f"({time.monotonic() - started:.0f} s)")  # fmt: skip
            if index in (0, 2, 10, 50, 200):  # fresh statistics for the planner while the tables grow
                for table in big:
                    _exec(f"ANALYZE {table}")
        loaded = time.monotonic()
        out(f"  rows loaded in {loaded - started:.0f} s; indexes and constraints…")
        for statement in remake:
            _exec(statement)
        out(f"  {len(remake)} indexes and constraints made in {time.monotonic() - loaded:.0f} s")
    for statement in drop_defaults:  # after the load
        _exec(statement)
    seconds = time.monotonic() - started
    tables = ["accounts_cpas", "accounts_user", *big]
    for table in tables:
        _exec(f"ANALYZE {table}")
    rows = {table: _scalar(f"SELECT count(*) FROM {table}") for table in tables}
    size = _scalar("SELECT pg_database_size(current_database())")
    return {"seconds": seconds, "rows": rows, "bytes": size, "cpas": len(cpas_plan)}


def _build_cpas(index, cpas_name, people, active, loads, audit_rows, volumes, last_names, last_keys, first_keys):
    region, language = (("flanders", "nl") if index % 2 else ("wallonia", "fr")) if index else ("brussels", "fr")
    cpas_id = _scalar(
        "INSERT INTO accounts_cpas (name, nis_code, region, working_languages) VALUES (%s, %s, %s, %s) RETURNING id",
        [cpas_name, f"{90000 + index:05d}", region, f'["{language}"]'],
    )
    prefix = f"b{index + 1:03d}"
    special = {50: "bench_w50", 150: "bench_w150", 300: "bench_w300"} if index == 0 else {}
    # Staff: one social worker per caseload, then a DPO, a team lead and a director.
    names = [
        special.get(load, f"{prefix}_sw{k:03d}") if k < 3 else f"{prefix}_sw{k:03d}" for k, load in enumerate(loads)
    ]
    roles = ["social_worker"] * len(loads) + ["dpo", "team_lead", "director"][: volumes.staff_per_cpas]
    names += [("bench_dpo" if index == 0 else f"{prefix}_dpo"), f"{prefix}_lead", f"{prefix}_director"][
        : volumes.staff_per_cpas
    ]
    _exec(
        "INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff, "
        "is_active, date_joined, preferred_language) "
        "SELECT '!', false, u, 'Bench', u, u || '@bench.invalid', false, true, now(), %s FROM unnest(%s::text[]) u",
        [language, names],
    )
    _exec(
        "INSERT INTO accounts_membership (role, is_active, cpas_id, user_id) "
        "SELECT r, true, %s, (SELECT id FROM accounts_user WHERE username = u) "
        "FROM unnest(%s::text[], %s::text[]) AS t(u, r)",
        [cpas_id, names, roles],
    )
    workers = [_scalar("SELECT id FROM accounts_user WHERE username = %s", [n]) for n in names[: len(loads)]]
    bounds = []  # width_bucket thresholds: file g (1-based) belongs to worker width_bucket(g, bounds)
    total = 0
    for load in loads:
        bounds.append(total + 1)
        total += load
    # Each table's rows of this CPAS are an id range (one session inserts, ids follow each other): the per-CPAS
    # statements read their parents by primary key, not by a scan of cpas_id, whose index is dropped for the load.
    people_ids = _ids("cases_beneficiary")
    # People: the first `active` are the active files, each with its social worker.
    _exec(
        """
        INSERT INTO cases_beneficiary (first_name, last_name, birth_date, national_number, language, email, phone,
            address, notes, search_name, created_at, updated_at, cpas_id, social_worker_id)
        SELECT fn[fi], ln[li], bd,
            body || lpad((97 - ((CASE WHEN bd >= date '2000-01-01' THEN '2' ELSE '' END) || body)::bigint %% 97)::text,
                         2, '0'),
            %(language)s, '', '', '', '', lk[li] || ' ' || fk[fi], now() - (g %% 3650) * interval '1 day', now(),
            %(cpas)s, CASE WHEN g <= %(active)s THEN (%(workers)s::bigint[])[width_bucket(g, %(bounds)s::int[])] END
        FROM (
            SELECT g, 1 + floor(random() * array_length(%(fn)s::text[], 1))::int AS fi,
                   1 + floor(power(random(), 1.6) * array_length(%(ln)s::text[], 1))::int AS li,
                   date '1955-01-01' + (g %% 18000) AS bd,
                   1 + g / 18000 AS serial
            FROM generate_series(1, %(people)s) g
        ) s, LATERAL (SELECT to_char(bd, 'YYMMDD') || lpad(serial::text, 3, '0') AS body) b,
        LATERAL (SELECT %(fn)s::text[] AS fn, %(ln)s::text[] AS ln, %(fk)s::text[] AS fk, %(lk)s::text[] AS lk) n
        """,
        {
            "language": language, "cpas": cpas_id, "active": active, "workers": workers, "bounds": bounds,
            "fn": FIRST_NAMES, "ln": last_names, "fk": first_keys, "lk": last_keys, "people": people,
        },
    )  # fmt: skip
    people_ids = people_ids.close()
    decision_ids = _ids("cases_ridecision")
    # One RI decision per person: running for the active files (decided within two years), ended for the others.
    _exec(
        """
        INSERT INTO cases_ridecision (category, requested_on, decided_on, notified_on, start_on, end_on,
            monthly_amount, employed_with_top_up, full_time_studies, notes, created_at, beneficiary_id, cpas_id)
        SELECT 1 + b.id %% 3, s - 30, s - 10, s - 5, s,
               CASE WHEN b.social_worker_id IS NULL THEN s + 400 END,
               1263.17, false, b.id %% 17 = 0, '', now(), b.id, b.cpas_id
        FROM cases_beneficiary b,
             LATERAL (SELECT CASE WHEN b.social_worker_id IS NULL THEN current_date - 800 - (b.id %% 2800)::int
                                  ELSE current_date - 20 - (b.id %% 700)::int END AS s) d
        WHERE b.id BETWEEN %s AND %s
        """,
        people_ids.bounds,
    )
    decision_ids = decision_ids.close()
    contract_ids = _ids("contracts_contract")
    # Contracts (about one per person): ended for past files; for active files, every state, ~47 % in force.
    _exec(
        """
        INSERT INTO contracts_contract (orientations, status, start_on, end_on, evaluation_arrangements,
            beneficiary_comments, late_motivation, signed_on, editing_amendment, ended_on, end_reason, created_at,
            updated_at, beneficiary_id, cpas_id, ri_decision_id, social_worker_id)
        SELECT '["professional"]', st,
               CASE WHEN st IN ('in_force', 'ended') THEN r.start_on + 40 END,
               CASE WHEN st IN ('in_force', 'ended') THEN r.start_on + 40 + 365 END,
               '', '', '', CASE WHEN st IN ('in_force', 'ended') THEN r.start_on + 40 END, false,
               CASE WHEN st = 'ended' THEN LEAST(r.start_on + 300, current_date - 1) END,
               CASE WHEN st = 'ended' THEN 'completed' ELSE '' END, now(), now(), b.id, b.cpas_id, r.id,
               COALESCE(b.social_worker_id, (%s::bigint[])[1 + b.id %% %s])
        FROM cases_beneficiary b JOIN cases_ridecision r ON r.beneficiary_id = b.id,
             LATERAL (SELECT CASE
                 WHEN b.social_worker_id IS NULL THEN 'ended'
                 WHEN b.id %% 100 < 47 THEN 'in_force'
                 WHEN b.id %% 100 < 59 THEN 'draft'
                 WHEN b.id %% 100 < 65 THEN 'handed_over'
                 WHEN b.id %% 100 < 70 THEN 'awaiting_signatures'
                 ELSE 'ended' END AS st) x
        WHERE b.id BETWEEN %s AND %s AND r.id BETWEEN %s AND %s
          AND (b.social_worker_id IS NOT NULL OR random() < %s)
        """,
        [workers, len(workers), *people_ids.bounds, *decision_ids.bounds, min(1.0, volumes.contracts_per_person)],
    )
    contract_ids = contract_ids.close()
    _exec(
        """
        INSERT INTO contracts_contractversion (number, kind, reason, snapshot, language, handed_over_on,
            information_given_on, rights_given, assistance, assisted_by, concluded_on, superseded, created_at,
            contract_id, cpas_id, handed_over_by_id, information_given_by_id)
        SELECT 1, 'initial', '', '{}', %s, COALESCE(c.start_on, current_date - 3) - 10,
               COALESCE(c.start_on, current_date - 3) - 10, '[]', '', '', c.signed_on, false, now(), c.id, c.cpas_id,
               c.social_worker_id, c.social_worker_id
        FROM contracts_contract c WHERE c.id BETWEEN %s AND %s AND c.status <> 'draft'
        """,
        [language, *contract_ids.bounds],
    )
    # Evaluations: about three per contract that ran, every ~100 days from its start, none in the future.
    per = volumes.evaluations_per_contract
    _exec(
        """
        INSERT INTO followup_evaluation (held_on, mode, beneficiary_present, assistant_present, other_participants,
            difficulties, adjustments, beneficiary_comment, created_at, contract_id, cpas_id, recorded_by_id)
        SELECT c.start_on + k * 100, (ARRAY['office','home_visit','video','phone'])[1 + (c.id + k) %% 4], true, '',
               '', '', '', '', now(), c.id, c.cpas_id, c.social_worker_id
        FROM contracts_contract c, generate_series(1, %s) k
        WHERE c.id BETWEEN %s AND %s AND c.status IN ('in_force', 'ended') AND c.start_on + k * 100 < current_date
        """,
        [max(1, round(per * 1.4)), *contract_ids.bounds],
    )
    _contents(contract_ids, language)
    _exemptions(people_ids)
    # Meeting requests: one in five active files asked for one; a third still open.
    _exec(
        """
        INSERT INTO followup_meetingrequest (requested_on, requested_by, subject, deadline, status, held_on,
            created_at, beneficiary_id, cpas_id, recorded_by_id)
        SELECT d, 'beneficiary', '', d + 30, CASE WHEN b.id %% 3 = 0 THEN 'open' ELSE 'held' END,
               CASE WHEN b.id %% 3 = 0 THEN NULL ELSE d + 12 END, now(), b.id, b.cpas_id, b.social_worker_id
        FROM cases_beneficiary b, LATERAL (SELECT current_date - (b.id %% 60)::int AS d) x
        WHERE b.id BETWEEN %s AND %s AND b.social_worker_id IS NOT NULL AND b.id %% 5 = 0
        """,
        people_ids.bounds,
    )
    # A year of audit rows: mostly files opened by their worker, some changes, spread over the year.
    if audit_rows:
        low, high = people_ids.bounds
        span = max(1, min(high - low + 1, active or 1))
        _exec(
            """
            INSERT INTO audit_auditevent (occurred_at, actor_label, verb, target_type, target_id, target_repr,
                beneficiary_id, changes, context, actor_id, cpas_id)
            SELECT now() - interval '365 days' + (g + random()) * interval '365 days' / %s, (%s::text[])[k],
                   (ARRAY['file_opened','file_opened','file_opened','contract_opened','evaluation_recorded',
                          'file_list_opened','meeting_requested'])[1 + g %% 7],
                   'cases.beneficiary', f, 'File ' || f, f, '{}', '/files/' || f || '/', (%s::bigint[])[k],
                   %s
            FROM generate_series(1, %s) g,
                 LATERAL (SELECT %s + (g::bigint * 7919) %% %s AS f, 1 + g %% %s AS k) x
            """,
            [audit_rows, names[: len(loads)], workers, cpas_id, audit_rows, low, span, len(workers)],
        )
