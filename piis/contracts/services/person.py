"""The person asks for an amendment of their PIIS (portal), and the worker answers it.

The request is the person's words only: an amendment itself is drafted, handed over and consented by every party
through the lifecycle services (R49); the request appears on the contract page and on the worker's agenda until the
worker marks it answered.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from piis.audit.enums import AuditVerb
from piis.audit.services import audited_save
from piis.cases.models import Beneficiary
from piis.cases.person import confirm_to_person, person_actor, portal_context, require_own
from piis.contracts.enums import ContractStatus
from piis.contracts.models import AmendmentRequest, Contract
from piis.core.errors import ServiceError

TEXT_MAX_LENGTH = 2000


def _text(text: str, field: str, *, required: bool = True) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ServiceError("PERSON_TEXT_REQUIRED", field=field)
    if len(text) > TEXT_MAX_LENGTH:
        raise ServiceError("PERSON_TEXT_TOO_LONG", field=field, params={"max": TEXT_MAX_LENGTH})
    return text


@transaction.atomic
def person_request_amendment(
    *,
    user,
    beneficiary,
    contract: Contract,
    text: str,
    today: date,
    submission_key: UUID | None = None,
    context: str = "",
) -> AmendmentRequest:
    """The person asks for a change to their PIIS in force, in their words. PERSON_NOT_OWN for another file's
    contract, AMENDMENT_REQUEST_NOT_IN_FORCE otherwise than in force; the same form sent twice records once."""
    actor = person_actor(user=user, beneficiary=beneficiary)
    require_own(beneficiary, contract.beneficiary_id)
    if contract.cpas_id != beneficiary.cpas_id or contract.status != ContractStatus.IN_FORCE:
        raise ServiceError("AMENDMENT_REQUEST_NOT_IN_FORCE")
    text = _text(text, "text")
    Beneficiary.objects.select_for_update().filter(pk=beneficiary.pk).values_list("pk", flat=True).first()
    if submission_key is not None:
        done = (
            AmendmentRequest.objects.for_cpas(beneficiary.cpas_id)
            .filter(contract=contract, submission_key=submission_key)
            .first()
        )
        if done is not None:
            return done
    request = audited_save(
        actor=actor.user,
        cpas=actor.cpas,
        verb=AuditVerb.AMENDMENT_REQUESTED,
        instance=AmendmentRequest(
            cpas=actor.cpas,
            contract=contract,
            beneficiary=beneficiary,
            text=text,
            requested_on=today,
            requested_by=actor.user,
            submission_key=submission_key,
        ),
        context=portal_context(context),
        beneficiary_id=beneficiary.pk,
    )
    confirm_to_person(
        beneficiary=beneficiary,
        subject=_("Your request to change your PIIS"),
        lines=[
            _("We received your request to change your PIIS."),
            _("Your social worker will talk about it with you. A change needs everyone's agreement."),
        ],
    )
    return request


@transaction.atomic
def amendment_request_answer(
    *, membership, amendment_request: AmendmentRequest, answer: str, today: date, context: str = ""
) -> AmendmentRequest:
    """The worker marks the person's request answered, with what was answered (audited). AMENDMENT_REQUEST_ANSWERED
    when it already is."""
    assert amendment_request.cpas_id == membership.cpas_id
    if amendment_request.answered_on is not None:
        raise ServiceError("AMENDMENT_REQUEST_ANSWERED")
    amendment_request.answer = _text(answer, "answer", required=False)
    amendment_request.answered_on = today
    amendment_request.answered_by = membership.user
    return audited_save(
        actor=membership.user,
        cpas=membership.cpas,
        verb=AuditVerb.AMENDMENT_REQUEST_ANSWERED,
        instance=amendment_request,
        context=context,
        beneficiary_id=amendment_request.beneficiary_id,
    )
