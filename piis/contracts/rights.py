"""R28, S-Info 24: the list of the person's rights, with the figures of the law in force on a date.

The wording lives in contracts.enums.RIGHTS (translatable); the figures come from the rules core's parameter table.
Used by the information form and by the contract PDF.
"""

from datetime import date
from decimal import Decimal

from django.utils.formats import number_format

from piis.contracts.enums import RIGHTS
from piis.rules.params import param

# Placeholder of the RIGHTS labels -> parameter of the rules core.
_PLACEHOLDERS = {
    "reflection_days": "reflection_days",
    "meeting_days": "meeting_working_days",
    "evaluations": "evaluations_per_year",
    "in_person": "in_person_evaluations_per_year",
    "first_months": "first_sanction_max_months",
    "repeat_months": "recidivism_max_months",
    "appeal_months": "appeal_months",
}


def _figure(value) -> str:
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return number_format(value)
    return str(int(value))


def rights_figures(on: date) -> dict[str, str]:
    """The figures the rights list quotes, as in force on `on`."""
    return {key: _figure(param(name, on=on)) for key, name in _PLACEHOLDERS.items()}


def rights_list(on: date) -> list[tuple[str, str]]:
    """[(code, text)] of every right the person must be told about, in the active language, figures as on `on`."""
    figures = rights_figures(on)
    return [(code, str(label) % figures) for code, label in RIGHTS]


RIGHT_CODES = tuple(code for code, _label in RIGHTS)
