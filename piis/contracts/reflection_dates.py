"""The dates of the reflection period of a version handed over (R39), for the letters that quote them
(piis.documents): the one adapter between them and the rules core's `earliest_signature_date`."""

from dataclasses import dataclass
from datetime import date, timedelta

from piis.rules import earliest_signature_date


@dataclass(frozen=True)
class ReflectionDates:
    handed_over_on: date
    last_day: date  # the last day of the reflection period
    signature_from: date  # the first day the person may sign


def reflection_dates(handed_over_on: date) -> ReflectionDates:
    earliest = earliest_signature_date(handed_over_on)
    return ReflectionDates(handed_over_on, earliest - timedelta(days=1), earliest)
