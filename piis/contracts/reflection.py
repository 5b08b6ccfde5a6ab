"""The reflection period (R39): the one adapter between the rules core's `earliest_signature_date` and the screens,
letters and figures.

`reflection_dates`: the last day of the period and the first day the person may sign, for a version handed over
(letters, the portal). `reflection_given`: the legal period is the number of reflection days the core counts between
the hand-over (day D) and the earliest signature; the days given are those between the hand-over and the person's
signature, the day of signature excluded (the observatory and reports).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from piis.rules import earliest_signature_date


@dataclass(frozen=True)
class ReflectionGiven:
    days_given: int
    legal_days: int

    @property
    def beyond_legal(self) -> int:
        return self.days_given - self.legal_days


def reflection_given(handed_over_on: date, person_signed_on: date) -> ReflectionGiven:
    """Days the person had to reflect (D+1 … the day before signing) and the legal period on the hand-over date."""
    legal = (earliest_signature_date(handed_over_on) - handed_over_on).days - 1
    return ReflectionGiven(days_given=max((person_signed_on - handed_over_on).days - 1, 0), legal_days=legal)


def legal_reflection_days(on: date) -> int:
    return (earliest_signature_date(on) - on).days - 1


@dataclass(frozen=True)
class ReflectionDates:
    handed_over_on: date
    last_day: date  # the last day of the reflection period
    signature_from: date  # the first day the person may sign


def reflection_dates(handed_over_on: date) -> ReflectionDates:
    earliest = earliest_signature_date(handed_over_on)
    return ReflectionDates(handed_over_on, earliest - timedelta(days=1), earliest)
