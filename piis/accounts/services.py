"""Writes on a CPAS's own configuration. Each one is atomic and audited."""

from django.db.models import ProtectedError

from piis.accounts.models import ClosureDay, Signatory, SignatoryDelegation
from piis.audit.enums import AuditVerb, ObjectEvents
from piis.audit.services import audited_delete, audited_save
from piis.core.errors import ServiceError

# What happened to each kind of configuration object: (added, changed, removed).
OBJECT_EVENTS = {
    ClosureDay: ObjectEvents(
        AuditVerb.CLOSURE_DAY_ADDED, AuditVerb.CLOSURE_DAY_CHANGED, AuditVerb.CLOSURE_DAY_REMOVED
    ),
    Signatory: ObjectEvents(AuditVerb.SIGNATORY_ADDED, AuditVerb.SIGNATORY_CHANGED, AuditVerb.SIGNATORY_REMOVED),
    SignatoryDelegation: ObjectEvents(
        AuditVerb.DELEGATION_GRANTED, AuditVerb.DELEGATION_CHANGED, AuditVerb.DELEGATION_REVOKED
    ),
}


def cpas_settings_update(*, membership, form, context: str = ""):
    return audited_save(
        actor=membership.user,
        cpas=membership.cpas,
        verb=AuditVerb.CPAS_SETTINGS_CHANGED,
        instance=form.instance,
        context=context,
    )


def cpas_object_save(*, membership, instance, context: str = ""):
    """Save a closure day, a signatory or a delegation of the membership's CPAS."""
    assert instance.cpas_id == membership.cpas_id
    verb = OBJECT_EVENTS[type(instance)].saved(instance)
    return audited_save(actor=membership.user, cpas=membership.cpas, verb=verb, instance=instance, context=context)


def cpas_object_delete(*, membership, instance, context: str = "") -> None:
    """Remove a closure day, a signatory or a delegation. ServiceError REFERRED_TO_BY_RECORDS for a signatory line or
    a delegation that signed a contract: the signature keeps who signed."""
    assert instance.cpas_id == membership.cpas_id
    verb = OBJECT_EVENTS[type(instance)].removed
    try:
        audited_delete(actor=membership.user, cpas=membership.cpas, verb=verb, instance=instance, context=context)
    except ProtectedError:
        raise ServiceError("REFERRED_TO_BY_RECORDS") from None
