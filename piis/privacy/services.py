"""Writes of the personal-data tools, each with its audit row in the same transaction."""

from django.db import transaction

from piis.audit.enums import AuditVerb
from piis.audit.services import audited_save, record
from piis.privacy.models import RetentionPeriod


@transaction.atomic
def retention_period_set(*, membership, period: RetentionPeriod, years: int, context: str) -> RetentionPeriod:
    assert period.cpas_id == membership.cpas_id
    period.years = years
    return audited_save(
        actor=membership.user,
        cpas=membership.cpas,
        verb=AuditVerb.RETENTION_PERIOD_CHANGED,
        instance=period,
        context=context,
    )


def personal_data_export_recorded(
    *, membership, person, counts: dict[str, int], files: list[str], failed: list[str], context: str
) -> None:
    """The DPO took a copy of everything held about the person: which sections, how many rows, which files."""
    record(
        actor=membership.user,
        cpas=membership.cpas,
        verb=AuditVerb.PERSONAL_DATA_EXPORTED,
        target=person,
        beneficiary_id=person.pk,
        changes={"sections": counts, "files": len(files), "files_not_made": failed},
        context=context,
    )
