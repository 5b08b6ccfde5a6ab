"""The one way to write the audit trail."""

import datetime
import decimal
import functools
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models.fields.files import FieldFile

from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.core import compiled
from piis.core.concurrency import check_read_version
from piis.core.constraints import constraint_service_error


def _plain(value):
    if isinstance(value, FieldFile):
        return value.name or None  # the stored path, not the file's content
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def snapshot(instance: models.Model) -> dict:
    """The instance's concrete field values, JSON-ready, keyed by field name (foreign keys by their id)."""
    return {
        field.name: _plain(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        # Derived and automatic fields (search keys, timestamps) are not changes anyone made.
        if field.name not in {"id", "cpas"} and field.editable
    }


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for every field that changed (before={} for a creation, after={} for a deletion)."""
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def record(
    *,
    actor,
    cpas,
    verb: AuditVerb,
    target: models.Model | None = None,
    target_type: str | None = None,
    changes: dict | None = None,
    beneficiary_id: int | None = None,
    context: str = "",
) -> AuditEvent:
    """Append one audit event. Call it inside the transaction of the write it records.

    `verb` is what happened, one of AuditVerb (ValueError for anything else). `target` is the object written or
    read; `beneficiary_id` names the file it belongs to, so the DPO can list everyone who saw or changed one
    person's file. `context` is the page or API path it came from.
    """
    verb = AuditVerb(verb)
    event = AuditEvent(
        cpas_id=cpas.pk if hasattr(cpas, "pk") else cpas,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=getattr(actor, "username", "") or "system",
        verb=verb,
        target_type=target_type or (target._meta.label_lower if target is not None else ""),
        target_id=getattr(target, "pk", None),
        target_repr=str(target)[:200] if target is not None else "",
        beneficiary_id=beneficiary_id,
        changes=changes or {},
        context=context[:300],
    )
    _write(event)
    return event


def _write(event: AuditEvent) -> None:
    if connection.vendor == "postgresql":
        _insert(event)
    else:
        event.save(force_insert=True)


@functools.cache
def _insert_sql() -> tuple[str, tuple]:
    fields = tuple(field for field in AuditEvent._meta.concrete_fields if not field.primary_key)
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    key = connection.ops.quote_name(str(AuditEvent._meta.pk.column))
    return f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) RETURNING {key}", fields


def _insert(event: AuditEvent) -> None:
    """event.save() as one prepared INSERT (core.compiled): every audited page writes a row, and building the ORM's
    insert cost twice its run (issue 15). The values are prepared as the ORM prepares them; AuditEvent has no
    save signal receiver to miss (tests/audit/test_audit.py checks both)."""
    sql, fields = _insert_sql()
    params = [field.get_db_prep_save(getattr(event, field.attname), connection) for field in fields]
    event.pk = compiled.rows(sql, params, prepared=True)[0][0]
    event._state.adding = False
    event._state.db = connection.alias


def record_people_shown(
    *, actor, cpas, beneficiary_ids, context: str, verb: AuditVerb = AuditVerb.FILE_LIST_OPENED
) -> AuditEvent | None:
    """One row for a page that lists several people (the files list, the agenda, the home page): `changes` holds
    the ids of the files it showed, so the DPO finds the read under each of them. A page that showed nobody writes
    nothing."""
    ids = sorted({pk for pk in beneficiary_ids if pk is not None})
    if not ids:
        return None
    return record(
        actor=actor,
        cpas=cpas,
        verb=verb,
        target_type="cases.beneficiary",
        changes={"beneficiaries": ids},
        beneficiary_id=ids[0] if len(ids) == 1 else None,
        context=context,
    )


def audited_save(
    *,
    actor,
    cpas,
    verb: AuditVerb,
    instance: models.Model,
    context: str = "",
    beneficiary_id: int | None = None,
):
    """Create or update a tenant object and record what changed as `verb`, in one transaction (the caller's or
    ours). `verb` is what happened (`AuditVerb.RI_DECISION_CORRECTED`), chosen by the service that knows it.

    A database constraint refused (by `full_clean`, or by the database when another user wrote first) raises the
    ServiceError of its catalogue code (piis.core.constraints), never the constraint's name. An object saved from
    an edit form is first locked and compared with the version the form was read at: StaleSave when someone else
    saved it meanwhile, and nothing is written (piis.core.concurrency)."""
    with transaction.atomic():
        is_new = instance.pk is None
        stored = None if is_new else check_read_version(instance)
        if stored is None and not is_new:
            stored = type(instance)._default_manager.get(pk=instance.pk)
        before = {} if stored is None else snapshot(stored)
        try:
            instance.full_clean()
            instance.save()
        except (IntegrityError, ValidationError) as error:
            refused = constraint_service_error(error)
            if refused is None:
                raise
            raise refused from error
        changes = diff(before, snapshot(instance))
        if is_new or changes:
            record(
                actor=actor,
                cpas=cpas,
                verb=verb,
                target=instance,
                changes=changes,
                beneficiary_id=beneficiary_id,
                context=context,
            )
    return instance


def audited_delete(
    *,
    actor,
    cpas,
    verb: AuditVerb,
    instance: models.Model,
    context: str = "",
    beneficiary_id: int | None = None,
):
    """Delete a tenant object and record its last values as `verb` (what happened), in one transaction."""
    with transaction.atomic():
        record(
            actor=actor,
            cpas=cpas,
            verb=verb,
            target=instance,
            changes=diff(snapshot(instance), {}),
            beneficiary_id=beneficiary_id,
            context=context,
        )
        instance.delete()
