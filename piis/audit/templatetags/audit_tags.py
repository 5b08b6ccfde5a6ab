"""The audit trail as the data-protection officer reads it: what changed, named and valued in the active language
where the model says how (a field's translated name, a choice's label, yes/no), the stored identifier otherwise.
The stored row is never altered: the CSV export keeps the raw values."""

from typing import Any

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.defaultfilters import yesno
from django.utils.functional import Promise
from django.utils.text import capfirst

from piis.audit.enums import AuditVerb

register = template.Library()

EMPTY = "—"


def _model(target_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _translated(name: object) -> str | None:
    """A verbose name the model marked for translation, capitalised; None when it is not one."""
    return capfirst(str(name)) if isinstance(name, Promise) else None


def _label(field: models.Field | None) -> str | None:
    """The field's translated name, or None when the model gives it none (its identifier is shown instead)."""
    return _translated(field.verbose_name) if field is not None else None


def _value(field: models.Field | None, value: Any) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return str(yesno(value))
    if isinstance(value, list):
        if all(isinstance(item, str | int | float) and not isinstance(item, bool) for item in value):
            return ", ".join(_value(field, item) for item in value)
        return "[…]"
    if isinstance(value, dict):
        return "{…}"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


@register.filter
def audit_changes(event) -> list[dict[str, Any]]:
    """[{name, label, codes, before, after} or {name, label, codes, value}] for each entry of the event's `changes`:
    a field of the target's model holds [before, after]; anything else (an export's filters, a count) is one value."""
    model = _model(event.target_type)
    rows = []
    for name, values in (event.changes or {}).items():
        field = _field(model, name)
        # A list of codes kept in a JSON field (orientations, rights explained) has no labels here: identifiers.
        codes = field is not None and not field.choices and isinstance(field, models.JSONField)
        row: dict[str, Any] = {"name": name, "label": _label(field), "codes": codes}
        if field is not None and isinstance(values, list) and len(values) == 2:
            row["before"], row["after"] = _value(field, values[0]), _value(field, values[1])
        else:
            row["value"] = _value(field, values)
        rows.append(row)
    return rows


@register.filter
def audit_object_type(target_type: str) -> str:
    """The target's kind in the active language ("Dossier"), or its identifier when it is not a known model."""
    model = _model(target_type)
    return (_translated(model._meta.verbose_name) if model is not None else None) or target_type


@register.filter
def audit_verb(verb: str) -> str:
    """An event's action in the active language, as `get_verb_display` shows it (an unknown code as stored), without
    its cost: Django's get_FOO_display translates every choice (~150 actions) on each call (issue 15)."""
    try:
        return str(AuditVerb(verb).label)
    except ValueError:
        return verb
