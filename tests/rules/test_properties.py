"""Property-based tests of the rules (hypothesis): caps, windows, deadlines."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from piis.rules import (
    RuleViolation,
    add_months,
    appeal_deadline,
    conclusion_deadline,
    earliest_signature_date,
    is_working_day,
    max_suspension_months,
    meeting_deadline,
    monthly_piis_subsidy,
    suspension_start_window,
)
from piis.rules.subsidy import bonus_malus_rate

dates = st.dates(min_value=date(2017, 1, 1), max_value=date(2060, 12, 31))
quick = settings(database=None, deadline=None, max_examples=200)


@quick
@given(
    early=dates,
    gap=st.integers(min_value=0, max_value=800),
    offsets=st.lists(st.integers(min_value=0, max_value=800), max_size=4),
)
def test_sanction_cap_is_monotonic_in_breach_date(early, gap, offsets):
    """After the last prior decision, a later breach never gets a higher cap."""
    late = early + timedelta(days=gap)
    previous = [early - timedelta(days=offset) for offset in offsets]
    assert max_suspension_months(breach_on=late, previous_sanction_decisions=previous) <= max_suspension_months(
        breach_on=early, previous_sanction_decisions=previous
    )


@quick
@given(previous=st.lists(dates, max_size=4), breach=dates, extra=dates)
def test_more_previous_sanctions_never_lower_the_cap(previous, breach, extra):
    base = max_suspension_months(breach_on=breach, previous_sanction_decisions=previous)
    assert max_suspension_months(breach_on=breach, previous_sanction_decisions=[*previous, extra]) >= base
    assert base in (Decimal(1), Decimal(3))


@quick
@given(decided=dates, delay=st.integers(min_value=0, max_value=120))
def test_suspension_window_default_inside_window(decided, delay):
    notified = decided + timedelta(days=delay)
    try:
        window = suspension_start_window(decided_on=decided, notified_on=notified)
    except RuleViolation as error:
        assert error.code == "NOTIFICATION_TOO_LATE"
        assert notified + timedelta(days=1) > add_months(decided.replace(day=1), 3)
        return
    assert window.earliest <= window.default <= window.latest
    assert window.latest.day == 1 and window.earliest > notified


@quick
@given(d=dates)
def test_deadlines_are_after_their_start(d):
    assert earliest_signature_date(d) == d + timedelta(days=6)
    assert conclusion_deadline(d) > d
    deadline = appeal_deadline(d)
    assert deadline.legal <= deadline.effective and is_working_day(deadline.effective)
    assert (deadline.effective - deadline.legal).days < 7
    meeting = meeting_deadline(d)
    assert is_working_day(meeting) and 5 <= (meeting - d).days <= 14


@quick
@given(coverage=st.decimals(min_value=0, max_value=1, places=4), other=st.decimals(min_value=0, max_value=1, places=4))
def test_bonus_malus_rate_is_monotonic_in_coverage(coverage, other):
    low, high = sorted((coverage, other))
    assert Decimal("0.05") <= bonus_malus_rate(low) <= bonus_malus_rate(high) <= Decimal("0.15")


@quick
@given(amount=st.decimals(min_value=0, max_value=5000, places=2), on=dates)
def test_subsidy_is_rounded_to_the_cent_and_at_most_the_rate(amount, on):
    subsidy = monthly_piis_subsidy(amount, on=on)
    assert subsidy == subsidy.quantize(Decimal("0.01"))
    assert abs(subsidy - amount / 10) <= Decimal("0.005")
