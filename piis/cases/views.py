from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from piis.accounts.perms import can_edit_beneficiaries, can_view_beneficiaries
from piis.cases.forms import BeneficiaryForm
from piis.cases.selectors import beneficiary_get_for_user, beneficiary_list
from piis.cases.services import beneficiary_save
from piis.contracts.selectors import contract_list_for_beneficiary
from piis.core.decorators import cpas_permission_required

PAGE_SIZE = 50


@cpas_permission_required(can_view_beneficiaries)
def beneficiary_list_view(request):
    query = request.GET.get("q", "")
    mine = request.GET.get("mine") == "1"
    files = beneficiary_list(membership=request.membership, query=query, mine=mine)
    page = Paginator(files, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "cases/_list_rows.html" if request.htmx else "cases/list.html"
    context = {
        "page": page,
        "query": query,
        "mine": mine,
        "query_string": _without_page(request),
        "can_edit": can_edit_beneficiaries(request.membership),
    }
    return render(request, template, context)


def _without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@cpas_permission_required(can_view_beneficiaries)
def beneficiary_detail(request, beneficiary_id: int):
    beneficiary = beneficiary_get_for_user(
        membership=request.membership, beneficiary_id=beneficiary_id, context=request.path
    )
    context = {
        "beneficiary": beneficiary,
        "can_edit": can_edit_beneficiaries(request.membership),
        "contracts": contract_list_for_beneficiary(membership=request.membership, beneficiary=beneficiary),
    }
    return render(request, "cases/detail.html", context)


@cpas_permission_required(can_edit_beneficiaries)
def beneficiary_create(request):
    form = BeneficiaryForm(request.POST or None, cpas=request.cpas, initial={"social_worker": request.user})
    if request.method == "POST" and form.is_valid():
        beneficiary = beneficiary_save(membership=request.membership, beneficiary=form.instance, context=request.path)
        messages.success(request, _("The file has been created."))
        return redirect("cases:detail", beneficiary_id=beneficiary.pk)
    return render(request, "cases/form.html", {"form": form, "beneficiary": None})


@cpas_permission_required(can_edit_beneficiaries)
def beneficiary_edit(request, beneficiary_id: int):
    beneficiary = beneficiary_get_for_user(
        membership=request.membership, beneficiary_id=beneficiary_id, context=request.path
    )
    form = BeneficiaryForm(request.POST or None, instance=beneficiary, cpas=request.cpas)
    if request.method == "POST" and form.is_valid():
        beneficiary_save(membership=request.membership, beneficiary=form.instance, context=request.path)
        messages.success(request, _("The file has been saved."))
        return redirect("cases:detail", beneficiary_id=beneficiary.pk)
    return render(request, "cases/form.html", {"form": form, "beneficiary": beneficiary})
