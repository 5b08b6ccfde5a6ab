"""The first day a file's deadlines may change with time alone (`DeadlineFile.valid_until`): before it, the rows the
table stored equal a fresh computation for that day. Without this the agenda would show wrong deadlines on the days
the nightly run no longer recomputes every file.

Two levels: the rules core's bounds against the rules themselves on later days (hypothesis), then the deadline
table on generated files (the generator of test_deadline_table) and every day of more than a year after each
computation day."""

import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piis.accounts.models import ClosureDay
from piis.cases.models import Beneficiary
from piis.followup.agenda import file_deadlines, with_deadline_relations
from piis.followup.deadlines import refresh_files, refresh_stale_for_cpas
from piis.followup.models import Deadline, DeadlineFile
from piis.rules import (
    Evaluation,
    Exemption,
    InvalidInput,
    evaluation_years,
    evaluation_years_change_on,
    obligation_changes_on,
    piis_obligation,
)
from tests.factories import make_beneficiary, make_exemption, make_member, make_ri_decision
from tests.followup.builders import D
from tests.followup.test_deadline_table import _generate

quick = settings(database=None, deadline=None, max_examples=300)
days = st.dates(min_value=date(2013, 1, 1), max_value=date(2030, 12, 31))
ONE = timedelta(days=1)


def _later_days(today: date, until: date | None, horizon: int = 800):
    """Every day from `today` to the day before `until` (or `horizon` days)."""
    last = today + timedelta(days=horizon) if until is None else min(until, today + timedelta(days=horizon))
    day = today
    while day < last:
        yield day
        day += ONE


# --- the rules core's bounds ------------------------------------------------------------------------------------


@quick
@given(
    signed=days,
    offsets=st.lists(
        st.tuples(st.integers(min_value=-30, max_value=1500), st.sampled_from(["office", "phone", "video"])),
        max_size=8,
    ),
    ended_after=st.one_of(st.none(), st.integers(min_value=0, max_value=1500)),
    today_after=st.integers(min_value=-60, max_value=1500),
)
def test_evaluation_years_do_not_change_before_the_bound(signed, offsets, ended_after, today_after):
    held = [Evaluation(held_on=signed + timedelta(days=o), mode=mode) for o, mode in offsets]
    ended = None if ended_after is None else signed + timedelta(days=ended_after)
    today = signed + timedelta(days=today_after)

    def answer(on):
        return evaluation_years(signed_on=signed, evaluations=held, ended_on=ended, today=on)

    bound = evaluation_years_change_on(signed_on=signed, evaluations=held, ended_on=ended, today=today)
    assert bound is None or bound > today
    expected = answer(today)
    for day in _later_days(today, bound, horizon=500):
        assert answer(day) == expected, (day, bound)


@quick
@given(
    birth=st.dates(min_value=date(1960, 1, 1), max_value=date(2008, 12, 31)),
    decided=st.dates(min_value=date(2015, 1, 1), max_value=date(2028, 12, 31)),
    exemptions=st.lists(
        st.tuples(
            st.sampled_from(["health", "equity"]),
            st.integers(min_value=-400, max_value=600),
            st.one_of(st.none(), st.integers(min_value=0, max_value=400)),
        ),
        max_size=3,
    ),
    today_after=st.integers(min_value=-30, max_value=900),
)
def test_the_obligation_does_not_change_before_the_bound(birth, decided, exemptions, today_after):
    rows = [
        Exemption(
            ground,
            decided + timedelta(days=start),
            None if length is None else decided + timedelta(days=start + length),
        )
        for ground, start, length in exemptions
    ]
    today = max(decided, decided + timedelta(days=today_after))

    def answer(on):
        try:
            return piis_obligation(
                birth_date=birth, ri_decision_date=decided, ri_start_date=decided, exemptions=rows, on=on
            )
        except InvalidInput as error:
            return error.code

    bound = obligation_changes_on(birth_date=birth, ri_decision_date=decided, exemptions=rows, on=today)
    expected = answer(today)
    for day in _later_days(today, bound, horizon=500):
        assert answer(day) == expected, (day, bound)


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
