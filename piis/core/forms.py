"""Form fields that bound what people type: dates in a plausible range, free text of a stated length, uploads of
a known size and type. Every form of piis uses them; tests/core/test_form_bounds.py enumerates every form class and
fails for a date field without a range, a text field without a length limit or an upload without these checks.

- `RangedDateField(kind=DateKind.…)` for a declared date field; on a ModelForm, `Meta.formfield_callback =
  model_form_fields(birth_date=DateKind.BIRTH, …)` gives the model's date fields their kind and its text fields
  (TextField, unbounded in the database) the form's length limit `LONG_TEXT_MAX_LENGTH`.
- `refuse_before(form, field, earliest, code)`: the cross-field check "this date cannot be before that one".
- `ScanField`: a signed scan, PDF, PNG or JPEG recognised by its first bytes, at most `UPLOAD_MAX_MB`.
- `ReadVersionMixin`: every form that edits an existing object carries the version it was read at, and a stale
  save is refused with both values shown (piis.core.concurrency; tests/core/test_read_version.py enumerates them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from piis.core.concurrency import TOKEN_NAME, StaleSave, display_value, expect_version, read_version
from piis.core.dates import DateKind, date_problem, date_range
from piis.core.errors import error_message

__all__ = [
    "LONG_TEXT_MAX_LENGTH",
    "UPLOAD_MAX_MB",
    "RangedDateField",
    "RangedDateInput",
    "ReadVersionMixin",
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


# --- the version an edit form was read at (piis.core.concurrency) -----------------------------------------------


class ReadVersionMixin:
    """An edit form that carries the version of its object as read, so that a stale save is refused.

    On a ModelForm the object is its `instance` (nothing is carried while it is being created); a plain form that
    changes an existing object names it: `MeetingHeldForm(data, versioned=meeting)`. The page renders
    `{{ form.read_version_input }}` (components/form_errors.html does). Posted, the form attaches that version to
    the object; the service's save (audited_save) compares it under a lock and raises StaleSave, which
    add_error_to_form shows here: the message, "saved meanwhile: X — yours: Y" on each field the other person
    changed, and the version now stored, so that saving again keeps the user's values consciously.

    `version_related`: related sets the form edits with the object (an assessment's `items`), part of its version.
    `version_fields`: the form field showing a model field of another name (`{"owner": "owner_party"}`).
    """

    version_related: Sequence[str] = ()
    version_fields: Mapping[str, str] = {}

    def __init__(self, *args: Any, versioned: models.Model | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._versioned = versioned
        form: Any = self
        target = self.versioned_object
        posted = form.is_bound and self.read_version_name in form.data
        # Read now, before a bound ModelForm writes the typed values into its instance.
        self._read_version = read_version(target, related=self.version_related) if target and not posted else ""

    @property
    def versioned_object(self) -> models.Model | None:
        target = self._versioned if self._versioned is not None else getattr(self, "instance", None)
        return target if target is not None and target.pk is not None else None

    @property
    def read_version_name(self) -> str:
        form: Any = self
        return form.add_prefix(TOKEN_NAME)

    @property
    def read_version(self) -> str:
        form: Any = self
        if form.is_bound and self.read_version_name in form.data:
            return form.data[self.read_version_name]
        return self._read_version

    @property
    def read_version_input(self) -> SafeString:
        if self.versioned_object is None:
            return SafeString("")
        return format_html('<input type="hidden" name="{}" value="{}">', self.read_version_name, self.read_version)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        form: Any = self
        target = self.versioned_object
        # No hidden input at all: not a page of this app (a script, a test client), nothing to compare with.
        if form.is_bound and target is not None and self.read_version_name in form.data:
            expect_version(target, form.data[self.read_version_name], related=self.version_related)

    def show_stale_save(self, error: StaleSave) -> None:
        """The refusal on this form: the message, both values on each field changed, and the version now stored."""
        form: Any = self
        data = form.data.copy()
        data[self.read_version_name] = error.current
        form.data = data
        form.add_error(None, error.message)
        on_fields: dict[str, list[str]] = {}
        elsewhere: list[str] = []
        for change in error.changes:
            name = self.version_fields.get(change.name, change.name)
            if name in form.fields and change.theirs:
                on_fields.setdefault(name, []).append(change.theirs)
            else:  # a field the form does not show, or a related set (a team's members, an assessment's items)
                label = str(form.fields[name].label) if name in form.fields else change.label
                elsewhere.append(f"{label}: {change.theirs}" if change.theirs else label)
        for name, theirs in on_fields.items():
            params = {"theirs": ", ".join(theirs), "yours": self._typed(name)}
            form.add_error(name, error_message("STALE_SAVE_FIELD", params))
        if elsewhere:
            form.add_error(None, error_message("STALE_SAVE_OTHER", {"changes": "; ".join(elsewhere)}))

    def _typed(self, name: str) -> str:
        """What the user typed in `name`, as a person reads it (a choice's label, a date in the page's format)."""
        form: Any = self
        field = form.fields[name]
        cleaned = getattr(form, "cleaned_data", {})
        value = cleaned[name] if name in cleaned else form[name].value()
        choices = getattr(field, "choices", None)
        if choices is not None and not isinstance(field, forms.ModelChoiceField):
            labels = {str(key): label for key, label in _flat(choices)}
            if isinstance(value, list | tuple):
                return display_value([labels.get(str(v), v) for v in value])
            return display_value(labels.get(str(value), value))
        return display_value(value)


def _flat(choices):
    for key, label in choices:
        if isinstance(label, list | tuple):
            yield from label
        else:
            yield key, label
