"""The beneficiary file page: the file's records (cases), its PIIS contracts and their obligation (contracts), its
follow-up (followup)."""

from django.shortcuts import render
from django.utils import timezone

from piis.accounts.perms import can_edit_beneficiaries, can_view_beneficiaries
from piis.cases.selectors import (
    assessments_for_file,
    beneficiary_file_prefetch,
    beneficiary_get_for_user,
    exemptions_for_file,
)
from piis.contracts.obligation import obligation_for_file
from piis.contracts.selectors import contract_list_for_beneficiary
from piis.core.decorators import cpas_permission_required
from piis.followup.selectors import followup_context_for_file


@cpas_permission_required(can_view_beneficiaries)
def beneficiary_detail(request, beneficiary_id: int):
    today = timezone.localdate()
    beneficiary = beneficiary_get_for_user(
        membership=request.membership, beneficiary_id=beneficiary_id, context=request.path
    )
    beneficiary_file_prefetch(beneficiary)
    contracts = contract_list_for_beneficiary(membership=request.membership, beneficiary=beneficiary)
    context = {
        "beneficiary": beneficiary,
        "can_edit": can_edit_beneficiaries(request.membership),
        "contracts": contracts,
        "today": today,
        "household": beneficiary.household.all(),
        "assistants": beneficiary.assistants.all(),
        "ri_decisions": beneficiary.ri_decisions.all(),
        "income_periods": beneficiary.income_periods.all(),
        "exemptions": exemptions_for_file(beneficiary=beneficiary, today=today),
        "obligation": obligation_for_file(beneficiary=beneficiary, today=today, contracts=contracts),
        "assessments": assessments_for_file(beneficiary),
        **followup_context_for_file(membership=request.membership, beneficiary=beneficiary, today=today),
    }
    return render(request, "cases/detail.html", context)
