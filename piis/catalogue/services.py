"""Writes to the catalogue and the target groups: the CPAS administrator's, each audited."""

from piis.audit.enums import AuditVerb, ObjectEvents
from piis.audit.services import audited_save
from piis.catalogue.models import CatalogueEntry, TargetGroup
from piis.core.errors import ServiceError

ENTRY_EVENTS = ObjectEvents(AuditVerb.CPAS_CATALOGUE_ENTRY_ADDED, AuditVerb.CPAS_CATALOGUE_ENTRY_CHANGED,
                            AuditVerb.CPAS_CATALOGUE_ENTRY_CHANGED)  # fmt: skip
GROUP_EVENTS = ObjectEvents(AuditVerb.CPAS_TARGET_GROUP_ADDED, AuditVerb.CPAS_TARGET_GROUP_CHANGED,
                            AuditVerb.CPAS_TARGET_GROUP_CHANGED)  # fmt: skip


def _same_name_taken(model, instance) -> bool:
    rows = model.objects.for_cpas(instance.cpas_id).filter(name__iexact=instance.name.strip())
    return rows.exclude(pk=instance.pk).exists()


def catalogue_entry_save(*, membership, entry: CatalogueEntry, context: str = "") -> CatalogueEntry:
    """Add or change a service or partner of the membership's CPAS (never removed: contracts point to it; it is
    made inactive instead). ServiceError CATALOGUE_NAME_TAKEN."""
    assert entry.cpas_id == membership.cpas_id
    entry.name = entry.name.strip()
    if _same_name_taken(CatalogueEntry, entry):
        raise ServiceError("CATALOGUE_NAME_TAKEN", field="name")
    entry.languages = sorted(set(entry.languages or []))
    verb = ENTRY_EVENTS.saved(entry)
    return audited_save(actor=membership.user, cpas=membership.cpas, verb=verb, instance=entry, context=context)


def target_group_save(*, membership, group: TargetGroup, context: str = "") -> TargetGroup:
    """Add or change a target group of the CPAS's policy. ServiceError CATALOGUE_NAME_TAKEN."""
    assert group.cpas_id == membership.cpas_id
    group.name = group.name.strip()
    if _same_name_taken(TargetGroup, group):
        raise ServiceError("CATALOGUE_NAME_TAKEN", field="name")
    verb = GROUP_EVENTS.saved(group)
    return audited_save(actor=membership.user, cpas=membership.cpas, verb=verb, instance=group, context=context)
