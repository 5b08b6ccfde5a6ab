"""Reads of what the person asked to change in their PIIS (contracts.AmendmentRequest), for the staff pages."""

from django.http import Http404

from piis.contracts.models import AmendmentRequest, Contract


def amendment_requests_for_contract(*, contract: Contract) -> list[AmendmentRequest]:
    """The person's requests on this contract, open ones first (the contract page's section; read audited there)."""
    rows = (
        AmendmentRequest.objects.for_cpas(contract.cpas_id).filter(contract=contract).order_by("-requested_on", "-id")
    )
    return sorted(rows, key=lambda r: not r.is_open)


def amendment_request_get(*, contract: Contract, request_id: int) -> AmendmentRequest:
    """One request of `contract` (fetched through contract_get_for_user, which checked the CPAS and role); 404
    otherwise."""
    try:
        return AmendmentRequest.objects.for_cpas(contract.cpas_id).get(pk=request_id, contract=contract)
    except AmendmentRequest.DoesNotExist:
        raise Http404 from None
