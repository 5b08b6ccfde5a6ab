"""CSV exports that a spreadsheet opens as text: no cell of ours is ever run as a formula.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula (or can become one) to Excel,
LibreOffice and Google Sheets (the OWASP "CSV injection" list): `=HYPERLINK("http://…","open")` typed as a name
would become a live link in the DPO's copy of the audit trail. Such a cell gets a leading apostrophe, which the
spreadsheet shows as text and does not display. Every CSV export writes through `csv_writer`;
tests/core/test_spreadsheet.py fails for a `csv.writer(` anywhere else in piis.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

__all__ = ["FORMULA_PREFIXES", "SafeCsvWriter", "csv_writer", "safe_cell"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value` as written to a CSV cell: text that a spreadsheet would read as a formula gets a leading apostrophe.
    Numbers are left as they are (a negative amount stays a number); everything else is written as its text."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class SafeCsvWriter:
    """csv.writer's writerow/writerows, every cell through `safe_cell`."""

    def __init__(self, file, **kwargs: Any) -> None:
        self._writer = csv.writer(file, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(file, **kwargs: Any) -> SafeCsvWriter:
    """A CSV writer on `file` (an HttpResponse, a StringIO…) that neutralises spreadsheet formulas."""
    return SafeCsvWriter(file, **kwargs)
