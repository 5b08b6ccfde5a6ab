"""Need-to-know (piis.cases.access): the worker and the substitute of an open PIIS reach the file it is about, as
its assigned worker does. Registered by ContractsConfig.ready (cases cannot import contracts)."""

from django.db.models import Exists, OuterRef, Q

from piis.cases.access import Access, Reach
from piis.contracts.enums import ContractStatus
from piis.contracts.models import Contract


def _open_contracts_of(user_id):
    return Contract.objects.exclude(status=ContractStatus.ENDED).filter(
        Q(social_worker=user_id) | Q(substitute_worker=user_id)
    )


def _works_on_an_open_piis(membership, beneficiary) -> bool:
    return _open_contracts_of(membership.user_id).filter(cpas=membership.cpas_id, beneficiary=beneficiary.pk).exists()


def _files_with_an_open_piis_of(membership) -> Q:
    return Q(
        Exists(_open_contracts_of(membership.user_id).filter(cpas=membership.cpas_id, beneficiary=OuterRef("pk")))
    )


CONTRACT_WORKER_REACH = Reach(Access.CONTRACT_WORKER, _works_on_an_open_piis, _files_with_an_open_piis_of)
