"""The contract page: drafting and lifecycle sections (contracts) and the contract's follow-up (followup) in one."""

from django.shortcuts import render
from django.utils import timezone

from piis.cases.access import glass_break_in_use
from piis.contracts.perms import can_edit_contract, can_view_contract
from piis.contracts.selectors import contract_get_for_user, contract_relation_present
from piis.contracts.selectors_drafting import drafting_context
from piis.contracts.selectors_lifecycle import lifecycle_context
from piis.contracts.selectors_person import amendment_requests_for_contract
from piis.core.decorators import cpas_permission_required
from piis.documents.models import Document, Explanation, Letter
from piis.documents.selectors import documents_section
from piis.followup.models import Evaluation
from piis.followup.selectors import followup_context_for_contract
from piis.transfers.models import Transfer
from piis.transfers.selectors import transfer_for_contract

# The relations of apps above contracts that the page shows and a contract often has none of: whether each holds a
# row is read with the contract (contracts.selectors.contract_relations_exist), and those that hold none are not read.
PAGE_RELATIONS = {
    "evaluations": Evaluation,
    "documents": Document,
    "letters": Letter,
    "explanations": Explanation,
    "transfers": Transfer,
}


@cpas_permission_required(can_view_contract)
def contract_detail(request, contract_id: int):
    membership = request.membership
    contract = contract_get_for_user(
        membership=membership,
        contract_id=contract_id,
        context=request.path,
        with_obligation_facts=True,
        relations=PAGE_RELATIONS,
    )

    def present(name: str) -> bool:
        return contract_relation_present(contract, name)

    today = timezone.localdate()
    lifecycle = lifecycle_context(membership=membership, contract=contract, today=today)
    followup = followup_context_for_contract(
        membership=membership, contract=contract, today=today, has_evaluations=present("evaluations")
    )
    # Each relation is read once for the page: the versions and evaluations also serve the documents section.
    documents = documents_section(
        membership=membership,
        beneficiary=contract.beneficiary,
        contract=contract,
        versions=lifecycle["versions"],
        evaluations=followup["followup_evaluations"],
        has_documents=present("documents"),
        has_letters=present("letters"),
        has_explanations=present("explanations"),
    )
    # The transfer is shown (linked) only beside the actions on a contract in force and on an ended contract.
    shows_transfer = present("transfers") and (
        lifecycle["is_ended"]
        or (lifecycle["is_in_force"] and lifecycle["can_edit_lifecycle"] and lifecycle["can_end"])
    )
    context = {
        "contract": contract,
        "beneficiary": contract.beneficiary,
        "glass_break": glass_break_in_use(membership, contract.beneficiary),
        "can_edit": can_edit_contract(membership),
        "today": today,
        **drafting_context(membership=membership, contract=contract, today=today),
        **lifecycle,
        **followup,
        **documents,
        "transfer": transfer_for_contract(membership=membership, contract=contract) if shows_transfer else None,
        "amendment_requests": amendment_requests_for_contract(contract=contract)
        if present("amendment_requests")
        else [],
    }
    return render(request, "contracts/detail.html", context)
