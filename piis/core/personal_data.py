"""What each app holds about one person, for the data-protection officer's access export (GDPR art. 15).

The export itself is built by `piis.privacy` (above every domain app), but what a person's file holds is known by
the app that stores it. So each app declares its part in a module `personal_data.py` of its own package, which
`piis.privacy` imports at start-up (Django's `autodiscover_modules("personal_data")`), and which calls
`register_section(...)` here, in core, the one layer every app may import:

    # piis/sanctions/personal_data.py
    from piis.core.personal_data import PersonalDataSection, model_record, register_section

    def _sanctions(person):
        for decision in SanctionDecision.objects.for_cpas(person.cpas_id).filter(beneficiary=person):
            yield model_record(decision)

    register_section(PersonalDataSection("sanctions", _("Sanctions"), order=60, collect=_sanctions))

`collect(person)` receives the `cases.Beneficiary` and yields `ExportRecord`s; it runs inside the request's
transaction with the person's CPAS set for row-level security, and must read that person's rows only (always
`for_cpas(person.cpas_id)` and a filter on the person), with a bounded number of queries — an `.iterator()` when
a section can be long (the accesses). An `ExportFile` attached to a record puts a file in the ZIP: its `data`, or
what `later()` returns, called after the transaction has committed (slow work without the database: a PDF layout).
`tests/privacy/test_export.py` checks that every section of a person holds nothing of another person or CPAS.
"""

import datetime
import decimal
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = [
    "ExportFile",
    "ExportRecord",
    "PersonalDataSection",
    "model_record",
    "register_section",
    "sections",
]


@dataclass
class ExportFile:
    """A file of the export: `name` inside the ZIP's files/ folder; `data`, or `later()` run outside the
    transaction (it returns the bytes, or raises to leave a note saying the file could not be made)."""

    name: str
    data: bytes | None = None
    later: Callable[[], bytes] | None = None


@dataclass
class ExportRecord:
    """One row held about the person: `data` for the JSON (machine-readable: field name → plain value), `shown`
    for the human-readable summary (label → displayed text)."""

    type: str
    id: int | None
    data: dict[str, Any]
    shown: list[tuple[str, str]]
    files: list[ExportFile] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"type": self.type, "id": self.id, **self.data}


@dataclass(frozen=True)
class PersonalDataSection:
    """One part of the export: `key` names it in the JSON, `title` in the summary; sections come in `order`."""

    key: str
    title: str | Promise
    collect: Callable[[Any], Iterable[ExportRecord]]
    order: int = 100


_SECTIONS: dict[str, PersonalDataSection] = {}


def register_section(section: PersonalDataSection) -> PersonalDataSection:
    """Add a section (an app's personal_data.py calls it at import). A key registered twice is a mistake."""
    existing = _SECTIONS.get(section.key)
    if existing is not None and existing != section:
        raise ValueError(f"personal-data section {section.key!r} registered twice")
    _SECTIONS[section.key] = section
    return section


def sections() -> list[PersonalDataSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


# Fields that are nobody's information: derived search keys and the tenant key.
_SKIPPED_FIELDS = {"search_name", "cpas"}
_YES, _NO = _("yes"), _("no")


def _plain(value: Any) -> Any:
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _shown(instance: models.Model, model_field: models.Field) -> str:
    value = getattr(instance, model_field.attname)
    if value is None or value == "":
        return ""
    if model_field.choices:
        return str(getattr(instance, f"get_{model_field.name}_display")())
    if model_field.is_relation:
        related = getattr(instance, model_field.name)  # collectors select_related what they show
        return str(related) if related is not None else ""
    if isinstance(value, bool):
        return str(_YES) if value else str(_NO)
    if isinstance(value, datetime.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list | dict):
        return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return str(value)


def model_record(
    instance: models.Model, *, exclude: Iterable[str] = (), extra: dict[str, Any] | None = None
) -> ExportRecord:
    """Every concrete field of `instance` (but the tenant key, search keys and `exclude`): the JSON keeps raw values
    (foreign keys by id), the summary the field's label and its display (a choice's label, a date as d/m/Y)."""
    skipped = _SKIPPED_FIELDS | set(exclude)
    data: dict[str, Any] = {}
    shown: list[tuple[str, str]] = []
    for model_field in instance._meta.concrete_fields:
        if model_field.name in skipped or model_field.primary_key:
            continue
        data[model_field.attname] = _plain(getattr(instance, model_field.attname))
        text = _shown(instance, model_field)
        if text:
            shown.append((str(model_field.verbose_name), text))
    for key, value in (extra or {}).items():
        data[key] = value
    return ExportRecord(type=instance._meta.label_lower, id=instance.pk, data=data, shown=shown)
