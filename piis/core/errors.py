"""One error vocabulary for every service: `ServiceError`, its translated message, and how it lands on a form.

A service that refuses a write raises `ServiceError` with a stable UPPER_SNAKE `code` (the rules core's own code
when the law refuses, an app code otherwise), the form `field` it belongs to and the `params` of its message. The
text lives once, in `piis.core.error_catalogue.CATALOGUE`; views call `add_error_to_form`, pages call
`error_message`. Legal numbers are never written in a message: they come in `params`, taken from the rules core's
parameter table or from the violation. The rule ID (`rule`) is for logs and audit only, never shown.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.formats import date_format

from piis.core.error_catalogue import CATALOGUE, GENERIC_MESSAGE
from piis.rules import InvalidInput, RuleViolation

__all__ = ["ServiceError", "add_error_to_form", "error_message"]

logger = logging.getLogger(__name__)


class ServiceError(Exception):
    """A refused service call: stable `code`, message `params`, the form `field` it concerns (None = the whole form)
    and, when the rules core refused, the `rule` ID it came from (for logs and audit, never shown)."""

    code: str
    params: dict[str, Any]
    field: str | None
    rule: str

    def __init__(
        self, code: str, *, field: str | None = None, params: Mapping[str, Any] | None = None, rule: str = ""
    ) -> None:
        super().__init__(f"{code} ({rule})" if rule else code)
        self.code = code
        self.field = field
        self.params = dict(params or {})
        self.rule = rule

    @classmethod
    def from_rule(
        cls,
        error: RuleViolation | InvalidInput,
        *,
        field: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> ServiceError:
        """The service error of a rules-core `RuleViolation` or `InvalidInput`: same code, its rule ID if any.

        `params` are the figures of the message (a legal age from `param_int`, a date …); the caller raises it
        `from error` so the English text of the core stays in the traceback, not on the screen.
        """
        return cls(error.code, field=field, params=params, rule=getattr(error, "rule", ""))

    @property
    def message(self) -> str:
        """The translated text of this error in the active language."""
        return error_message(self.code, self.params)


def _display(value: Any) -> Any:
    # A date is shown in the active language's format; datetimes are not used in messages.
    return date_format(value, "DATE_FORMAT") if hasattr(value, "isoformat") else value


def error_message(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The translated message of `code` with its `params` interpolated (%(name)s, dates formatted for the active
    language). An unknown code, or a message whose figures were not given, gives a generic translated message:
    never the code, a rule ID or the rules core's English text."""
    template = CATALOGUE.get(code)
    if template is None:
        logger.error("No message in the error catalogue for code %s", code)
        return str(GENERIC_MESSAGE)
    values = {key: _display(value) for key, value in (params or {}).items()}
    try:
        return str(template) % values
    except (KeyError, TypeError):
        logger.error("Message of %s needs figures that were not given: %s", code, sorted(values))
        return str(GENERIC_MESSAGE)


def add_error_to_form(form: forms.BaseForm, error: ServiceError, *, aliases: Mapping[str, str] | None = None) -> None:
    """Put `error`'s translated message on its field when the form has that field, else as a non-field error.

    `aliases` maps a service field name to the form's name for it (a form may present `sanctionable` as
    `may_sanction`). The form keeps what the user typed. An error that knows how to show itself on a form (a stale
    save, piis.core.concurrency: both values on each field) does so.
    """
    show = getattr(error, "show_on_form", None)
    if show is not None:
        show(form)
        return
    field = error.field
    if field is not None and field not in form.fields and aliases:
        field = aliases.get(field, field)
    form.add_error(field if field in form.fields else None, error.message)
