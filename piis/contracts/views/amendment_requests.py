"""The worker answers what the person asked to change on their portal (contracts.AmendmentRequest)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from piis.contracts.forms_person import AmendmentRequestAnswerForm
from piis.contracts.perms import can_edit_contract
from piis.contracts.selectors import contract_get_for_user
from piis.contracts.selectors_person import amendment_request_get
from piis.contracts.services.person import amendment_request_answer
from piis.core.decorators import cpas_permission_required
from piis.core.errors import ServiceError, add_error_to_form


@cpas_permission_required(can_edit_contract)
def answer(request, contract_id: int, request_id: int):
    contract = contract_get_for_user(membership=request.membership, contract_id=contract_id, context=request.path)
    amendment_request = amendment_request_get(contract=contract, request_id=request_id)
    form = AmendmentRequestAnswerForm(request.POST or None, versioned=amendment_request)
    if request.method == "POST" and form.is_valid():
        try:
            amendment_request_answer(
                membership=request.membership,
                amendment_request=amendment_request,
                answer=form.cleaned_data["answer"],
                today=timezone.localdate(),
                context=request.path,
            )
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The person's request is marked as answered."))
            return redirect("contracts:detail", contract_id=contract.pk)
    context = {
        "form": form,
        "contract": contract,
        "beneficiary": contract.beneficiary,
        "amendment_request": amendment_request,
    }
    return render(request, "contracts/amendment_request_answer.html", context)


urlpatterns = [
    path("<int:contract_id>/amendment-requests/<int:request_id>/answer/", answer, name="amendment_request_answer"),
]
