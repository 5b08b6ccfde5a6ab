"""The rules core's bounds of change (the first day an answer may change with time alone): before the bound, each rule
answers on every later day as on the day it was asked (hypothesis); and the two plain ones, late_from and
param_next_change, on their edges. The deadline table's use of them: tests/followup/test_deadline_bound.py."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from piis.rules import (
    Evaluation,
    Exemption,
    InvalidInput,
    evaluation_years,
    evaluation_years_change_on,
    is_concluded_late,
    late_from,
    obligation_changes_on,
    param_next_change,
    piis_obligation,
)
from piis.rules.params import PARAMETERS, param

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


def test_late_from_is_the_first_day_is_concluded_late_turns_true():
    deadline = date(2026, 2, 28)
    first = late_from(deadline)
    assert first == date(2026, 3, 1)
    assert not is_concluded_late(deadline=deadline, signed_on=None, today=first - ONE)
    assert is_concluded_late(deadline=deadline, signed_on=None, today=first)


def test_param_next_change_is_the_next_dated_value_that_differs():
    name = "ri_monthly_amount_cat1"
    dates = [effective for effective, _ in PARAMETERS[name].values]
    before, changed = dates[-2], dates[-1]
    assert param_next_change(name, after=before) == changed
    assert param(name, on=changed - ONE) != param(name, on=changed)
    assert param_next_change(name, after=changed) is None  # nothing dated after the last value


def test_param_next_change_skips_a_dated_row_that_repeats_the_value_in_force():
    # A parameter whose only value is dated at the law's start never changes afterwards.
    assert len(PARAMETERS["under_25_age_limit"].values) == 1
    assert param_next_change("under_25_age_limit", after=date(2020, 1, 1)) is None
