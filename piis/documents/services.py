"""Writes of documents, letters and letter templates, each through audit's one write function."""

import hashlib
import os
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction

from piis.audit.enums import AuditVerb
from piis.audit.services import audited_delete, audited_save
from piis.contracts.enums import ContractStatus
from piis.core.errors import ServiceError
from piis.documents.access import can_see_sensitive
from piis.documents.enums import SENSITIVE_DOCUMENT_KINDS, DocumentKind, ExitOutcome, LetterKind
from piis.documents.letters import check_template
from piis.documents.models import ContractOutcome, Document, Explanation, Letter, LetterTemplate
from piis.documents.perms import can_add_documents, can_manage_letter_templates, can_send_letters

_TYPES = ((b"%PDF-", "application/pdf"), (b"\x89PNG", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


def _content_type(head: bytes) -> str:
    return next((kind for magic, kind in _TYPES if head.startswith(magic)), "application/octet-stream")


def _digest(upload) -> str:
    sha = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        sha.update(chunk)
    upload.seek(0)
    return sha.hexdigest()


def document_add(
    *,
    membership,
    beneficiary,
    upload,
    kind: str,
    title: str,
    dated_on: date,
    contract=None,
    step=None,
    clause=None,
    context: str = "",
) -> Document:
    """Keep an uploaded document (already checked by ScanField: PDF, PNG or JPEG, size) in the file, perhaps in one
    of its contracts, perhaps as the proof of a step or of a commitment delivered.

    Raises ServiceError DOCUMENT_NOT_ALLOWED, DOCUMENT_SENSITIVE_NOT_ALLOWED (a medical certificate by a member
    who may not see the sensitive area), DOCUMENT_UNKNOWN_KIND, DOCUMENT_CONTRACT_OF_ANOTHER_FILE,
    DOCUMENT_PROOF_OF_ANOTHER_CONTRACT.
    """
    if not can_add_documents(membership) or beneficiary.cpas_id != membership.cpas_id:
        raise ServiceError("DOCUMENT_NOT_ALLOWED")
    if kind not in DocumentKind.values:
        raise ServiceError("DOCUMENT_UNKNOWN_KIND", field="kind")
    if kind in SENSITIVE_DOCUMENT_KINDS and not can_see_sensitive(membership, beneficiary):
        raise ServiceError("DOCUMENT_SENSITIVE_NOT_ALLOWED", field="kind")
    if contract is not None and contract.beneficiary_id != beneficiary.pk:
        raise ServiceError("DOCUMENT_CONTRACT_OF_ANOTHER_FILE", field="contract")
    for field, part in (("step", step), ("clause", clause)):
        if part is None:
            continue
        part_contract = part.objective.contract_id if field == "step" else part.contract_id
        if contract is None or part_contract != contract.pk:
            raise ServiceError("DOCUMENT_PROOF_OF_ANOTHER_CONTRACT", field=field)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    original = os.path.basename(upload.name or "document")[:200]
    document = Document(
        cpas=membership.cpas,
        beneficiary=beneficiary,
        contract=contract,
        kind=kind,
        title=title.strip()[:200],
        dated_on=dated_on,
        original_name=original,
        content_type=_content_type(head),
        size=upload.size,
        sha256=_digest(upload),
        step=step,
        clause=clause,
        added_by=membership.user,
    )
    extension = os.path.splitext(original)[1].lower() or ".bin"
    document.file.save(f"{beneficiary.pk}-{document.sha256[:16]}{extension}", upload, save=False)
    return audited_save(
        actor=membership.user,
        cpas=membership.cpas,
        verb=AuditVerb.DOCUMENT_ADDED,
        instance=document,
        context=context,
        beneficiary_id=beneficiary.pk,
    )


def document_remove(*, membership, document: Document, context: str = "") -> None:
    """Remove a document added by mistake; its file goes once the removal is committed."""
    if not can_add_documents(membership) or document.cpas_id != membership.cpas_id:
        raise ServiceError("DOCUMENT_NOT_ALLOWED")
    name, storage = document.file.name, document.file.storage
    audited_delete(
        actor=membership.user,
        cpas=membership.cpas,
        verb=AuditVerb.DOCUMENT_REMOVED,
        instance=document,
        context=context,
        beneficiary_id=document.beneficiary_id,
    )
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def letter_send(
    *,
    membership,
    beneficiary,
    kind: str,
    language: str,
    subject: str,
    body: str,
    pdf: bytes,
    sent_on: date,
    contract=None,
    context: str = "",
) -> Letter:
    """Keep a letter as sent: its filled-in text (frozen), its PDF and the PDF's SHA-256."""
    if not can_send_letters(membership) or beneficiary.cpas_id != membership.cpas_id:
        raise ServiceError("DOCUMENT_NOT_ALLOWED")
    if kind not in LetterKind.values:
        raise ServiceError("LETTER_UNKNOWN_KIND", field="kind")
    letter = Letter(
        cpas=membership.cpas,
        beneficiary=beneficiary,
        contract=contract,
        kind=kind,
        language=language,
        subject=subject[:200],
        body=body,
        sha256=hashlib.sha256(pdf).hexdigest(),
        sent_on=sent_on,
        sent_by=membership.user,
    )
    letter.pdf.save(f"letter-{beneficiary.pk}-{kind}-{letter.sha256[:12]}.pdf", ContentFile(pdf), save=False)
    return audited_save(
        actor=membership.user,
        cpas=membership.cpas,
        verb=AuditVerb.LETTER_SENT,
        instance=letter,
        context=context,
        beneficiary_id=beneficiary.pk,
    )


def template_save(
    *, membership, kind: str, language: str, subject: str, body: str, template: LetterTemplate | None = None,
    context: str = "",
) -> LetterTemplate:  # fmt: skip
    """The CPAS's own wording of one letter in one language; placeholders checked (letters.check_template)."""
    if not can_manage_letter_templates(membership):
        raise ServiceError("DOCUMENT_NOT_ALLOWED")
    check_template(kind, subject, body)
    if template is None:
        template = LetterTemplate(cpas=membership.cpas, kind=kind, language=language)
    template.subject = subject
    template.body = body
    return audited_save(
        actor=membership.user, cpas=membership.cpas, verb=AuditVerb.LETTER_TEMPLATE_CHANGED, instance=template,
        context=context,
    )  # fmt: skip


def template_reset(*, membership, template: LetterTemplate, context: str = "") -> None:
    """Back to the default wording shipped: the CPAS's own is removed (audited)."""
    if not can_manage_letter_templates(membership):
        raise ServiceError("DOCUMENT_NOT_ALLOWED")
    audited_delete(
        actor=membership.user, cpas=membership.cpas, verb=AuditVerb.LETTER_TEMPLATE_CHANGED, instance=template,
        context=context,
    )  # fmt: skip


def explanation_save(*, membership, explanation: Explanation, context: str = "") -> Explanation:
    """How a hand-over or an evaluation was explained (new or corrected; stale saves refused by audited_save)."""
    if not can_add_documents(membership) or explanation.cpas_id != membership.cpas_id:
        raise ServiceError("DOCUMENT_NOT_ALLOWED")
    if (
        explanation.assistant is not None
        and explanation.assistant.beneficiary_id != explanation.contract.beneficiary_id
    ):
        raise ServiceError("EXPLANATION_ASSISTANT_OF_ANOTHER_FILE", field="assistant")
    explanation.recorded_by = membership.user
    verb = AuditVerb.HANDOVER_EXPLAINED if explanation.version_id else AuditVerb.EVALUATION_EXPLAINED
    return audited_save(actor=membership.user, cpas=membership.cpas, verb=verb, instance=explanation,
                        context=context, beneficiary_id=explanation.contract.beneficiary_id)  # fmt: skip


def outcome_save(*, membership, outcome: ContractOutcome, context: str = "") -> ContractOutcome:
    """What an ended PIIS led to. Only an ended contract has one (ServiceError OUTCOME_CONTRACT_NOT_ENDED)."""
    if not can_add_documents(membership) or outcome.cpas_id != membership.cpas_id:
        raise ServiceError("DOCUMENT_NOT_ALLOWED")
    if outcome.contract.status != ContractStatus.ENDED:
        raise ServiceError("OUTCOME_CONTRACT_NOT_ENDED")
    if outcome.outcome not in ExitOutcome.values:
        raise ServiceError("OUTCOME_UNKNOWN", field="outcome")
    outcome.recorded_by = membership.user
    return audited_save(actor=membership.user, cpas=membership.cpas, verb=AuditVerb.CONTRACT_OUTCOME_RECORDED,
                        instance=outcome, context=context, beneficiary_id=outcome.contract.beneficiary_id)  # fmt: skip
