"""Builders for the sanction tests (tests/factories.py belongs to the whole team; these are the sanctions apps')."""

import datetime
from decimal import Decimal

from piis.sanctions.models import (
    Appeal,
    BreachReport,
    CommitmentCheck,
    CommitmentCheckLine,
    CouncilSitting,
    Decision,
    EvidenceExtract,
    FormalNotice,
    Hearing,
    PaymentExport,
    PaymentLine,
    PersonAnswer,
    SanctionDossier,
    SittingItem,
    WorkerOpinion,
)
from tests.factories import make_clause, make_contract, make_member

D = datetime.date
SIGNED = D(2026, 1, 15)
BREACH = D(2026, 4, 20)


def make_dossier(cpas, **kwargs) -> SanctionDossier:
    """A dossier on a breach of the person's own sanctionable commitment of a PIIS in force (rows only: the services
    are tested through sanctions.services)."""
    contract = kwargs.pop("contract", None) or make_contract(cpas, status="in_force", signed_on=SIGNED)
    clause = kwargs.pop("clause", None) or make_clause(
        cpas, contract=contract, sanctionable=True, in_force_from=SIGNED, due_on=D(2026, 4, 15)
    )
    breach_on = kwargs.pop("breach_on", BREACH)
    defaults = {"opened_on": breach_on + datetime.timedelta(days=3), "opened_by": contract.social_worker}
    dossier = SanctionDossier.objects.create(
        cpas=cpas, beneficiary=contract.beneficiary, contract=contract, **{**defaults, **kwargs}
    )
    BreachReport.objects.create(
        cpas=cpas,
        dossier=dossier,
        clause=clause,
        clause_text=clause.text,
        clause_in_force_from=clause.in_force_from,
        breach_on=breach_on,
        facts="Absent à la formation sans prévenir.",
        reported_by=dossier.opened_by,
    )
    return dossier


def make_breach(cpas, **kwargs) -> BreachReport:
    return make_dossier(cpas, **kwargs).breach


def make_evidence(cpas, **kwargs) -> EvidenceExtract:
    dossier = kwargs.pop("dossier", None) or make_dossier(cpas)
    defaults = {
        "source": "file_note",
        "source_date": D(2026, 4, 21),
        "passage": "Le centre signale trois absences.",
        "extracted_by": dossier.opened_by,
        "extracted_on": D(2026, 4, 22),
    }
    return EvidenceExtract.objects.create(cpas=cpas, dossier=dossier, **{**defaults, **kwargs})


def make_notice(cpas, **kwargs) -> FormalNotice:
    dossier = kwargs.pop("dossier", None) or make_dossier(cpas)
    defaults = {"language": "fr", "comply_by": D(2026, 5, 8), "max_months": Decimal("1")}
    return FormalNotice.objects.create(cpas=cpas, dossier=dossier, **{**defaults, **kwargs})


def make_answer(cpas, **kwargs) -> PersonAnswer:
    dossier = kwargs.pop("dossier", None) or make_dossier(cpas)
    defaults = {"kind": "silence", "recorded_by": dossier.opened_by}
    return PersonAnswer.objects.create(cpas=cpas, dossier=dossier, **{**defaults, **kwargs})


def make_commitment_check(cpas, **kwargs) -> CommitmentCheck:
    dossier = kwargs.pop("dossier", None) or make_dossier(cpas)
    defaults = {"checked_on": D(2026, 5, 10), "checked_by": dossier.opened_by}
    return CommitmentCheck.objects.create(cpas=cpas, dossier=dossier, **{**defaults, **kwargs})


def make_commitment_check_line(cpas, **kwargs) -> CommitmentCheckLine:
    check = kwargs.pop("commitment_check", None) or make_commitment_check(cpas)
    clause = kwargs.pop("clause", None) or make_clause(
        cpas, contract=check.dossier.contract, party="cpas", proposed_by="cpas", kind="cost_coverage"
    )
    defaults = {"party": clause.party, "clause_text": clause.text, "due_on": D(2026, 3, 31), "delivery": "done"}
    return CommitmentCheckLine.objects.create(
        cpas=cpas, commitment_check=check, clause=clause, **{**defaults, **kwargs}
    )


def make_opinion(cpas, **kwargs) -> WorkerOpinion:
    dossier = kwargs.pop("dossier", None) or make_dossier(cpas)
    defaults = {
        "opinion": "Trois absences sans explication malgré la mise en demeure.",
        "proposal": "suspension",
        "proposed_months": Decimal("1"),
        "proposed_share": Decimal("0.5"),
        "given_on": D(2026, 5, 12),
        "given_by": dossier.opened_by,
    }
    return WorkerOpinion.objects.create(cpas=cpas, dossier=dossier, **{**defaults, **kwargs})


def make_hearing(cpas, **kwargs) -> Hearing:
    dossier = kwargs.pop("dossier", None)
    item = kwargs.pop("item", None)
    if dossier is None and item is None:
        dossier = make_dossier(cpas)
    recorded_by = kwargs.pop("recorded_by", None) or (dossier.opened_by if dossier else item.added_by)
    defaults = {"right_notified_on": D(2026, 4, 24)}
    return Hearing.objects.create(
        cpas=cpas, dossier=dossier, item=item, recorded_by=recorded_by, **{**defaults, **kwargs}
    )


def make_sitting(cpas, **kwargs) -> CouncilSitting:
    created_by = kwargs.pop("created_by", None) or make_member(cpas, "council_secretary").user
    defaults = {"sits_on": D(2026, 5, 20), "organ": "special_committee"}
    return CouncilSitting.objects.create(cpas=cpas, created_by=created_by, **{**defaults, **kwargs})


def make_item(cpas, **kwargs) -> SittingItem:
    sitting = kwargs.pop("sitting", None) or make_sitting(cpas)
    dossier = kwargs.pop("dossier", None)
    kind = kwargs.pop("kind", "sanction")
    if kind == "sanction" and dossier is None:
        dossier = make_dossier(cpas, status="on_agenda")
    beneficiary = kwargs.pop("beneficiary", None) or dossier.beneficiary
    return SittingItem.objects.create(
        cpas=cpas,
        sitting=sitting,
        kind=kind,
        dossier=dossier,
        beneficiary=beneficiary,
        contract=dossier.contract if dossier else kwargs.pop("contract", None),
        added_by=sitting.created_by,
        **kwargs,
    )


def make_decision(cpas, **kwargs) -> Decision:
    item = kwargs.pop("item", None) or make_item(cpas)
    defaults = {
        "decided_on": item.sitting.sits_on,
        "outcome": "partial_suspension",
        "share": Decimal("0.5"),
        "months": Decimal("1"),
        "max_months": Decimal("1"),
        "deferral": "none",
        "ground": "piis_non_compliance",
        "motivation": "Absences répétées sans motif légitime.",
        "recorded_by": item.added_by,
    }
    return Decision.objects.create(
        cpas=cpas, item=item, dossier=item.dossier, beneficiary=item.beneficiary, **{**defaults, **kwargs}
    )


def make_appeal(cpas, **kwargs) -> Appeal:
    decision = kwargs.pop("decision", None) or make_decision(cpas, notified_on=D(2026, 5, 25))
    defaults = {
        "lodged_on": D(2026, 6, 10),
        "court": "Tribunal du travail de Liège",
        "recorded_by": decision.recorded_by,
    }
    return Appeal.objects.create(cpas=cpas, decision=decision, **{**defaults, **kwargs})


def make_payment_export(cpas, **kwargs) -> PaymentExport:
    exported_by = kwargs.pop("exported_by", None) or make_member(cpas, "council_secretary").user
    return PaymentExport.objects.create(
        cpas=cpas, exported_by=exported_by, **{"file_name": "suspensions-2026-06.csv", **kwargs}
    )


def make_payment_line(cpas, **kwargs) -> PaymentLine:
    decision = kwargs.pop("decision", None) or make_decision(cpas, start_on=D(2026, 7, 1), end_on=D(2026, 7, 31))
    export = kwargs.pop("export", None) or make_payment_export(cpas, exported_by=decision.recorded_by)
    defaults = {
        "kind": "suspension",
        "start_on": decision.start_on or D(2026, 7, 1),
        "end_on": decision.end_on or D(2026, 7, 31),
        "share": decision.share or Decimal("1"),
    }
    return PaymentLine.objects.create(
        cpas=cpas, export=export, decision=decision, beneficiary=decision.beneficiary, **{**defaults, **kwargs}
    )


def in_force_contract(cpas, *, signed_on=SIGNED, worker=None, objective=True):
    """A PIIS in force since `signed_on` with its concluded version frozen from the live rows: the person's
    sanctionable commitment (`contract.breached`) and a CPAS commitment due 2026-03-31, not yet delivered
    (`contract.cpas_commitment`), both serving the same objective."""
    from piis.contracts.snapshot import contract_snapshot
    from tests.factories import make_objective, make_version

    worker = worker or make_member(cpas).user
    contract = make_contract(cpas, status="in_force", signed_on=signed_on, social_worker=worker)
    contract.beneficiary.social_worker = worker
    contract.beneficiary.save()
    goal = make_objective(cpas, contract=contract) if objective else None
    contract.breached = make_clause(
        cpas, contract=contract, objective=goal, sanctionable=True, in_force_from=signed_on,
        text="Suivre la formation de vendeur chaque lundi.", due_on=D(2026, 6, 30),
    )  # fmt: skip
    contract.cpas_commitment = make_clause(
        cpas, contract=contract, objective=goal, party="cpas", proposed_by="cpas", kind="cost_coverage",
        text="Le CPAS paie les frais d'inscription.", due_on=D(2026, 3, 31), in_force_from=signed_on,
    )  # fmt: skip
    make_version(cpas, contract=contract, snapshot=contract_snapshot(contract), concluded_on=signed_on,
                 handed_over_on=signed_on - datetime.timedelta(days=7))  # fmt: skip
    return contract
