from django.http import Http404

from piis.audit.enums import AuditVerb
from piis.audit.services import record
from piis.cases.access import require_file_access
from piis.contracts.enums import ContractStatus, LifecycleState, is_editable, lifecycle_state
from piis.contracts.models import Contract, ContractVersion
from piis.contracts.perms import can_view_contract


def contract_get_for_user(*, membership, contract_id: int, context: str, audit: bool = True) -> Contract:
    """Fetch one contract inside the membership's CPAS, check the role, and record the read of the file.

    Another CPAS's contract and a refused role both give 404; a file beyond need-to-know, NeedToKnowRefused.
    """
    if not can_view_contract(membership):
        raise Http404
    try:
        contract = (
            Contract.objects.for_cpas(membership.cpas)
            .select_related("beneficiary", "ri_decision", "assessment", "social_worker", "substitute_worker")
            .get(pk=contract_id)
        )
    except Contract.DoesNotExist:
        raise Http404 from None
    assert contract.cpas_id == membership.cpas_id
    require_file_access(membership, contract.beneficiary)
    if audit:
        contract_record_opened(membership=membership, contract=contract, context=context)
    return contract


def contract_record_opened(*, membership, contract: Contract, context: str) -> None:
    """Record that a page showed this contract (and its beneficiary) to the member: one CONTRACT_OPENED row.

    For the pages that reach the contract through one of its parts (an objective, a step, a commitment…)."""
    record(
        actor=membership.user,
        cpas=membership.cpas,
        verb=AuditVerb.CONTRACT_OPENED,
        target=contract,
        beneficiary_id=contract.beneficiary_id,
        context=context,
    )


def contract_list_for_beneficiary(*, membership, beneficiary) -> list[Contract]:
    """Every PIIS of one file (newest first), for the file page. The caller has already audited the file read."""
    return list(
        Contract.objects.for_cpas(membership.cpas)
        .filter(beneficiary=beneficiary)
        .select_related("social_worker")
        .order_by("-created_at", "-id")
    )


def contract_state(contract: Contract) -> LifecycleState:
    """Where `contract` stands in the lifecycle table (enums.TRANSITIONS); one query for a contract in force."""
    amendment_handed_over = (
        contract.status == ContractStatus.IN_FORCE
        and not contract.editing_amendment
        and ContractVersion.objects.for_cpas(contract.cpas_id)
        .filter(contract=contract, concluded_on__isnull=True, superseded=False)
        .exists()
    )
    return lifecycle_state(
        contract.status, editing_amendment=contract.editing_amendment, amendment_handed_over=amendment_handed_over
    )


def contract_is_editable(contract: Contract) -> bool:
    """The live content may change while drafting, and while an amendment is being drafted (EDITABLE_STATES).

    No query: an amendment handed over and a contract simply in force are both read-only, so telling them apart
    (contract_state) is not needed here.
    """
    return is_editable(lifecycle_state(contract.status, editing_amendment=contract.editing_amendment))
