"""Tenancy registry for the lifecycle models (versions, signatures), and the builders the lifecycle tests share."""

import datetime

from django.urls import reverse

from piis.accounts.enums import Role
from tests.factories import (
    make_assessment_item,
    make_beneficiary,
    make_clause,
    make_contract,
    make_member,
    make_objective,
    make_ri_decision,
    make_signature,
    make_step,
    make_third_party,
    make_version,
)


def drafted_contract(cpas, *, decided_on=datetime.date(2026, 1, 10), language="fr", third_party=False, **kwargs):
    """A contract whose draft is ready to be handed over (what drafting_problems asks for)."""
    beneficiary = make_beneficiary(cpas, language=language, first_name="Alex", last_name="Martin")
    decision = make_ri_decision(cpas, beneficiary=beneficiary, decided_on=decided_on)
    worker = kwargs.pop("social_worker", None) or make_member(cpas).user
    contract = make_contract(cpas, ri_decision=decision, social_worker=worker, **kwargs)
    contract.assessment.assessed_on = decided_on
    contract.assessment.save()
    need = make_assessment_item(cpas, assessment=contract.assessment, text="Travailler dans la vente")
    make_assessment_item(
        cpas,
        assessment=contract.assessment,
        domain="health",
        kind="obstacle",
        text="Secret medical detail",
        justification="Needed to plan the hours",
        consent_given=True,
    )
    objective = make_objective(cpas, contract=contract, due_on=decided_on + datetime.timedelta(days=170))
    objective.assessment_items.add(need)
    make_step(cpas, objective=objective, due_on=decided_on + datetime.timedelta(days=60))
    make_clause(cpas, contract=contract, objective=objective, kind="training", text="Suivre la formation en vente.")
    make_clause(
        cpas,
        contract=contract,
        objective=objective,
        party="cpas",
        kind="cost_coverage",
        text="Le CPAS paie les frais d'inscription et de déplacement.",
        proposed_by="cpas",
    )
    if third_party:
        third = make_third_party(cpas, contract=contract, signatory_name="Dominique Horizon")
        make_clause(
            cpas,
            contract=contract,
            objective=objective,
            party="third_party",
            third_party=third,
            kind="training",
            text="Le centre accueille la personne en formation.",
            proposed_by="cpas",
        )
    return contract


def _version(cpas):
    from piis.contracts.snapshot import contract_snapshot

    contract = make_contract(cpas, status="handed_over")
    return make_version(cpas, contract=contract, snapshot=contract_snapshot(contract))


def _signature(cpas):
    return make_signature(cpas, version=_version(cpas))


BUILDERS = {"contracts.contractversion": _version, "contracts.signature": _signature}
URLS = {
    "contracts.contractversion": [
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("contracts:version", args=[o.contract_id, o.pk])),
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("contracts:pdf", args=[o.contract_id, o.pk])),
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("contracts:information", args=[o.contract_id, o.pk])),
        (Role.SOCIAL_WORKER, "post", lambda o: reverse("contracts:information", args=[o.contract_id, o.pk])),
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("contracts:sign", args=[o.contract_id, o.pk])),
        (Role.SOCIAL_WORKER, "post", lambda o: reverse("contracts:sign", args=[o.contract_id, o.pk])),
    ],
    "contracts.signature": [
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("contracts:signature_scan", args=[o.version.contract_id, o.pk])),
    ],
}
