"""The transfer of a PIIS to the newly competent CPAS (R21, R51–R54). Writes only; each one audited.

The old CPAS records the move (`transfer_record_move`), which forwards the request to the new CPAS within the R54
deadline — as an `IncomingTransfer` holding the person's identity only, when the new CPAS is in this deployment. The
person is told by letter that they may refuse (S-Info 24); their answer is recorded on either side
(`transfer_record_answer` at the old CPAS, `incoming_record_refusal` at the new one, R52). Without a refusal the old
CPAS sends the package (`transfer_send`): the open PIIS document (transfers/package.py), a takeover review per open
commitment at the new CPAS, and the old PIIS ends with reason "transferred" through contracts' own service. After a
refusal nothing of the PIIS reaches the new CPAS (O4). A package from another deployment comes in through
`package_import`, all or nothing.

Writing the other side's row sets that CPAS for row-level security for the duration of the write only (`_at`).
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

from django.db import transaction

from piis.accounts.models import Cpas
from piis.audit.enums import AuditVerb
from piis.audit.services import audited_save
from piis.cases.models import Beneficiary
from piis.contracts.enums import ContractStatus, EndReason
from piis.contracts.models import Contract
from piis.contracts.services.lifecycle import contract_end
from piis.core.errors import ServiceError
from piis.core.rls import set_current_cpas
from piis.transfers import facts
from piis.transfers.enums import Answer, Channel, Takeover, TransferStatus
from piis.transfers.models import IncomingTransfer, TakeoverReview, Transfer
from piis.transfers.openpiis import read_package
from piis.transfers.package import build_document, version_to_send

__all__ = [
    "incoming_record_refusal",
    "package_import",
    "review_decide",
    "transfer_record_answer",
    "transfer_record_letter",
    "transfer_record_move",
    "transfer_send",
]


@contextmanager
def _at(cpas_id: int, *, back_to: int):
    """Write a row of another CPAS (the other side of a transfer): RLS set to it, then back."""
    set_current_cpas(cpas_id)
    try:
        yield
    finally:
        set_current_cpas(back_to)


def _save(actor, cpas, instance, verb: AuditVerb, context: str, beneficiary_id: int | None = None):
    return audited_save(
        actor=actor, cpas=cpas, verb=verb, instance=instance, context=context, beneficiary_id=beneficiary_id
    )


@transaction.atomic
def transfer_record_move(
    *,
    membership,
    contract: Contract,
    moved_on: date,
    learned_on: date,
    answer_by: date,
    new_cpas: Cpas | None = None,
    other_name: str = "",
    other_nis_code: str = "",
    studies_uninterrupted: bool = False,
    today: date,
    context: str = "",
) -> Transfer:
    """The person moved and another CPAS became competent. Raises ServiceError TRANSFER_NOT_IN_FORCE,
    TRANSFER_STUDY_PIIS_STAYS (R21), TRANSFER_SAME_CPAS, TRANSFER_DESTINATION_REQUIRED, TRANSFER_EXISTS,
    TRANSFER_DATES (moved after learned, answer date before the move was known)."""
    contract = Contract.objects.select_for_update().select_related("beneficiary").get(pk=contract.pk)
    if contract.cpas_id != membership.cpas_id or contract.status != ContractStatus.IN_FORCE:
        raise ServiceError("TRANSFER_NOT_IN_FORCE")
    if not facts.transfer_applies(contract, studies_uninterrupted=studies_uninterrupted):
        raise ServiceError("TRANSFER_STUDY_PIIS_STAYS", field="studies_uninterrupted", rule="R21")
    if new_cpas is None and not other_nis_code:
        raise ServiceError("TRANSFER_DESTINATION_REQUIRED", field="new_cpas")
    if new_cpas is not None and new_cpas.pk == membership.cpas_id or other_nis_code == membership.cpas.nis_code:
        raise ServiceError("TRANSFER_SAME_CPAS", field="new_cpas")
    if learned_on < moved_on or learned_on > today:
        raise ServiceError("TRANSFER_DATES", field="learned_on")
    if answer_by < learned_on:
        raise ServiceError("TRANSFER_ANSWER_BEFORE_MOVE", field="answer_by")
    if (
        Transfer.objects.for_cpas(membership.cpas)
        .filter(contract=contract)
        .exclude(status=TransferStatus.REFUSED)
        .exists()
    ):
        raise ServiceError("TRANSFER_EXISTS")
    person = contract.beneficiary
    transfer = _save(
        membership.user,
        membership.cpas,
        Transfer(
            cpas=membership.cpas,
            beneficiary=person,
            contract=contract,
            moved_on=moved_on,
            learned_on=learned_on,
            forward_by=facts.forward_by(learned_on),
            new_cpas=new_cpas,
            other_name=other_name if new_cpas is None else "",
            other_nis_code=other_nis_code if new_cpas is None else "",
            language=person.language,
            answer_by=answer_by,
            recorded_by=membership.user,
        ),
        AuditVerb.TRANSFER_RECORDED,
        context,
        person.pk,
    )
    if new_cpas is not None:
        with _at(new_cpas.pk, back_to=membership.cpas_id):
            _save(
                membership.user,
                new_cpas,
                IncomingTransfer(
                    cpas=new_cpas,
                    source_transfer_id=transfer.pk,
                    from_name=membership.cpas.name,
                    from_nis_code=membership.cpas.nis_code,
                    first_name=person.first_name,
                    last_name=person.last_name,
                    birth_date=person.birth_date,
                    national_number=person.national_number or "",
                    moved_on=moved_on,
                    beneficiary=_file_at(new_cpas, person.national_number),
                ),
                AuditVerb.TRANSFER_REQUEST_RECEIVED,
                context,
            )
    return transfer


def _file_at(cpas: Cpas, national_number: str | None) -> Beneficiary | None:
    if not national_number:
        return None
    return Beneficiary.objects.for_cpas(cpas).filter(national_number=national_number).first()


def _incoming_of(transfer: Transfer) -> IncomingTransfer | None:
    """The new CPAS's side of `transfer` (read, and locked, under the new CPAS for row-level security)."""
    if transfer.new_cpas_id is None:
        return None
    with _at(transfer.new_cpas_id, back_to=transfer.cpas_id):
        return (
            IncomingTransfer.objects.select_for_update()
            .filter(cpas_id=transfer.new_cpas_id, source_transfer_id=transfer.pk)
            .first()
        )


def _lock(transfer: Transfer) -> Transfer:
    return (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("beneficiary", "contract", "contract__cpas", "new_cpas")
        .get(pk=transfer.pk)
    )


@transaction.atomic
def transfer_record_letter(
    *, membership, transfer: Transfer, sent_on: date, today: date, context: str = ""
) -> Transfer:
    transfer = _lock(transfer)
    if sent_on < transfer.learned_on or sent_on > today:
        raise ServiceError("TRANSFER_LETTER_DATE", field="sent_on")
    transfer.letter_sent_on = sent_on
    return _save(membership.user, membership.cpas, transfer, AuditVerb.TRANSFER_LETTER_SENT, context,
                 transfer.beneficiary_id)  # fmt: skip


def _refuse(membership, transfer: Transfer | None, incoming: IncomingTransfer | None, *, on: date, channel: str,
            context: str, here: int) -> None:  # fmt: skip
    if transfer is not None:
        transfer.answer, transfer.answered_on, transfer.channel = Answer.REFUSAL, on, channel
        transfer.status = TransferStatus.REFUSED
        with _at(transfer.cpas_id, back_to=here):
            _save(membership.user, transfer.cpas_id, transfer, AuditVerb.TRANSFER_REFUSED, context,
                  transfer.beneficiary_id)  # fmt: skip
    if incoming is not None:
        incoming.status = TransferStatus.REFUSED
        incoming.refused_on, incoming.refusal_channel = on, channel
        incoming.refusal_recorded_by = membership.user
        incoming.package = None
        with _at(incoming.cpas_id, back_to=here):
            _save(membership.user, incoming.cpas_id, incoming, AuditVerb.TRANSFER_REFUSED, context,
                  incoming.beneficiary_id)  # fmt: skip


@transaction.atomic
def transfer_record_answer(
    *, membership, transfer: Transfer, answer: str, answered_on: date, channel: str = "", today: date,
    context: str = "",
) -> Transfer:  # fmt: skip
    """The person's answer, at the old CPAS. A refusal is mirrored at the new CPAS (R52); "no answer" only once
    the date given has passed. Raises TRANSFER_ANSWERED, TRANSFER_ANSWER_DATE, TRANSFER_NO_ANSWER_TOO_EARLY,
    TRANSFER_CHANNEL_REQUIRED."""
    transfer = _lock(transfer)
    if transfer.status != TransferStatus.AWAITING_ANSWER or transfer.answer:
        raise ServiceError("TRANSFER_ANSWERED")
    if answer not in Answer.values:
        raise ServiceError("TRANSFER_ANSWER_DATE", field="answer")
    if answered_on > today or answered_on < transfer.learned_on:
        raise ServiceError("TRANSFER_ANSWER_DATE", field="answered_on")
    if answer == Answer.NO_ANSWER and answered_on <= transfer.answer_by:
        raise ServiceError("TRANSFER_NO_ANSWER_TOO_EARLY", field="answer", params={"date": transfer.answer_by})
    if answer != Answer.NO_ANSWER and channel not in Channel.values:
        raise ServiceError("TRANSFER_CHANNEL_REQUIRED", field="channel")
    if answer == Answer.REFUSAL:
        _refuse(membership, transfer, _incoming_of(transfer), on=answered_on, channel=channel, context=context,
                here=membership.cpas_id)  # fmt: skip
        return transfer
    transfer.answer, transfer.answered_on = answer, answered_on
    transfer.channel = channel if answer != Answer.NO_ANSWER else ""
    return _save(membership.user, membership.cpas, transfer, AuditVerb.TRANSFER_ANSWER_RECORDED, context,
                 transfer.beneficiary_id)  # fmt: skip


@transaction.atomic
def incoming_record_refusal(
    *, membership, incoming: IncomingTransfer, refused_on: date, channel: str, today: date, context: str = ""
) -> IncomingTransfer:
    """R52: the person tells the new CPAS they refuse. Nothing of the PIIS is received; the old CPAS's transfer
    is marked refused too. Raises TRANSFER_ALREADY_SENT, TRANSFER_ANSWER_DATE, TRANSFER_CHANNEL_REQUIRED."""
    incoming = IncomingTransfer.objects.select_for_update().get(pk=incoming.pk, cpas=membership.cpas)
    if incoming.status != TransferStatus.AWAITING_ANSWER:
        raise ServiceError("TRANSFER_ALREADY_SENT")
    if refused_on > today or refused_on < incoming.moved_on:
        raise ServiceError("TRANSFER_ANSWER_DATE", field="refused_on")
    if channel not in Channel.values:
        raise ServiceError("TRANSFER_CHANNEL_REQUIRED", field="channel")
    transfer = None
    source = incoming.source_transfer_id
    old = Cpas.objects.filter(nis_code=incoming.from_nis_code).first() if source else None
    if old is not None and source is not None:
        with _at(old.pk, back_to=membership.cpas_id):
            transfer = Transfer.objects.select_for_update().filter(pk=source, cpas=old).first()
        if transfer is not None and transfer.status != TransferStatus.AWAITING_ANSWER:
            raise ServiceError("TRANSFER_ALREADY_SENT")
    _refuse(membership, transfer, incoming, on=refused_on, channel=channel, context=context,
            here=membership.cpas_id)  # fmt: skip
    return incoming


def _receive(actor, incoming: IncomingTransfer, document: dict, *, today: date, verb: AuditVerb, context: str):
    """Put the package in `incoming` and open a takeover review per open commitment (R51)."""
    incoming.package = document
    incoming.status = TransferStatus.RECEIVED
    incoming.received_on = today
    _save(actor, incoming.cpas_id, incoming, verb, context, incoming.beneficiary_id)
    for commitment in document["piis"]["commitments"]:
        if commitment["open"]:
            TakeoverReview.objects.create(
                cpas_id=incoming.cpas_id,
                incoming=incoming,
                commitment_id=commitment["id"],
                party=commitment["party"],
                text=commitment["text"],
            )


@transaction.atomic
def transfer_send(*, membership, transfer: Transfer, pdf: bytes, today: date, context: str = "") -> Transfer:
    """Without a refusal (consent, or no answer by the date), send the package and end the old PIIS with reason
    "transferred" (contracts.services.lifecycle.contract_end). Raises TRANSFER_NOT_ANSWERED,
    TRANSFER_REFUSED_NO_CONTENT,
    TRANSFER_ALREADY_SENT, and contract_end's errors."""
    transfer = _lock(transfer)
    if transfer.status == TransferStatus.REFUSED or not facts.content_allowed(
        refused=transfer.answer == Answer.REFUSAL
    ):
        raise ServiceError("TRANSFER_REFUSED_NO_CONTENT")
    if transfer.status != TransferStatus.AWAITING_ANSWER:
        raise ServiceError("TRANSFER_ALREADY_SENT")
    if transfer.answer not in (Answer.CONSENT, Answer.NO_ANSWER):
        raise ServiceError("TRANSFER_NOT_ANSWERED")
    incoming = _incoming_of(transfer) if transfer.new_cpas_id else None
    if incoming is not None and incoming.status == TransferStatus.REFUSED:
        raise ServiceError("TRANSFER_REFUSED_NO_CONTENT")
    if version_to_send(transfer.contract) is None:
        raise ServiceError("TRANSFER_NOT_IN_FORCE")
    document = build_document(transfer, pdf=pdf, answer=transfer.answer, answered_on=transfer.answered_on,
                              today=today)  # fmt: skip
    contract_end(membership=membership, contract=transfer.contract, ended_on=today, reason=EndReason.TRANSFERRED,
                 today=today, context=context)  # fmt: skip
    transfer.status = TransferStatus.SENT
    transfer.sent_on = today
    transfer.package = document  # what the old CPAS held and sent: it keeps reading that, and only that
    _save(membership.user, membership.cpas, transfer, AuditVerb.TRANSFER_PACKAGE_SENT, context,
          transfer.beneficiary_id)  # fmt: skip
    if incoming is not None:
        with _at(incoming.cpas_id, back_to=membership.cpas_id):
            _receive(membership.user, incoming, document, today=today, verb=AuditVerb.TRANSFER_PACKAGE_RECEIVED,
                     context=context)  # fmt: skip
    return transfer


@transaction.atomic
def package_import(*, actor, cpas: Cpas, raw: bytes, today: date, context: str = "") -> IncomingTransfer:
    """A package from another deployment, checked by openpiis.read_package, stored whole or not at all. Raises its
    codes and PACKAGE_ALREADY_IMPORTED."""
    document = read_package(raw, destination_nis_code=cpas.nis_code)
    package_id = document["package_id"]
    if IncomingTransfer.objects.for_cpas(cpas).filter(package__package_id=package_id).exists():
        raise ServiceError("PACKAGE_ALREADY_IMPORTED", field="package")
    person = document["person"]
    incoming = IncomingTransfer(
        cpas=cpas,
        from_name=document["source"]["name"],
        from_nis_code=document["source"]["nis_code"],
        first_name=person["first_name"],
        last_name=person["last_name"],
        birth_date=date.fromisoformat(person["birth_date"]),
        national_number=person["national_number"],
        moved_on=date.fromisoformat(document["transfer"]["moved_on"]),
        beneficiary=_file_at(cpas, person["national_number"]),
        imported=True,
    )
    _receive(actor, incoming, document, today=today, verb=AuditVerb.TRANSFER_PACKAGE_IMPORTED, context=context)
    return incoming


@transaction.atomic
def review_decide(
    *, membership, review: TakeoverReview, decision: str, reason: str, today: date, context: str = ""
) -> TakeoverReview:
    """R51: keep, adapt or drop one commitment of the received PIIS, with a reason. Raises
    TAKEOVER_ALREADY_DECIDED, TAKEOVER_DECISION, TAKEOVER_REASON_REQUIRED."""
    review = TakeoverReview.objects.select_for_update().select_related("incoming").get(pk=review.pk)
    if review.decision:  # decided once: a second decision (two people at once, a form sent again) changes nothing
        raise ServiceError("TAKEOVER_ALREADY_DECIDED", params={"date": review.decided_on})
    if decision not in Takeover.values:
        raise ServiceError("TAKEOVER_DECISION", field="decision")
    if len(reason.strip()) < 3:
        raise ServiceError("TAKEOVER_REASON_REQUIRED", field="reason")
    review.decision, review.reason = decision, reason.strip()
    review.decided_on, review.decided_by = today, membership.user
    return _save(membership.user, membership.cpas, review, AuditVerb.TRANSFER_TAKEOVER_DECIDED, context,
                 review.incoming.beneficiary_id)  # fmt: skip
