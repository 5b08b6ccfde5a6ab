"""The deadline table: each file's deadlines as file_items computes them, stored so that an agenda is one query.

Kept fresh three ways (README.md beside this file, "The deadline table"):
- every write to something a file's deadlines are computed from marks the file changed (`DeadlineFile.computed_for`
  emptied, in the writer's transaction: piis.followup.signals), and the file is recomputed once that transaction
  commits (`refresh_changed`);
- a reader that finds files of the caseload it shows computed for an earlier day, or changed, recomputes them first
  (`refresh_stale_for_user`, `refresh_stale_for_cpas`, bounded);
- the nightly run (send_reminders) recomputes every file not yet computed for the day, then sends.
A file's rows are replaced under a lock on its DeadlineFile row, taken before its facts are read: two refreshes of
one file never interleave, and a write committed meanwhile is never marked as computed.
"""

import logging
from collections.abc import Iterable
from datetime import date
from functools import partial

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from piis.accounts.models import ClosureDay
from piis.cases.models import Beneficiary
from piis.contracts.enums import ContractStatus
from piis.contracts.models import Contract
from piis.core.rls import SETTING, set_current_cpas
from piis.followup.agenda import Kind, file_deadlines, with_deadline_relations
from piis.followup.models import Deadline, DeadlineFile

logger = logging.getLogger(__name__)

BATCH = 200  # files recomputed per round of queries (one per relation, as on the agenda of a whole caseload)
USER_REFRESH_LIMIT = 2000  # files a worker's page recomputes before it reads (a caseload: every stale one)
CPAS_REFRESH_LIMIT = 1000  # files the team view recomputes before it reads (the nightly run does the rest)
COMMIT_REFRESH_LIMIT = 100  # changed files recomputed after a commit (a closure day may change many: read lazily)


def _batches(ids: list[int], size: int = BATCH) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def refresh_files(*, cpas_id: int, beneficiary_ids: Iterable[int], today: date) -> int:
    """Recompute the deadlines of these files of one CPAS for `today` (idempotent), each with the first day on which
    they may change with time alone (`DeadlineFile.valid_until`). Returns the number of files."""
    ids = sorted(set(beneficiary_ids))
    if not ids:
        return 0
    closures = list(ClosureDay.objects.for_cpas(cpas_id).values_list("day", flat=True))
    done = 0
    with transaction.atomic():
        for chunk in _batches(ids):
            present = set(Beneficiary.objects.for_cpas(cpas_id).filter(pk__in=chunk).values_list("pk", flat=True))
            # The lock first (rows inserted or updated in the order of the ids), then the facts.
            DeadlineFile.objects.bulk_create(
                [
                    DeadlineFile(cpas_id=cpas_id, beneficiary_id=pk, computed_for=today)
                    for pk in chunk
                    if pk in present
                ],
                update_conflicts=True,
                unique_fields=["beneficiary"],
                update_fields=["computed_for"],
            )
            files = with_deadline_relations(Beneficiary.objects.for_cpas(cpas_id).filter(pk__in=present))
            rows = []
            states = []
            for beneficiary in files:
                items, valid_until = file_deadlines(beneficiary, today=today, closures=closures)
                states.append(
                    DeadlineFile(
                        cpas_id=cpas_id, beneficiary_id=beneficiary.pk, computed_for=today, valid_until=valid_until
                    )
                )
                rows.extend(
                    Deadline(
                        cpas_id=cpas_id,
                        beneficiary_id=beneficiary.pk,
                        contract_id=item.contract.pk if item.contract is not None else None,
                        worker_id=worker,
                        kind=item.kind,
                        due_on=item.due_on,
                        object_id=item.object_id,
                        overdue=item.overdue,
                        at_risk=item.at_risk,
                        params=item.params,
                        url=item.url,
                        detail=item.detail,
                    )
                    for item in items
                    for worker in sorted(item.workers)
                )
            DeadlineFile.objects.bulk_create(
                states,
                update_conflicts=True,
                unique_fields=["beneficiary"],
                update_fields=["computed_for", "valid_until"],
            )
            Deadline.objects.for_cpas(cpas_id).filter(beneficiary_id__in=chunk).delete()
            Deadline.objects.bulk_create(rows)
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


def refresh_stale_for_user(*, cpas, user, today: date, limit: int | None = USER_REFRESH_LIMIT) -> int:
    """Recompute the files of `user`'s caseload not computed for `today` (or changed since): one query when none."""
    files = Beneficiary.objects.for_cpas(cpas).filter(pk__in=worker_files(cpas=cpas, user=user))
    return refresh_files(cpas_id=cpas.pk, beneficiary_ids=_stale(files, today=today, limit=limit), today=today)


def refresh_stale_for_cpas(*, cpas, today: date, limit: int | None = CPAS_REFRESH_LIMIT) -> int:
    """Recompute the files of the CPAS that someone's agenda may show and that are not computed for `today`."""
    open_contracts = Contract.objects.for_cpas(cpas).exclude(status=ContractStatus.ENDED).values("beneficiary_id")
    shown = Deadline.objects.for_cpas(cpas).values("beneficiary_id")
    files = Beneficiary.objects.for_cpas(cpas).filter(
        Q(social_worker__isnull=False) | Q(pk__in=open_contracts) | Q(pk__in=shown)
    )
    return refresh_files(cpas_id=cpas.pk, beneficiary_ids=_stale(files, today=today, limit=limit), today=today)


def rebuild_cpas(*, cpas, today: date) -> int:
    """Recompute every file of the CPAS for `today`, whatever its state (the rebuild command; idempotent)."""
    ids = list(Beneficiary.objects.for_cpas(cpas).order_by("pk").values_list("pk", flat=True))
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
