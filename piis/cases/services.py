from collections.abc import Sequence

from django.db import transaction

from piis.audit.enums import AuditVerb, ObjectEvents
from piis.audit.services import audited_delete, audited_save
from piis.cases.models import (
    AssessmentItem,
    Assistant,
    Beneficiary,
    Exemption,
    HouseholdMember,
    IncomePeriod,
    NeedsAssessment,
    RiDecision,
)
from piis.core.errors import ServiceError

# What happened to each kind of record of a file: (added, changed, removed).
RECORD_EVENTS = {
    HouseholdMember: ObjectEvents(
        AuditVerb.HOUSEHOLD_MEMBER_ADDED,
        AuditVerb.HOUSEHOLD_MEMBER_CHANGED,
        AuditVerb.HOUSEHOLD_MEMBER_REMOVED,
    ),
    Assistant: ObjectEvents(AuditVerb.ASSISTANT_ADDED, AuditVerb.ASSISTANT_CHANGED, AuditVerb.ASSISTANT_REMOVED),
    RiDecision: ObjectEvents(
        AuditVerb.RI_DECISION_RECORDED, AuditVerb.RI_DECISION_CORRECTED, AuditVerb.RI_DECISION_REMOVED
    ),
    IncomePeriod: ObjectEvents(
        AuditVerb.EARLIER_PERIOD_RECORDED,
        AuditVerb.EARLIER_PERIOD_CORRECTED,
        AuditVerb.EARLIER_PERIOD_REMOVED,
    ),
    Exemption: ObjectEvents(AuditVerb.EXEMPTION_GRANTED, AuditVerb.EXEMPTION_CHANGED, AuditVerb.EXEMPTION_REMOVED),
}


def record_saved_event(record) -> AuditVerb:
    """The event of saving `record` (a record of a file) now: added if new, changed otherwise."""
    return RECORD_EVENTS[type(record)].saved(record)


@transaction.atomic
def beneficiary_save(*, membership, beneficiary: Beneficiary, context: str = "") -> Beneficiary:
    """Create or update a file in the membership's CPAS; the audit row records every changed field."""
    beneficiary.cpas = membership.cpas
    verb = AuditVerb.FILE_CREATED if beneficiary.pk is None else AuditVerb.FILE_UPDATED
    audited_save(actor=membership.user, cpas=membership.cpas, verb=verb, instance=beneficiary, context=context)
    # The file's own id is known only after the first save; the read/write history is keyed by it.
    return beneficiary


@transaction.atomic
def file_record_save(*, membership, beneficiary: Beneficiary, record, context: str = ""):
    """Create or update one record of a file (household member, assistant, RI decision, earlier period, exemption).

    The record is tied to the file and the CPAS here, whatever the caller set; the audit row names the file.
    An RI decision is saved on its own statutory conditions: nothing about a PIIS is checked (R14, S-Dec 11).
    """
    assert beneficiary.cpas_id == membership.cpas_id
    record.cpas = membership.cpas
    record.beneficiary = beneficiary
    return audited_save(
        actor=membership.user,
        cpas=membership.cpas,
        verb=record_saved_event(record),
        instance=record,
        context=context,
        beneficiary_id=beneficiary.pk,
    )


@transaction.atomic
def file_record_delete(*, membership, beneficiary: Beneficiary, record, context: str = "") -> None:
    """Remove one record of a file, keeping its last values in the audit trail."""
    assert record.cpas_id == membership.cpas_id and record.beneficiary_id == beneficiary.pk
    audited_delete(
        actor=membership.user,
        cpas=membership.cpas,
        verb=RECORD_EVENTS[type(record)].removed,
        instance=record,
        context=context,
        beneficiary_id=beneficiary.pk,
    )


@transaction.atomic
def needs_assessment_save(
    *,
    membership,
    beneficiary: Beneficiary,
    assessment: NeedsAssessment,
    items: Sequence[AssessmentItem] = (),
    removed_items: Sequence[AssessmentItem] = (),
    context: str = "",
) -> NeedsAssessment:
    """Create or update a needs assessment (R25) and its items by life domain, in one transaction.

    Each item is validated by the model (S-Dom 16: a sensitive domain needs a justification and explicit consent),
    so this service refuses what a form might have let through.
    """
    assert beneficiary.cpas_id == membership.cpas_id
    assessment.cpas = membership.cpas
    assessment.beneficiary = beneficiary
    if not assessment.author_id:  # a new assessment: its author is who records it
        assessment.author = membership.user
    audit = {"actor": membership.user, "cpas": membership.cpas, "context": context, "beneficiary_id": beneficiary.pk}
    # The assessment and its items are one act: recording a new assessment, or updating one.
    new = assessment.pk is None
    audit["verb"] = AuditVerb.NEEDS_ASSESSMENT_RECORDED if new else AuditVerb.NEEDS_ASSESSMENT_UPDATED
    audited_save(instance=assessment, **audit)
    for item in removed_items:
        assert item.assessment_id == assessment.pk
        audited_delete(instance=item, **audit)
    for item in items:
        item.cpas = membership.cpas
        item.assessment = assessment
        audited_save(instance=item, **audit)
    return assessment


@transaction.atomic
def break_the_glass(*, membership, beneficiary: Beneficiary, reason: str, context: str = ""):
    """Open one file beyond need-to-know for BREAK_GLASS_HOURS: a GlassBreak with the reason, audited as
    FILE_GLASS_BROKEN (the DPO's list: www.audit_trail.glass_breaks). ServiceError BREAK_GLASS_REASON_TOO_SHORT for
    a reason shorter than BREAK_GLASS_REASON_MIN_LENGTH; the role must work on files (checked by the caller)."""
    from django.utils import timezone

    from piis.audit.services import record
    from piis.cases.access import BREAK_GLASS_DURATION, BREAK_GLASS_REASON_MIN_LENGTH
    from piis.cases.models import GlassBreak

    assert beneficiary.cpas_id == membership.cpas_id
    reason = " ".join((reason or "").split())
    if len(reason) < BREAK_GLASS_REASON_MIN_LENGTH:
        raise ServiceError(
            "BREAK_GLASS_REASON_TOO_SHORT", field="reason", params={"min": BREAK_GLASS_REASON_MIN_LENGTH}
        )
    now = timezone.now()
    grant = GlassBreak.objects.create(
        cpas=membership.cpas,
        beneficiary=beneficiary,
        user=membership.user,
        reason=reason,
        until=now + BREAK_GLASS_DURATION,
    )
    record(
        actor=membership.user,
        cpas=membership.cpas,
        verb=AuditVerb.FILE_GLASS_BROKEN,
        target=beneficiary,
        beneficiary_id=beneficiary.pk,
        changes={"reason": reason, "until": grant.until.isoformat()},
        context=context,
    )
    return grant
