"""Reads of transfers, fetch-and-authorise: 404 outside the CPAS or the role; the file's need-to-know
(piis.cases.access) on the outgoing side and on an incoming one linked to a file. Every read is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.http import Http404

from piis.audit.enums import AuditVerb
from piis.audit.services import record
from piis.cases.access import accessible_files_q, require_file_access
from piis.transfers.enums import TransferStatus
from piis.transfers.models import IncomingTransfer, TakeoverReview, Transfer
from piis.transfers.perms import can_manage_transfers


def _opened(membership, target, beneficiary_id, context: str, verb=AuditVerb.TRANSFER_OPENED) -> None:
    record(actor=membership.user, cpas=membership.cpas, verb=verb, target=target, beneficiary_id=beneficiary_id,
           context=context)  # fmt: skip


def transfer_get_for_user(*, membership, pk: int, context: str, audit: bool = True) -> Transfer:
    if not can_manage_transfers(membership):
        raise Http404
    try:
        transfer = (
            Transfer.objects.for_cpas(membership.cpas)
            .select_related("beneficiary", "contract", "new_cpas", "recorded_by")
            .get(pk=pk)
        )
    except Transfer.DoesNotExist:
        raise Http404 from None
    require_file_access(membership, transfer.beneficiary)
    if audit:
        _opened(membership, transfer, transfer.beneficiary_id, context)
    return transfer


def _incoming_reach(membership) -> Q:
    return Q(beneficiary__isnull=True) | Q(beneficiary__in=_reach_ids(membership))


def _reach_ids(membership):
    from piis.cases.models import Beneficiary

    return Beneficiary.objects.for_cpas(membership.cpas).filter(accessible_files_q(membership)).values("pk")


def incoming_get_for_user(*, membership, pk: int, context: str, audit: bool = True) -> IncomingTransfer:
    if not can_manage_transfers(membership):
        raise Http404
    try:
        incoming = IncomingTransfer.objects.for_cpas(membership.cpas).select_related("beneficiary").get(pk=pk)
    except IncomingTransfer.DoesNotExist:
        raise Http404 from None
    if incoming.beneficiary is not None:
        require_file_access(membership, incoming.beneficiary)
    if audit:
        _opened(membership, incoming, incoming.beneficiary_id, context)
    return incoming


def review_get_for_user(*, membership, pk: int, context: str) -> TakeoverReview:
    if not can_manage_transfers(membership):
        raise Http404
    try:
        review = TakeoverReview.objects.for_cpas(membership.cpas).select_related("incoming").get(pk=pk)
    except TakeoverReview.DoesNotExist:
        raise Http404 from None
    incoming_get_for_user(membership=membership, pk=review.incoming_id, context=context, audit=False)
    return review


def transfer_lists(*, membership, context: str) -> tuple[list[Transfer], list[IncomingTransfer]]:
    """The outgoing transfers of the files within reach and the incoming requests, one audit row for the list."""
    if not can_manage_transfers(membership):
        raise Http404
    outgoing = list(
        Transfer.objects.for_cpas(membership.cpas)
        .filter(beneficiary__in=_reach_ids(membership))
        .select_related("beneficiary", "new_cpas")
    )
    incoming = list(
        IncomingTransfer.objects.for_cpas(membership.cpas)
        .filter(_incoming_reach(membership))
        .select_related("beneficiary")
    )
    record(actor=membership.user, cpas=membership.cpas, verb=AuditVerb.TRANSFER_LIST_OPENED,
           target_type="transfers.transfer", context=context)  # fmt: skip
    return outgoing, incoming


@dataclass(frozen=True)
class AgendaEntry:
    on: date
    label: str
    who: str
    url_name: str
    pk: int
    beneficiary_id: int | None = None


def agenda_sources(*, cpas) -> list:
    """Rows without which agenda_entries finds nothing: the CPAS's transfers waiting for an answer and PIIS received
    still to review, whatever the file. A page asks first whether any exists (one cheap EXISTS, without the
    need-to-know's subquery) and reads agenda_entries only then."""
    return [
        Transfer.objects.for_cpas(cpas).filter(status=TransferStatus.AWAITING_ANSWER),
        IncomingTransfer.objects.for_cpas(cpas).filter(status=TransferStatus.RECEIVED, reviews__decision=""),
    ]


def agenda_entries(*, membership) -> list[AgendaEntry]:
    """The transfer dates on the member's agenda: forward the request (R54), the person's answer date; at the new
    CPAS, the commitments still to review for takeover (R51)."""
    from django.utils.translation import gettext as _

    if not can_manage_transfers(membership):
        return []
    entries = []
    reach = _reach_ids(membership)  # a subquery: the need-to-know's teams are read once
    waiting = (
        Transfer.objects.for_cpas(membership.cpas)
        .filter(beneficiary__in=reach, status=TransferStatus.AWAITING_ANSWER)
        .select_related("beneficiary")
    )
    for t in waiting:
        who = f"{t.beneficiary.first_name} {t.beneficiary.last_name}"
        if not t.letter_sent_on:
            entries.append(AgendaEntry(t.forward_by, _("Forward the transfer request and send the letter"), who,
                                       "transfers:detail", t.pk, t.beneficiary_id))  # fmt: skip
        if not t.answer:
            entries.append(AgendaEntry(t.answer_by, _("The person may refuse the transfer until"), who,
                                       "transfers:detail", t.pk, t.beneficiary_id))  # fmt: skip
    pending = (
        IncomingTransfer.objects.for_cpas(membership.cpas)
        .filter(
            Q(beneficiary__isnull=True) | Q(beneficiary__in=reach),
            status=TransferStatus.RECEIVED,
            reviews__decision="",
        )
        .distinct()
    )
    for i in pending:
        on = i.received_on or i.created_at.date()
        label = _("Review the commitments of a transferred PIIS")
        entries.append(AgendaEntry(on, label, f"{i.first_name} {i.last_name}", "transfers:incoming", i.pk,
                                   i.beneficiary_id))  # fmt: skip
    return sorted(entries, key=lambda e: (e.on, e.who))


def transfer_for_contract(*, membership, contract) -> Transfer | None:
    """The latest transfer of `contract`, for its page (which has audited the read already); None for a role that
    does not work on transfers."""
    if not can_manage_transfers(membership):
        return None
    return Transfer.objects.for_cpas(membership.cpas).filter(contract=contract).order_by("-pk").first()
