"""No lost update: an edit form carries the version of the object it was read at, and a stale save is refused.

Two people open the same objective; both change it; the second to save would silently overwrite the first. Instead:

- `read_version(obj)` is a fingerprint of the row as stored (every concrete field but the automatic timestamps, its
  many-to-many links and, when asked, the rows of a related set such as an assessment's items): one short keyed
  digest per field, so the page carries no readable value and the refusal can say which fields changed.
- `ReadVersionMixin` (piis.core.forms) puts it in every edit form as a hidden input (`read_version`) and, when the
  form is posted, attaches what the page read to the object the service will save (`expect_version`).
- `check_read_version(obj)`, called by `piis.audit.services.audited_save` inside the write transaction, locks the
  row (SELECT … FOR UPDATE: a concurrent save waits for the first to commit), recomputes the fingerprint and raises
  `StaleSave` when it differs: nothing is written; the form is shown again with what the user typed, each field the
  other person changed showing both values, and the new version, so that saving again is a conscious choice.

A post without the hidden input at all (a script, a test client) is not compared: every page of the app carries it,
which tests/core/test_read_version.py checks on every route.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

from django.conf import settings
from django.db import models
from django.utils.encoding import force_bytes
from django.utils.formats import date_format
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext

from piis.core.errors import ServiceError

__all__ = [
    "TOKEN_NAME",
    "Change",
    "StaleSave",
    "carry_read_version",
    "check_read_version",
    "display_value",
    "expect_version",
    "read_version",
]

TOKEN_NAME = "read_version"
_FORMAT = "1"  # bumped if the fingerprint's make-up changes: an older page is then simply stale
_SALT = "piis.core.concurrency.read_version"
_DIGEST_LENGTH = 10
_ATTRIBUTE = "_piis_expected_read_version"
_SHOWN_CHARACTERS = 200  # a long text is shown cut, in both values: the user's own is in the field anyway


def _fields(model: type[models.Model]) -> tuple[models.Field, ...]:
    """What a version covers: the stored values people or services write, not the id nor automatic timestamps."""
    fields = _FIELDS.get(model)
    if fields is None:  # a model's fields are fixed once the app registry is ready: worked out once per model
        fields = tuple(
            field
            for field in model._meta.concrete_fields
            if not (field.primary_key or getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
        ) + tuple(model._meta.many_to_many)
        _FIELDS[model] = fields
    return fields


_FIELDS: dict[type[models.Model], tuple[models.Field, ...]] = {}


def _stored(instance: models.Model, field: models.Field) -> str:
    if field.many_to_many:
        if instance.pk is None:
            return ""
        return ",".join(str(pk) for pk in sorted(getattr(instance, field.name).values_list("pk", flat=True)))
    value = getattr(instance, field.attname)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return _encoded(field.get_prep_value(value))


_JSON = json.JSONEncoder(sort_keys=True, default=str)  # json.dumps(…, sort_keys=True, default=str), built once
_JSON_STRING = json.encoder.encode_basestring_ascii  # what _JSON.encode does with a str (ensure_ascii)
_AS_STRING = frozenset({date, datetime, Decimal, UUID})  # no JSON type: _JSON's default=str, then that string


def _encoded(value: Any) -> str:
    """_JSON.encode(value), the same text, with the values most fields hold done without the encoder's machinery
    (a fifth of a version's time, issue 15)."""
    kind = type(value)
    if kind is str:
        return _JSON_STRING(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if kind in _AS_STRING:
        return _JSON_STRING(str(value))
    return _JSON.encode(value)


def _related_rows(instance: models.Model, name: str) -> str:
    """The rows of a related set (an assessment's items), each with its stored values, in id order."""
    manager = getattr(instance, name)
    rows = manager.order_by("pk")
    return json.dumps(
        [[row.pk, *(_stored(row, f) for f in _fields(type(row)) if not f.many_to_many)] for row in rows],
        default=str,
    )


def _parts(instance: models.Model, related: Sequence[str]) -> list[tuple[str, str]]:
    parts = [(field.name, _stored(instance, field)) for field in _fields(type(instance))]
    parts.extend((f"{name}[]", _related_rows(instance, name)) for name in related)
    return parts


def _digests(parts: Iterable[tuple[str, str]]) -> list[str]:
    # Keyed: a digest of a yes/no or a date cannot be reversed by trying the few possible values.
    # salted_hmac(_SALT, f"{name}\x1f{value}") to the byte: HMAC-SHA1 (RFC 2104) with the key salted_hmac derives
    # from the salt and SECRET_KEY, from the two hashes of the padded key made once (a microsecond a field rather
    # than three: a commitment's row has twenty, issue 15).
    inner, outer = _mac_pads()
    digests = []
    for name, value in parts:
        step = inner.copy()
        step.update(f"{name}\x1f{value}".encode())
        mac = outer.copy()
        mac.update(step.digest())
        digests.append(mac.hexdigest()[:_DIGEST_LENGTH])
    return digests


_PADS: dict[str, tuple[Any, Any]] = {}


def _mac_pads() -> tuple[Any, Any]:
    """SHA-1 begun on the inner and outer pads of the key salted_hmac(_SALT, …) uses (the SHA-1 of the salt and
    SECRET_KEY); SECRET_KEY is read each time, so that a changed secret gives other digests."""
    secret = settings.SECRET_KEY
    pads = _PADS.get(secret)
    if pads is None:
        key = hashlib.sha1(force_bytes(_SALT) + force_bytes(secret)).digest().ljust(_SHA1_BLOCK, b"\0")
        pads = (hashlib.sha1(bytes(b ^ 0x36 for b in key)), hashlib.sha1(bytes(b ^ 0x5C for b in key)))
        _PADS.clear()
        _PADS[secret] = pads
    return pads


_SHA1_BLOCK = 64


def read_version(instance: models.Model, *, related: Sequence[str] = ()) -> str:
    """The version of `instance` as its attributes hold it (as read from the database, for a page being shown)."""
    return _FORMAT + ":" + "-".join(_digests(_parts(instance, related)))


@dataclass(frozen=True)
class _Expected:
    token: str
    related: tuple[str, ...]


def expect_version(instance: models.Model, token: str, *, related: Sequence[str] = ()) -> None:
    """The page the user saved from read `instance` at `token`: the next save of this object compares (once)."""
    setattr(instance, _ATTRIBUTE, _Expected(token, tuple(related)))


M = TypeVar("M", bound=models.Model)


def carry_read_version(source: models.Model, target: M) -> M:
    """A service that re-reads its object under a lock passes the form's expectation on to the copy it saves."""
    expected = source.__dict__.get(_ATTRIBUTE)
    if expected is not None:
        setattr(target, _ATTRIBUTE, expected)
    return target


@dataclass(frozen=True)
class Change:
    """One field someone else changed since the page was read: its model name, label and value now stored."""

    name: str
    label: str
    theirs: str


class StaleSave(ServiceError):
    """Someone else saved the object since the page was read. `changes` names what changed (with the value now
    stored); `current` is the version now stored, which the re-shown form carries."""

    def __init__(self, *, changes: Sequence[Change], current: str, removed: bool = False) -> None:
        super().__init__("STALE_SAVE_REMOVED" if removed else "STALE_SAVE")
        self.changes = tuple(changes)
        self.current = current

    def show_on_form(self, form) -> None:
        """piis.core.errors.add_error_to_form's way of showing this error: the form's own, when it has one."""
        show = getattr(form, "show_stale_save", None)
        if show is not None:
            show(self)
        else:
            form.add_error(None, self.message)


def check_read_version(instance: models.Model) -> models.Model | None:
    """Inside the write transaction: lock `instance`'s row and refuse (StaleSave) when it is no longer what the
    user's page read. Returns the locked row as stored, or None when no page version was attached (nothing
    compared, nothing locked). The expectation is used once: a service saving the object again is not refused by
    its own first save."""
    expected = instance.__dict__.pop(_ATTRIBUTE, None)
    if expected is None or instance.pk is None:
        return None
    model = type(instance)
    locked = model._default_manager.select_for_update().filter(pk=instance.pk).first()
    if locked is None:
        raise StaleSave(changes=(), current="", removed=True)
    current = read_version(locked, related=expected.related)
    if current == expected.token:
        return locked
    raise StaleSave(changes=_changes(locked, expected, current), current=current)


def _changes(locked: models.Model, expected: _Expected, current: str) -> list[Change]:
    names = [name for name, _value in _parts(locked, expected.related)]
    theirs = current.split(":", 1)[1].split("-")
    read_format, _sep, read_digests = expected.token.partition(":")
    read = read_digests.split("-") if read_format == _FORMAT else []
    if len(read) != len(theirs):  # a page of another make-up, or tampered with: every value may have changed
        read = [""] * len(theirs)
    return [_change(locked, name) for name, old, new in zip(names, read, theirs, strict=True) if old != new]


def _change(locked: models.Model, name: str) -> Change:
    if name.endswith("[]"):
        manager = getattr(locked, name[:-2])
        return Change(name[:-2], str(capfirst(manager.model._meta.verbose_name_plural)), "")
    field = locked._meta.get_field(name)
    label = str(capfirst(getattr(field, "verbose_name", name)))
    return Change(name, label, display_stored(locked, field))


def display_stored(instance: models.Model, field: Any) -> str:
    """A stored value as a person reads it: a choice's label, a related object's name, a formatted date."""
    if field.many_to_many:
        return display_value(list(getattr(instance, field.name).all()))
    if field.is_relation:
        return display_value(getattr(instance, field.name))
    value = getattr(instance, field.attname)
    if field.choices:
        labels = dict(field.flatchoices)
        if isinstance(value, list | tuple):
            return display_value([labels.get(v, v) for v in value])
        return display_value(labels.get(value, value))
    base = getattr(field, "base_field", None)  # an array of choices (rights given, orientations)
    if base is not None and base.choices and isinstance(value, list | tuple):
        labels = dict(base.flatchoices)
        return display_value([labels.get(v, v) for v in value])
    return display_value(value)


def display_value(value: Any) -> str:
    """Any value as a person reads it, in the active language; empty is said so, a long text is cut."""
    if value is None or value == "" or (isinstance(value, list | tuple | set) and not value):
        return gettext("(empty)")
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime):
        return date_format(value, "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, Iterable) and not isinstance(value, str | bytes):
        return ", ".join(display_value(item) for item in value)
    return Truncator(str(value)).chars(_SHOWN_CHARACTERS)
