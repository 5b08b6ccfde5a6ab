"""Form fields that bound what people type: dates in a plausible range, free text of a stated length, uploads of
a known size and type. Every form of piis uses them; tests/core/test_form_bounds.py enumerates every form class and
fails for a date field without a range, a text field without a length limit or an upload without these checks.

- `RangedDateField(kind=DateKind.…)` for a declared date field; on a ModelForm, `Meta.formfield_callback =
  model_form_fields(birth_date=DateKind.BIRTH, …)` gives the model's date fields their kind and its text fields
  (TextField, unbounded in the database) the form's length limit `LONG_TEXT_MAX_LENGTH`.
- `refuse_before(form, field, earliest, code)`: the cross-field check "this date cannot be before that one".
- `ScanField`: a signed scan, PDF, PNG or JPEG recognised by its first bytes, at most `UPLOAD_MAX_MB`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext

from piis.core.dates import DateKind, date_problem, date_range
from piis.core.errors import error_message

__all__ = [
    "LONG_TEXT_MAX_LENGTH",
    "UPLOAD_MAX_MB",
    "RangedDateField",
    "RangedDateInput",
    "ScanField",
    "model_form_fields",
    "refuse_before",
]

LONG_TEXT_MAX_LENGTH = 5000  # a motivation, a clause, notes: a good page of text, no more
UPLOAD_MAX_MB = 10  # a scanned signature page, even in colour, stays far below


class RangedDateInput(forms.DateInput):
    """A browser date input that offers only the field's range (min and max computed on the day it is shown)."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d", *, kind: DateKind = DateKind.PLANNED):
        super().__init__(attrs=attrs, format=format)
        self.kind = kind

    def get_context(self, name, value, attrs):
        bounds = date_range(self.kind, today=timezone.localdate())
        attrs = {"min": bounds.earliest.isoformat(), "max": bounds.latest.isoformat(), **(attrs or {})}
        return super().get_context(name, value, attrs)


class RangedDateField(forms.DateField):
    """A date of a known kind (piis.core.dates.DateKind), refused outside its plausible range with the catalogue's
    message. Whatever widget is given, it becomes a RangedDateInput keeping that widget's attributes."""

    def __init__(self, *, kind: DateKind, widget=None, **kwargs):
        self.kind = DateKind(kind)
        attrs = dict(getattr(widget, "attrs", None) or {})
        attrs.pop("type", None)
        super().__init__(widget=RangedDateInput(attrs=attrs, kind=self.kind), **kwargs)

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        problem = date_problem(self.kind, value, today=timezone.localdate())
        if problem is not None:
            raise forms.ValidationError(problem.message, code=problem.code)


FormfieldCallback = Callable[..., forms.Field | None]


def model_form_fields(**dates: DateKind) -> FormfieldCallback:
    """A ModelForm's `Meta.formfield_callback`: the model's date fields named here become RangedDateFields of their
    kind; its text fields without a database length get LONG_TEXT_MAX_LENGTH. A date field not named keeps Django's
    plain field, which tests/core/test_form_bounds.py refuses."""

    def formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
        if db_field.name in dates:
            return db_field.formfield(form_class=RangedDateField, kind=dates[db_field.name], **kwargs)
        if isinstance(db_field, models.TextField) and db_field.max_length is None:
            kwargs.setdefault("max_length", LONG_TEXT_MAX_LENGTH)
        return db_field.formfield(**kwargs)

    return formfield


def refuse_before(form: forms.BaseForm, field: str, earliest: date | None, code: str) -> None:
    """Put `code`'s message (with `earliest` as its %(date)s) on `field` when the date typed there is before
    `earliest`; nothing when either is missing (a field already refused is not compared)."""
    value = form.cleaned_data.get(field)
    if isinstance(value, date) and earliest is not None and value < earliest:
        form.add_error(field, error_message(code, {"date": earliest}))


# --- uploads ----------------------------------------------------------------------------------------------------

# What a file's first bytes say it is, and the names it may carry.
_SIGNATURES = (
    (b"%PDF-", (".pdf",)),
    (b"\x89PNG\r\n\x1a\n", (".png",)),
    (b"\xff\xd8\xff", (".jpg", ".jpeg")),
)


def _scan_help() -> str:
    return gettext("A PDF, PNG or JPEG file of at most %(size)s MB.") % {"size": UPLOAD_MAX_MB}


_scan_help_text = lazy(_scan_help, str)


class ScanField(forms.FileField):
    """A scanned signed document: PDF, PNG or JPEG — recognised by its first bytes and its name agreeing — of at
    most UPLOAD_MAX_MB. The help text states both limits."""

    max_bytes = UPLOAD_MAX_MB * 1024 * 1024

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)  # the stored name
        kwargs.setdefault("help_text", _scan_help_text())
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg")

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload or upload is initial:
            return upload
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                error_message("UPLOAD_TOO_LARGE", {"size": UPLOAD_MAX_MB}), code="UPLOAD_TOO_LARGE"
            )
        position = upload.tell() if hasattr(upload, "tell") else 0
        upload.seek(0)
        head = upload.read(8)
        upload.seek(position)
        name = (upload.name or "").lower()
        if not any(head.startswith(magic) and name.endswith(ends) for magic, ends in _SIGNATURES):
            raise forms.ValidationError(error_message("UPLOAD_TYPE_REFUSED"), code="UPLOAD_TYPE_REFUSED")
        return upload
