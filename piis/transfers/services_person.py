"""The person answers the transfer of their PIIS themselves, on their portal (R52: they may refuse).

The answer goes through the very service staff use (`services.transfer_record_answer`, channel "portal"): a refusal
is mirrored at the new CPAS, which then receives nothing of the PIIS, exactly as when the worker records it.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from piis.cases.person import confirm_to_person, person_actor, portal_context, require_own
from piis.core.errors import ServiceError
from piis.transfers.enums import Answer, Channel, TransferStatus
from piis.transfers.models import Transfer
from piis.transfers.services import transfer_record_answer


@transaction.atomic
def person_answer_transfer(
    *, user, beneficiary, transfer: Transfer, accept: bool, today: date, context: str = ""
) -> Transfer:
    """The person agrees to (`accept`) or refuses the transfer of their PIIS. PERSON_NOT_OWN for another file's
    transfer; PERSON_TRANSFER_CLOSED once answered (a second tap finds the answer given: nothing changes)."""
    actor = person_actor(user=user, beneficiary=beneficiary)
    require_own(beneficiary, transfer.beneficiary_id)
    if transfer.cpas_id != beneficiary.cpas_id:
        raise ServiceError("PERSON_NOT_OWN")
    if transfer.status != TransferStatus.AWAITING_ANSWER or transfer.answer:
        raise ServiceError("PERSON_TRANSFER_CLOSED")
    try:
        transfer = transfer_record_answer(
            membership=actor,
            transfer=transfer,
            answer=Answer.CONSENT if accept else Answer.REFUSAL,
            answered_on=today,
            channel=Channel.PORTAL,
            today=today,
            context=portal_context(context),
        )
    except ServiceError as error:
        if error.code == "TRANSFER_ANSWERED":
            raise ServiceError("PERSON_TRANSFER_CLOSED") from error
        raise
    confirm_to_person(
        beneficiary=beneficiary,
        subject=_("Your answer about your PIIS after your move"),
        lines=[
            _("You agree that your PIIS goes to your new CPAS.")
            if accept
            else _("You refuse that your PIIS goes to your new CPAS. It will not be sent."),
        ],
    )
    return transfer
