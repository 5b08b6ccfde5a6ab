"""Each drafting and lifecycle service writes its audit rows under the event named after what happened (issue 9)."""

import datetime

import pytest

from piis.accounts.enums import Role
from piis.audit.enums import AuditVerb as V
from piis.audit.models import AuditEvent
from piis.contracts.models import Clause, Objective, Step, ThirdParty
from piis.contracts.services.drafting import (
    clause_delete,
    clause_save,
    clause_template_save,
    clause_template_set_active,
    contract_update_header,
    objective_delete,
    objective_save,
    step_delete,
    step_save,
    third_party_delete,
    third_party_save,
)
from piis.contracts.services.lifecycle import (
    contract_back_to_draft,
    contract_end,
    contract_hand_over,
    contract_record_late_motivation,
    contract_start_amendment,
)
from tests.contracts.isolation_lifecycle import drafted_contract
from tests.contracts.test_lifecycle import hand_over, in_force, inform, matrix, sign, sign_all_cpas  # noqa: F401
from tests.factories import make_assessment_item, make_clause_template, make_contract, make_member

D = datetime.date
pytestmark = pytest.mark.django_db


class Trail:
    """The audit rows written since the last call, as (object type, event)."""

    def __init__(self):
        self.seen = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def new(self) -> list[tuple[str, str]]:
        rows = list(
            AuditEvent.objects.filter(id__gt=self.seen).order_by("id").values_list("id", "target_type", "verb")
        )
        if rows:
            self.seen = rows[-1][0]
        return [(target_type, verb) for _id, target_type, verb in rows]


def test_drafting_the_content_writes_added_changed_and_removed_events(cpas_a, worker_a):
    contract = make_contract(cpas_a)
    item = make_assessment_item(cpas_a, assessment=contract.assessment)
    trail = Trail()

    objective = Objective(contract=contract, title="Formation", observable_result="Inscrit", due_on=D(2026, 6, 30))
    objective_save(membership=worker_a, objective=objective, assessment_items=[item])
    objective.title = "Formation en vente"
    objective_save(membership=worker_a, objective=objective, assessment_items=[item])
    assert trail.new() == [("contracts.objective", V.OBJECTIVE_ADDED), ("contracts.objective", V.OBJECTIVE_CHANGED)]

    step = Step(objective=objective, description="Visiter deux centres")
    step_save(membership=worker_a, step=step, owner="beneficiary")
    step.description = "Visiter trois centres"
    step_save(membership=worker_a, step=step, owner="beneficiary")
    step_delete(membership=worker_a, step=step)
    assert [verb for _type, verb in trail.new()] == [V.STEP_ADDED, V.STEP_CHANGED, V.STEP_REMOVED]

    clause = Clause(contract=contract, kind="training", text="Suivre la formation.", proposed_by="beneficiary")
    clause_save(membership=worker_a, clause=clause, party="beneficiary", sanctionable=None)
    clause.text = "Suivre toute la formation."
    clause.objective = objective
    clause_save(membership=worker_a, clause=clause, party="beneficiary", sanctionable=None)
    assert [verb for _type, verb in trail.new()] == [V.CLAUSE_ADDED, V.CLAUSE_CHANGED]

    # The commitment tied to the objective is kept, untied: part of removing the objective.
    objective_delete(membership=worker_a, objective=objective)
    assert trail.new() == [("contracts.clause", V.OBJECTIVE_REMOVED), ("contracts.objective", V.OBJECTIVE_REMOVED)]
    clause_delete(membership=worker_a, clause=clause)
    assert trail.new() == [("contracts.clause", V.CLAUSE_REMOVED)]

    contract.end_on = D(2026, 12, 31)
    contract_update_header(membership=worker_a, contract=contract, today=D(2026, 2, 1))
    assert trail.new() == [("contracts.contract", V.CONTRACT_DETAILS_CHANGED)]


def test_a_third_party_is_added_changed_and_removed_with_its_commitments(cpas_a, worker_a):
    contract = make_contract(cpas_a)
    trail = Trail()
    centre = ThirdParty(contract=contract, name="Horizon", kind="training_centre", requested_by="beneficiary")
    third_party_save(membership=worker_a, third_party=centre)
    centre.name = "Horizon asbl"
    third_party_save(membership=worker_a, third_party=centre)
    clause = Clause(contract=contract, kind="training", text="Accueillir la personne.", proposed_by="third_party")
    clause_save(membership=worker_a, clause=clause, party=f"tp:{centre.pk}", sanctionable=None)
    assert trail.new() == [
        ("contracts.thirdparty", V.THIRD_PARTY_ADDED),
        ("contracts.thirdparty", V.THIRD_PARTY_CHANGED),
        ("contracts.clause", V.CLAUSE_ADDED),
    ]

    third_party_delete(membership=worker_a, third_party=centre)
    assert trail.new() == [
        ("contracts.clause", V.THIRD_PARTY_REMOVED),
        ("contracts.thirdparty", V.THIRD_PARTY_REMOVED),
    ]


def test_the_clause_library_records_added_changed_deactivated_reactivated(cpas_a):
    admin = make_member(cpas_a, Role.CPAS_ADMIN)
    template = make_clause_template(cpas_a)
    template.pk = None  # a new template built like the factory's
    template.title = "Atelier CV"
    trail = Trail()
    clause_template_save(membership=admin, template=template)
    template.text = "Participer à l'atelier CV."
    clause_template_save(membership=admin, template=template)
    clause_template_set_active(membership=admin, template=template, active=False)
    clause_template_set_active(membership=admin, template=template, active=True)
    assert [verb for _type, verb in trail.new()] == [
        V.CLAUSE_TEMPLATE_ADDED,
        V.CLAUSE_TEMPLATE_CHANGED,
        V.CLAUSE_TEMPLATE_DEACTIVATED,
        V.CLAUSE_TEMPLATE_REACTIVATED,
    ]


def test_hand_over_signatures_and_conclusion_are_named_steps(cpas_a, worker_a, matrix):  # noqa: F811
    contract = drafted_contract(cpas_a)
    trail = Trail()
    version = hand_over(worker_a, contract, D(2026, 3, 2))
    assert trail.new() == [("contracts.contractversion", V.CONTRACT_HANDED_OVER),
                           ("contracts.contract", V.CONTRACT_HANDED_OVER)]  # fmt: skip
    contract_back_to_draft(membership=worker_a, contract=contract)
    assert trail.new() == [("contracts.contractversion", V.HANDOVER_WITHDRAWN),
                           ("contracts.contract", V.HANDOVER_WITHDRAWN)]  # fmt: skip

    version = hand_over(worker_a, contract, D(2026, 3, 2))
    trail.new()
    inform(worker_a, version, D(2026, 3, 2))
    assert trail.new() == [("contracts.contractversion", V.INFORMATION_RECORDED)]
    sign(worker_a, version, "beneficiary", D(2026, 3, 9), late_motivation="The person was in hospital.")
    assert trail.new() == [
        ("contracts.signature", V.CONTRACT_SIGNED),
        ("contracts.contract", V.LATE_MOTIVATION_RECORDED),
        ("contracts.contract", V.CONTRACT_SIGNED),  # handed over → awaiting signatures
    ]
    sign_all_cpas(worker_a, version, matrix, D(2026, 3, 9))
    assert trail.new() == [
        ("contracts.signature", V.CONTRACT_SIGNED),
        ("contracts.signature", V.CONTRACT_SIGNED),
        ("contracts.contractversion", V.CONTRACT_CONCLUDED),
        ("contracts.contract", V.CONTRACT_CONCLUDED),
    ]


def test_amendment_and_end_are_named_steps(cpas_a, worker_a, matrix):  # noqa: F811
    contract, first = in_force(cpas_a, worker_a, matrix)
    trail = Trail()
    contract_record_late_motivation(membership=worker_a, contract=contract, motivation="Dossier incomplet.")
    contract_start_amendment(membership=worker_a, contract=contract, reason="New training dates")
    assert trail.new() == [("contracts.contract", V.LATE_MOTIVATION_RECORDED),
                           ("contracts.contract", V.AMENDMENT_STARTED)]  # fmt: skip

    contract.refresh_from_db()
    version = hand_over_amendment(worker_a, contract)
    inform(worker_a, version, D(2026, 6, 1))
    sign(worker_a, version, "beneficiary", D(2026, 6, 8))
    trail.new()
    sign_all_cpas(worker_a, version, matrix, D(2026, 6, 8))
    assert trail.new() == [
        ("contracts.signature", V.CONTRACT_SIGNED),
        ("contracts.signature", V.CONTRACT_SIGNED),
        ("contracts.contractversion", V.AMENDMENT_CONCLUDED),  # the version in force, superseded
        ("contracts.contractversion", V.AMENDMENT_CONCLUDED),  # the amendment, concluded
    ]
    assert AuditEvent.objects.get(target_type="contracts.contractversion", target_id=first.pk,
                                  verb=V.AMENDMENT_CONCLUDED).changes == {"superseded": [False, True]}  # fmt: skip

    contract_start_amendment(membership=worker_a, contract=contract, reason="Another change")
    contract.refresh_from_db()
    hand_over_amendment(worker_a, contract, reason="Another change")
    trail.new()
    contract_end(membership=worker_a, contract=contract, ended_on=D(2026, 9, 1), reason="completed",
                 today=D(2026, 9, 1))  # fmt: skip
    assert trail.new() == [("contracts.contractversion", V.CONTRACT_ENDED), ("contracts.contract", V.CONTRACT_ENDED)]


def hand_over_amendment(worker, contract, reason="New training dates"):
    clause = contract.clauses.get(party="cpas")
    clause.text = f"{clause.text} ({reason})"
    clause.save()
    return contract_hand_over(membership=worker, contract=contract, handed_over_on=D(2026, 6, 1),
                              today=D(2026, 6, 1), reason=reason)  # fmt: skip
