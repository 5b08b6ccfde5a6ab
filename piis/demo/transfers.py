"""Demo transfers between the two demo CPAS (R51, R52, R54), through the services: in each CPAS, one PIIS whose
person moved to the other CPAS with the answer still awaited (the letter sent; the dates on the agenda), and one
whose person refused the transfer at the new CPAS (which sees nothing of the PIIS). Idempotent: a CPAS that has
transfers is left alone. Dates are relative to `today`."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from piis.accounts.enums import Role
from piis.accounts.models import Cpas, Membership
from piis.contracts.enums import ContractStatus
from piis.contracts.models import Contract, ContractVersion
from piis.sanctions.models import SanctionDossier
from piis.transfers import services
from piis.transfers.enums import Channel
from piis.transfers.models import IncomingTransfer, Transfer


def _candidates(cpas: Cpas) -> list[Contract]:
    """PIIS in force with a concluded version, not in a sanction procedure, from the last (the other demos take
    the first ones)."""
    busy = SanctionDossier.objects.for_cpas(cpas).values("contract_id")
    concluded = ContractVersion.objects.for_cpas(cpas).filter(concluded_on__isnull=False, superseded=False)
    in_force = (
        Contract.objects.for_cpas(cpas)
        .filter(status=ContractStatus.IN_FORCE, editing_amendment=False, pk__in=concluded.values("contract_id"))
        .exclude(pk__in=busy)
        .order_by("-pk")
    )
    # A study PIIS does not move (R21); filtered here because SQLite (make run) has no JSON containment lookup.
    return [contract for contract in in_force if "studies" not in (contract.orientations or [])][:2]


def _membership(contract: Contract) -> Membership:
    membership = (
        Membership.objects.filter(cpas=contract.cpas, user=contract.social_worker).first()
        or Membership.objects.filter(cpas=contract.cpas, role=Role.SOCIAL_WORKER).order_by("pk").first()
    )
    assert membership is not None, "the demo CPAS has social workers"
    return membership


@transaction.atomic
def load_transfers_demo(cpas: Cpas, other: Cpas, *, today: date) -> dict[str, int]:
    if Transfer.objects.for_cpas(cpas).exists():
        return {"transfers": 0}
    created = 0
    for contract, refused in zip(_candidates(cpas), (False, True), strict=False):
        membership = _membership(contract)
        learned = today - timedelta(days=2 if not refused else 12)
        transfer = services.transfer_record_move(
            membership=membership, contract=contract, moved_on=learned - timedelta(days=3), learned_on=learned,
            answer_by=learned + timedelta(days=14), new_cpas=other, today=today, context="demo",
        )  # fmt: skip
        services.transfer_record_letter(membership=membership, transfer=transfer, sent_on=learned, today=today,
                                        context="demo")  # fmt: skip
        if refused:
            incoming = IncomingTransfer.objects.get(cpas=other, source_transfer_id=transfer.pk)
            receiver = Membership.objects.filter(cpas=other, role=Role.SOCIAL_WORKER).order_by("pk").first()
            services.incoming_record_refusal(
                membership=receiver, incoming=incoming, refused_on=learned + timedelta(days=4),
                channel=Channel.IN_PERSON, today=today, context="demo",
            )  # fmt: skip
        created += 1
    return {"transfers": created}
