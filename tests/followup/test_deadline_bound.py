"""The first day a file's deadlines may change with time alone (`DeadlineFile.valid_until`): before it, the rows the
table stored equal a fresh computation for that day. Without this the agenda would show wrong deadlines on the days
the nightly run no longer recomputes every file.

The rules core's bounds against the rules themselves on later days are tested in tests/rules/test_change_bounds.py;
here the deadline table on generated files (the generator of test_deadline_table) and every day of more than a year
after each computation day."""

import random
from datetime import date, timedelta

import pytest

from piis.accounts.models import ClosureDay
from piis.cases.models import Beneficiary
from piis.followup.agenda import file_deadlines, with_deadline_relations
from piis.followup.deadlines import refresh_files, refresh_stale_for_cpas
from piis.followup.models import Deadline, DeadlineFile
from tests.factories import make_beneficiary, make_exemption, make_member, make_ri_decision
from tests.followup.builders import D
from tests.followup.test_deadline_table import _generate

ONE = timedelta(days=1)


def _later_days(today: date, until: date | None, horizon: int = 800):
    """Every day from `today` to the day before `until` (or `horizon` days)."""
    last = today + timedelta(days=horizon) if until is None else min(until, today + timedelta(days=horizon))
    day = today
    while day < last:
        yield day
        day += ONE


# --- the deadline table -----------------------------------------------------------------------------------------

COMPUTED_ON = (D(2025, 6, 1), D(2026, 1, 5), D(2026, 4, 8), D(2026, 9, 15))


def _stored(cpas, pk) -> list[tuple]:
    fields = (
        "worker_id",
        "kind",
        "due_on",
        "object_id",
        "contract_id",
        "overdue",
        "at_risk",
        "params",
        "url",
        "detail",
    )
    return sorted(
        tuple(row[f] for f in fields)
        for row in Deadline.objects.for_cpas(cpas).filter(beneficiary_id=pk).values(*fields)
    )


def _as_rows(items) -> list[tuple]:
    return sorted(
        (
            worker,
            i.kind,
            i.due_on,
            i.object_id,
            i.contract.pk if i.contract else None,
            i.overdue,
            i.at_risk,
            i.params,
            i.url,
            i.detail,
        )
        for i in items
        for worker in i.workers
    )


def _extra_files(cpas, worker):
    """What the generator does not draw: exemptions starting later or open-ended while a PIIS is obligatory, a
    person turning 25 soon after the decision, an RI decision recorded ahead of its date."""
    for start, end in ((D(2026, 6, 1), None), (D(2026, 2, 1), D(2026, 5, 31)), (D(2025, 3, 1), D(2026, 8, 1))):
        person = make_beneficiary(cpas, social_worker=worker, birth_date=D(2001, 5, 10))
        make_ri_decision(cpas, beneficiary=person, decided_on=D(2026, 1, 10))
        make_exemption(
            cpas, beneficiary=person, start_on=start, decided_on=start, review_on=start + 40 * ONE, end_on=end
        )
    ahead = make_beneficiary(cpas, social_worker=worker, birth_date=D(2003, 1, 1))
    make_ri_decision(cpas, beneficiary=ahead, decided_on=D(2026, 10, 1))


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_stored_rows_equal_a_fresh_computation_until_valid_until(cpas_a, seed):
    rng = random.Random(seed)
    workers = [make_member(cpas_a).user for _ in range(2)]
    _generate(cpas_a, workers, rng, 25)
    _extra_files(cpas_a, workers[0])
    pks = list(Beneficiary.objects.for_cpas(cpas_a).order_by("pk").values_list("pk", flat=True))
    closures = list(ClosureDay.objects.for_cpas(cpas_a).values_list("day", flat=True))
    checked = expired = 0
    for computed_on in COMPUTED_ON:
        refresh_files(cpas_id=cpas_a.pk, beneficiary_ids=pks, today=computed_on)
        state = dict(DeadlineFile.objects.for_cpas(cpas_a).values_list("beneficiary_id", "valid_until"))
        stored = {pk: _stored(cpas_a, pk) for pk in pks}
        files = list(with_deadline_relations(Beneficiary.objects.for_cpas(cpas_a).filter(pk__in=pks)))
        for day in _later_days(computed_on, None, horizon=400):
            for beneficiary in files:
                until = state[beneficiary.pk]
                if until is not None and day >= until:
                    expired += 1
                    continue
                items, _bound = file_deadlines(beneficiary, today=day, closures=closures)
                assert _as_rows(items) == stored[beneficiary.pk], (beneficiary.pk, computed_on, day, until)
                checked += 1
    assert checked > 10000 and expired > 1000  # both sides of the bound are exercised


@pytest.mark.django_db
def test_the_nightly_run_recomputes_only_the_files_whose_day_has_come(cpas_a):
    rng = random.Random(7)
    workers = [make_member(cpas_a).user for _ in range(2)]
    _generate(cpas_a, workers, rng, 20)
    computed_on = D(2026, 4, 8)
    assert refresh_stale_for_cpas(cpas=cpas_a, today=computed_on, limit=None) > 0
    assert refresh_stale_for_cpas(cpas=cpas_a, today=computed_on, limit=None) == 0  # all fresh
    state = dict(DeadlineFile.objects.for_cpas(cpas_a).values_list("beneficiary_id", "valid_until"))
    for day in (computed_on + ONE, computed_on + 30 * ONE, computed_on + 200 * ONE):
        due = {pk for pk, until in state.items() if until is not None and until <= day}
        assert refresh_stale_for_cpas(cpas=cpas_a, today=day, limit=None) == len(due)
        state = dict(DeadlineFile.objects.for_cpas(cpas_a).values_list("beneficiary_id", "valid_until"))
        assert all(until is None or until > day for until in state.values())
    # A day before the one the rows were computed for reads them again.
    assert refresh_stale_for_cpas(cpas=cpas_a, today=computed_on, limit=None) > 0
