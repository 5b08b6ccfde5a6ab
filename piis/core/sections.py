"""A section that another app adds to a form page: its own form, on the same page and sent with the same button,
validated with the page's form and saved in the same transaction right after the page's own service, with what that
service made (the version handed over, the evaluation recorded, the ended contract).

The app that owns the page (contracts, followup) only knows this protocol; the app that owns the section (documents)
builds it; the page layer (piis/www) puts the two together, so no app imports one above it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from django.db import transaction

from piis.core.errors import ServiceError, add_error_to_form


class FormSection(Protocol):
    template: str  # rendered inside the page's <form>, with `section` in its context
    form: Any

    def is_valid(self) -> bool: ...

    def save(self, made: Any) -> None: ...


def sections_valid(sections: Sequence[FormSection]) -> bool:
    """Every section checked (so that each shows its own errors), not only up to the first refused one."""
    checked = [section.is_valid() for section in sections]
    return all(checked)


def save_sections(sections: Sequence[FormSection], made: Any) -> bool:
    """Save each section after the page's service, inside its transaction. A section its service refuses shows why
    on its own form, and the whole transaction is rolled back (the page's write too): False."""
    for section in sections:
        try:
            section.save(made)
        except ServiceError as error:
            add_error_to_form(section.form, error)
            transaction.set_rollback(True)
            return False
    return True
