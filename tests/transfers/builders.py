"""Builders for the transfer tests: a PIIS in force with a concluded version (frozen snapshot), commitments of
every party and an evaluation; the transfer rows on both sides."""

import datetime

from piis.contracts.snapshot import contract_snapshot
from piis.followup.models import Evaluation
from piis.transfers.models import IncomingTransfer, TakeoverReview, Transfer
from tests.factories import make_beneficiary, make_clause, make_contract, make_objective, make_step, make_version

D = datetime.date
SIGNED = D(2026, 3, 2)
MOVED = D(2026, 7, 1)
FAKE_PDF = b"%PDF-1.7\n% a test PDF\n%%EOF\n"


def make_piis_in_force(cpas, *, studies: bool = False, **kwargs):
    beneficiary = kwargs.pop("beneficiary", None) or make_beneficiary(cpas, language=kwargs.pop("language", "fr"))
    contract = make_contract(
        cpas,
        beneficiary=beneficiary,
        status="in_force",
        signed_on=SIGNED,
        start_on=SIGNED,
        end_on=D(2027, 3, 1),
        orientations=["studies"] if studies else ["professional"],
        **kwargs,
    )
    objective = make_objective(cpas, contract=contract)
    make_step(cpas, objective=objective)
    make_clause(cpas, contract=contract, objective=objective, text="Suivre la formation en vente.", sanctionable=True)
    make_clause(cpas, contract=contract, party="cpas", kind="cost_coverage", text="Le CPAS paie l'inscription.",
                proposed_by="cpas", delivery_status="done", delivery_status_on=D(2026, 4, 1))  # fmt: skip
    make_clause(cpas, contract=contract, party="cpas", kind="guidance", text="Un entretien par mois.",
                proposed_by="cpas")  # fmt: skip
    make_version(cpas, contract=contract, snapshot=contract_snapshot(contract), concluded_on=SIGNED,
                 handed_over_on=D(2026, 2, 20))  # fmt: skip
    Evaluation.objects.create(cpas=cpas, contract=contract, held_on=D(2026, 5, 4), mode="office",
                              difficulties="Horaires difficiles.", recorded_by=contract.social_worker)  # fmt: skip
    return contract


def make_transfer(cpas, **kwargs) -> Transfer:
    contract = kwargs.pop("contract", None) or make_piis_in_force(cpas)
    defaults = {
        "moved_on": MOVED,
        "learned_on": MOVED,
        "forward_by": D(2026, 7, 6),
        "other_name": "CPAS de Namur",
        "other_nis_code": "92094",
        "language": "fr",
        "answer_by": D(2026, 7, 20),
        "recorded_by": contract.social_worker,
    }
    return Transfer.objects.create(cpas=cpas, beneficiary=contract.beneficiary, contract=contract,
                                   **{**defaults, **kwargs})  # fmt: skip


def make_incoming(cpas, **kwargs) -> IncomingTransfer:
    defaults = {
        "from_name": "CPAS de Liège",
        "from_nis_code": "62063",
        "first_name": "Alex",
        "last_name": "Martin",
        "birth_date": D(1990, 5, 1),
        "moved_on": MOVED,
    }
    return IncomingTransfer.objects.create(cpas=cpas, **{**defaults, **kwargs})


def make_review(cpas, **kwargs) -> TakeoverReview:
    incoming = kwargs.pop("incoming", None) or make_incoming(cpas, status="received")
    defaults = {"commitment_id": "c1", "party": "beneficiary", "text": "Suivre la formation."}
    return TakeoverReview.objects.create(cpas=cpas, incoming=incoming, **{**defaults, **kwargs})
