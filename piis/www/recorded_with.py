"""The hand-over, evaluation and end-of-PIIS forms with the records the worker naturally makes at that moment,
inside the same form and saved in the same transaction (piis.core.sections): how the hand-over or the evaluation was
explained (documents.Explanation), and what the ended PIIS led to (documents.ContractOutcome). The pages belong to
contracts and followup, the records to documents, which sits above them: this page layer puts them together."""

from piis.contracts.enums import ContractStatus
from piis.contracts.perms import can_edit_contract
from piis.contracts.views import lifecycle
from piis.core.decorators import cpas_permission_required
from piis.documents.perms import can_add_documents
from piis.documents.sections import ExplanationSection, OutcomeSection
from piis.followup import views as followup
from piis.followup.perms import can_record_followup


@cpas_permission_required(can_edit_contract)
def hand_over(request, contract_id: int):
    def sections(contract):
        return [ExplanationSection(request, contract)] if can_add_documents(request.membership) else []

    return lifecycle.hand_over_page(request, contract_id, sections=sections)


@cpas_permission_required(can_edit_contract)
def end(request, contract_id: int):
    def sections(contract):
        # an ended PIIS is not ended again: its outcome is corrected on its own page (documents:outcome)
        if contract.status == ContractStatus.ENDED or not can_add_documents(request.membership):
            return []
        return [OutcomeSection(request, contract)]

    return lifecycle.end_page(request, contract_id, sections=sections)


def _explained(request):
    def sections(contract, evaluation):
        if not can_add_documents(request.membership):
            return []
        return [ExplanationSection(request, contract, evaluation=evaluation)]

    return sections


@cpas_permission_required(can_record_followup)
def evaluation_add(request, contract_id: int):
    return followup.evaluation_add_page(request, contract_id, sections=_explained(request))


@cpas_permission_required(can_record_followup)
def evaluation_edit(request, evaluation_id: int):
    return followup.evaluation_edit_page(request, evaluation_id, sections=_explained(request))
