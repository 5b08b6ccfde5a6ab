"""The contract page: drafting and lifecycle sections (contracts) and the contract's follow-up (followup) in one."""

from django.shortcuts import render
from django.utils import timezone

from piis.cases.access import glass_break_in_use
from piis.contracts.perms import can_edit_contract, can_view_contract
from piis.contracts.selectors import contract_get_for_user
from piis.contracts.selectors_drafting import drafting_context
from piis.contracts.selectors_lifecycle import lifecycle_context
from piis.contracts.selectors_person import amendment_requests_for_contract
from piis.core.decorators import cpas_permission_required
from piis.documents.selectors import documents_section
from piis.followup.selectors import followup_context_for_contract
from piis.transfers.selectors import transfer_for_contract


@cpas_permission_required(can_view_contract)
def contract_detail(request, contract_id: int):
    membership = request.membership
    contract = contract_get_for_user(membership=membership, contract_id=contract_id, context=request.path)
    today = timezone.localdate()
    context = {
        "contract": contract,
        "beneficiary": contract.beneficiary,
        "glass_break": glass_break_in_use(membership, contract.beneficiary),
        "can_edit": can_edit_contract(membership),
        "today": today,
        **drafting_context(membership=membership, contract=contract, today=today),
        **lifecycle_context(membership=membership, contract=contract, today=today),
        **followup_context_for_contract(membership=membership, contract=contract, today=today),
        **documents_section(membership=membership, beneficiary=contract.beneficiary, contract=contract),
        "transfer": transfer_for_contract(membership=membership, contract=contract),
        "amendment_requests": amendment_requests_for_contract(contract=contract),
    }
    return render(request, "contracts/detail.html", context)
