"""The deadline table: each file's deadlines as file_items computes them, stored so that an agenda is one query.

Kept fresh three ways (README.md beside this file, "The deadline table"):
- every write to something a file's deadlines are computed from marks the file changed (`DeadlineFile.computed_for`
  emptied, in the writer's transaction: piis.followup.signals), and the file is recomputed once that transaction
  commits (`refresh_changed`);
- time: each file's rows are stored with the first day on which they may change with time alone
  (`DeadlineFile.valid_until`, agenda.file_deadlines); they are fresh on day D when computed_for ≤ D < valid_until
  and nothing changed (`fresh_on`);
- a reader that finds files of the caseload it shows not fresh recomputes them first (`refresh_stale_for_user`,
  `refresh_stale_for_cpas`, bounded);
- the nightly run (send_reminders) recomputes the files whose day has come, then sends.
A file's rows are replaced under a lock on its DeadlineFile row, taken before its facts are read: two refreshes of
one file never interleave, and a write committed meanwhile is never marked as computed.
"""

import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from functools import partial

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from piis.accounts.models import ClosureDay
from piis.cases.models import Beneficiary
from piis.contracts.enums import ContractStatus
from piis.contracts.models import Contract
from piis.core import compiled
from piis.core.rls import SETTING, set_current_cpas
from piis.followup.agenda import Kind, file_deadlines, with_deadline_relations
from piis.followup.models import Deadline, DeadlineFile

logger = logging.getLogger(__name__)

BATCH = 1000  # files recomputed per round of queries (one per relation, as on the agenda of a whole caseload)
USER_REFRESH_LIMIT = 2000  # files a worker's page recomputes before it reads (a caseload: every stale one)
CPAS_REFRESH_LIMIT = 1000  # files the team view recomputes before it reads (the nightly run does the rest)
COMMIT_REFRESH_LIMIT = 100  # changed files recomputed after a commit (a closure day may change many: read lazily)


def _batches(ids: list[int], size: int = BATCH) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _attach(owners: list, lookups) -> None:
    """What prefetch_related does for with_deadline_relations' lookups (reverse foreign keys), one query per relation,
    without its cost per object (a queryset cloned per object and relation dominated the recomputation): the rows
    are put in each owner's prefetch cache as a list, so that `owner.relation.all()` returns them as it would."""
    if not owners:
        return
    model = type(owners[0])
    for lookup in lookups:
        name = lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup
        relation = model._meta.get_field(name)
        remote = relation.remote_field  # the foreign key on the related rows
        queryset = lookup.queryset if isinstance(lookup, Prefetch) and lookup.queryset is not None else None
        if queryset is None:
            queryset = relation.related_model._default_manager.all()
        nested = queryset._prefetch_related_lookups
        rows = list(queryset.prefetch_related(None).filter(**{f"{remote.attname}__in": [o.pk for o in owners]}))
        grouped = defaultdict(list)
        for row in rows:
            grouped[getattr(row, remote.attname)].append(row)
        for owner in owners:
            mine = grouped.get(owner.pk, [])
            for row in mine:
                remote.set_cached_value(row, owner)
            owner.__dict__.setdefault("_prefetched_objects_cache", {})[name] = mine
        _attach(rows, nested)


def files_with_deadline_relations(queryset) -> list[Beneficiary]:
    """The files of `queryset` with the relations of agenda.with_deadline_relations (the same querysets), loaded
    for file_items in one query per relation."""
    lookups = with_deadline_relations(queryset)._prefetch_related_lookups
    files = list(queryset.prefetch_related(None))
    _attach(files, lookups)
    return files


def _lock(cpas_id: int, ids: list[int], today: date) -> None:
    """Insert or update the files' DeadlineFile rows, in the order of the ids: their row locks, before the facts."""
    if connection.vendor != "postgresql":  # the demo on SQLite
        DeadlineFile.objects.bulk_create(
            [DeadlineFile(cpas_id=cpas_id, beneficiary_id=pk, computed_for=today) for pk in ids],
            update_conflicts=True,
            unique_fields=["beneficiary"],
            update_fields=["computed_for"],
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {DeadlineFile._meta.db_table} (cpas_id, beneficiary_id, computed_for)"
            " SELECT %s, id, %s FROM unnest(%s::bigint[]) AS ids(id)"
            " ON CONFLICT (beneficiary_id) DO UPDATE SET computed_for = EXCLUDED.computed_for",
            [cpas_id, today, ids],
        )


def _store(cpas_id: int, today: date, states: list[tuple[int, date | None]], rows: list[tuple]) -> None:
    """The files' first day of change, and their rows in place of their old ones (in arrays: a row object per
    deadline cost more than computing it)."""
    ids = [pk for pk, _until in states]
    if connection.vendor != "postgresql":  # the demo on SQLite: the same rows through the ORM
        DeadlineFile.objects.bulk_create(
            [DeadlineFile(cpas_id=cpas_id, beneficiary_id=pk, computed_for=today, valid_until=u) for pk, u in states],
            update_conflicts=True,
            unique_fields=["beneficiary"],
            update_fields=["computed_for", "valid_until"],
        )
        Deadline.objects.for_cpas(cpas_id).filter(beneficiary_id__in=ids).delete()
        Deadline.objects.bulk_create([_deadline(row) for row in rows])
        return
    # One statement: the files' first day of change, their old rows deleted, their new rows inserted from arrays
    # (COPY is refused under row-level security). Its parts share one snapshot: the DELETE never sees the new rows.
    columns = [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _column in DEADLINE_COLUMNS]
    arrays = ", ".join(f"%s::{kind}[]" for _name, kind in DEADLINE_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH files AS (UPDATE {DeadlineFile._meta.db_table} AS f SET computed_for = %s, valid_until = v.until"
            " FROM unnest(%s::bigint[], %s::date[]) AS v(id, until) WHERE f.beneficiary_id = v.id),"
            f" old AS (DELETE FROM {Deadline._meta.db_table}"
            " WHERE cpas_id = %s AND beneficiary_id = ANY(%s::bigint[]))"
            f" INSERT INTO {Deadline._meta.db_table} ({', '.join(name for name, _kind in DEADLINE_COLUMNS)})"
            f" SELECT * FROM unnest({arrays})",
            [today, ids, [until for _pk, until in states], cpas_id, ids, *columns],
        )


def _deadline(row: tuple) -> Deadline:
    fields = dict(zip((name for name, _kind in DEADLINE_COLUMNS), row, strict=True))
    fields["params"] = json.loads(fields["params"])
    return Deadline(**fields)


DEADLINE_COLUMNS = (  # (column, its type in the INSERT of arrays)
    ("cpas_id", "bigint"),
    ("beneficiary_id", "bigint"),
    ("contract_id", "bigint"),
    ("worker_id", "bigint"),
    ("kind", "text"),
    ("due_on", "date"),
    ("object_id", "bigint"),
    ("overdue", "boolean"),
    ("at_risk", "boolean"),
    ("params", "jsonb"),
    ("url", "text"),
    ("detail", "text"),
)


def refresh_files(*, cpas_id: int, beneficiary_ids: Iterable[int], today: date) -> int:
    """Recompute the deadlines of these files of one CPAS for `today` (idempotent), each with the first day on which
    they may change with time alone (`DeadlineFile.valid_until`). Returns the number of files.

    Per batch of files: their DeadlineFile rows locked, then one query per relation (files_with_deadline_relations),
    file_deadlines per file in Python, then one statement updating their DeadlineFile rows and replacing their
    rows."""
    ids = sorted(set(beneficiary_ids))
    if not ids:
        return 0
    closures = list(ClosureDay.objects.for_cpas(cpas_id).values_list("day", flat=True))
    done = 0
    with transaction.atomic():
        for chunk in _batches(ids):
            present = list(
                Beneficiary.objects.for_cpas(cpas_id).filter(pk__in=chunk).order_by("pk").values_list("pk", flat=True)
            )
            # The lock first (rows inserted or updated in the order of the ids), then the facts.
            _lock(cpas_id, present, today)
            files = files_with_deadline_relations(Beneficiary.objects.for_cpas(cpas_id).filter(pk__in=present))
            rows: list[tuple] = []
            states: list[tuple[int, date | None]] = []
            for beneficiary in files:
                items, valid_until = file_deadlines(beneficiary, today=today, closures=closures)
                states.append((beneficiary.pk, valid_until))
                rows.extend(
                    (
                        cpas_id,
                        beneficiary.pk,
                        item.contract.pk if item.contract is not None else None,
                        worker,
                        item.kind,
                        item.due_on,
                        item.object_id,
                        item.overdue,
                        item.at_risk,
                        json.dumps(item.params),
                        item.url,
                        item.detail,
                    )
                    for item in items
                    for worker in sorted(item.workers)
                )
            _store(cpas_id, today, states, rows)
            done += len(present)
    return done


def fresh_on(today: date) -> Q:
    """A DeadlineFile whose rows hold on `today`: computed for that day or before, not changed since, and not past
    the first day they may change with time alone (computed_for ≤ today < valid_until)."""
    return Q(computed_for__isnull=False, computed_for__lte=today) & (
        Q(valid_until__isnull=True) | Q(valid_until__gt=today)
    )


def _fresh(today: date):
    return Exists(DeadlineFile.objects.filter(fresh_on(today), beneficiary_id=OuterRef("pk")))


def _stale(qs, *, today: date, limit: int | None) -> list[int]:
    ids = qs.exclude(_fresh(today)).order_by("pk").values_list("pk", flat=True)
    return list(ids[:limit] if limit is not None else ids)


def worker_files(*, cpas, user):
    """The pks of the files of `user` (social worker of the file or of one of its contracts not ended), as a
    subquery, with those that still have rows on their agenda (a file just handed to a colleague)."""
    own = Beneficiary.objects.for_cpas(cpas).filter(social_worker=user).values("pk").order_by()
    contracts = Contract.objects.for_cpas(cpas).filter(social_worker=user).exclude(status=ContractStatus.ENDED)
    theirs = contracts.values("beneficiary_id").order_by()
    shown = Deadline.objects.for_cpas(cpas).filter(worker=user).values("beneficiary_id").order_by()
    return own.union(theirs, shown)


# fresh_on in SQL, for the caseload's query below (a DeadlineFile aliased f; the day twice).
FRESH_SQL = "f.computed_for IS NOT NULL AND f.computed_for <= %s AND (f.valid_until IS NULL OR f.valid_until > %s)"


def _stale_in_caseload(caseload, *, today: date, limit: int | None) -> list[int]:
    """The ids of the caseload (worker_files) whose rows are not fresh on `today`, in one query on the caseload's
    ids alone: joined to the CPAS's files, the planner chose a scan of all of them (40–70 ms on S, docs/performance.md)
    over a lookup per file of the caseload (about 1 ms). The lookup is a LATERAL subquery with LIMIT 1, which the
    planner cannot turn into an anti-join: a NOT EXISTS over a caseload of 300 files (1,700 rows before the UNION's
    deduplication) was hashed against every DeadlineFile of the CPAS (37 ms on S) instead of probed by its key."""
    if connection.vendor != "postgresql":  # the demo on SQLite
        files = Beneficiary.objects.filter(pk__in=caseload)
        return _stale(files, today=today, limit=limit)
    sql, params = caseload.query.sql_with_params()
    return _run_stale_query(sql, list(params), today=today, limit=limit)


def _stale_query(sql: str, params: list, *, today: date, limit: int | None) -> tuple[str, list]:
    query = (
        f"SELECT w.id FROM ({sql}) AS w(id) LEFT JOIN LATERAL (SELECT 1 AS fresh"
        f" FROM {DeadlineFile._meta.db_table} AS f WHERE f.beneficiary_id = w.id AND {FRESH_SQL} LIMIT 1) AS x"
        " ON true WHERE x.fresh IS NULL ORDER BY w.id"
    )
    args = [*params, today, today]
    if limit is not None:
        query += " LIMIT %s"
        args.append(limit)
    return query, args


def _run_stale_query(sql: str, params: list, *, today: date, limit: int | None) -> list[int]:
    query, args = _stale_query(sql, params, today=today, limit=limit)
    with connection.cursor() as cursor:
        cursor.execute(query, args)
        return [row[0] for row in cursor.fetchall()]


def read_fresh_for_user(*, cpas, user, today: date, sql: str, params: list, prepared: bool = False) -> list[tuple]:
    """The rows of `sql` (a read of `user`'s deadline rows) once their caseload is fresh on `today`, in one query when
    it is (PostgreSQL): the freshness check (refresh_stale_for_user's) and the read in one statement, which sees one
    snapshot; when files are found not fresh, they are recomputed and `sql` is run again alone. `prepared`: that
    statement is a prepared one (core.compiled.rows), for a read whose generic plan was measured as good as each
    caseload's own."""
    caseload, caseload_params = compiled.sql_for(("worker_files",), worker_files, cpas=cpas.pk, user=user.pk)
    stale_sql, stale_params = _stale_query(caseload, caseload_params, today=today, limit=USER_REFRESH_LIMIT)
    found = compiled.rows(
        f"SELECT s.ids, r.* FROM (SELECT array_agg(st.id) AS ids FROM ({stale_sql}) AS st) AS s"
        f" LEFT JOIN (SELECT 1 AS present, q.* FROM ({sql}) AS q) AS r ON true",
        [*stale_params, *params],
        prepared=prepared,
    )
    stale = found[0][0]
    if not stale:
        return [row[2:] for row in found if row[1] is not None]
    refresh_files(cpas_id=cpas.pk, beneficiary_ids=stale, today=today)
    return compiled.rows(sql, params)


def refresh_stale_for_user(*, cpas, user, today: date, limit: int | None = USER_REFRESH_LIMIT) -> int:
    """Recompute the files of `user`'s caseload whose rows are not fresh on `today` (fresh_on): one query when none."""
    if connection.vendor == "postgresql":  # worker_files' SQL compiled once (the same for every worker)
        sql, params = compiled.sql_for(("worker_files",), worker_files, cpas=cpas.pk, user=user.pk)
        stale = _run_stale_query(sql, params, today=today, limit=limit)
    else:
        stale = _stale_in_caseload(worker_files(cpas=cpas, user=user), today=today, limit=limit)
    return refresh_files(cpas_id=cpas.pk, beneficiary_ids=stale, today=today)


def files_with_deadlines(cpas):
    """The files of the CPAS whose deadlines someone's agenda may show: a social worker, a PIIS not ended, or rows
    on an agenda still (a file just handed over or closed). Any other file has no row, whatever the day: becoming
    one of these is a write (a worker, a contract), which marks the file changed."""
    open_contracts = Contract.objects.for_cpas(cpas).exclude(status=ContractStatus.ENDED).values("beneficiary_id")
    shown = Deadline.objects.for_cpas(cpas).values("beneficiary_id")
    return Beneficiary.objects.for_cpas(cpas).filter(
        Q(social_worker__isnull=False) | Q(pk__in=open_contracts) | Q(pk__in=shown)
    )


def refresh_stale_for_cpas(*, cpas, today: date, limit: int | None = CPAS_REFRESH_LIMIT) -> int:
    """Recompute the files of the CPAS that someone's agenda may show and whose rows do not hold on `today`: changed,
    or `today` reached their first day of change (fresh_on). The nightly run, with no limit."""
    files = files_with_deadlines(cpas)
    return refresh_files(cpas_id=cpas.pk, beneficiary_ids=_stale(files, today=today, limit=limit), today=today)


def rebuild_cpas(*, cpas, today: date) -> int:
    """Recompute, for `today`, every file of the CPAS that can have deadlines (files_with_deadlines: the others have
    no row to delete), whatever its state (the rebuild command; idempotent)."""
    ids = list(files_with_deadlines(cpas).order_by("pk").values_list("pk", flat=True))
    return refresh_files(cpas_id=cpas.pk, beneficiary_ids=ids, today=today)


# --- marking what changed ---------------------------------------------------------------------------------------


def mark_changed(*, cpas_id: int, beneficiary_ids=None, beneficiary_filter: Q | None = None) -> None:
    """In the writer's transaction: the deadlines of these files are to be recomputed (once it commits, or by the
    next reader). `beneficiary_filter` selects the files by a subquery (a child row knows its contract only)."""
    files = DeadlineFile.objects.for_cpas(cpas_id)
    if beneficiary_ids is not None:
        files = files.filter(beneficiary_id__in=list(beneficiary_ids))
    if beneficiary_filter is not None:
        files = files.filter(beneficiary_filter)
    files.exclude(computed_for__isnull=True).update(computed_for=None)
    _refresh_on_commit(cpas_id)


def mark_file_created(*, cpas_id: int, beneficiary_id: int) -> None:
    """A file saved: its DeadlineFile row exists (inserted if new), marked to be recomputed."""
    DeadlineFile.objects.bulk_create(
        [DeadlineFile(cpas_id=cpas_id, beneficiary_id=beneficiary_id, computed_for=None)],
        update_conflicts=True,
        unique_fields=["beneficiary"],
        update_fields=["computed_for"],
    )
    _refresh_on_commit(cpas_id)


def mark_closures_changed(*, cpas_id: int) -> None:
    """The CPAS's closure days move the conclusion deadlines (and only those): their files are to be recomputed."""
    with_conclusion = Deadline.objects.for_cpas(cpas_id).filter(kind=Kind.CONCLUSION).values("beneficiary_id")
    mark_changed(cpas_id=cpas_id, beneficiary_filter=Q(beneficiary_id__in=with_conclusion))


def _refresh_on_commit(cpas_id: int) -> None:
    pending = getattr(connection, "run_on_commit", [])
    if any(getattr(entry[1], "args", None) == (cpas_id,) and getattr(entry[1], "func", None) is refresh_changed
           for entry in pending):  # fmt: skip
        return  # once per transaction and CPAS
    transaction.on_commit(partial(refresh_changed, cpas_id))


def refresh_changed(cpas_id: int, *, today: date | None = None) -> int:
    """After a commit: recompute the files of the CPAS marked changed (a few; the rest when read). Never raises:
    what was committed stays, and a reader recomputes what is still marked."""
    try:
        with transaction.atomic():
            before = _current_setting()
            set_current_cpas(cpas_id)
            changed = DeadlineFile.objects.for_cpas(cpas_id).filter(computed_for__isnull=True)
            ids = list(
                changed.order_by("beneficiary_id").values_list("beneficiary_id", flat=True)[:COMMIT_REFRESH_LIMIT]
            )
            done = refresh_files(cpas_id=cpas_id, beneficiary_ids=ids, today=today or timezone.localdate())
            set_current_cpas(int(before) if before else None)
            return done
    except Exception:  # a deadline recomputed later is better than a request that fails after its commit
        logger.exception("Deadlines of CPAS %s not recomputed after a commit (done when next read)", cpas_id)
        return 0


def _current_setting() -> str:
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true)", [SETTING])
        return cursor.fetchone()[0] or ""
