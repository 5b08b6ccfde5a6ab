"""Drafting views: start a PIIS from the file, edit its header, objectives and steps, commitments of each party,
third parties, and the CPAS's clause library. Every object is looked up inside the current CPAS (404 otherwise);
writes happen only while the contract is editable."""

from typing import cast

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from piis.cases.selectors import beneficiary_get_for_user
from piis.contracts.enums import Party
from piis.contracts.forms_drafting import (
    ClauseForm,
    ClauseTemplateForm,
    ContractHeaderForm,
    ObjectiveForm,
    StepForm,
    ThirdPartyForm,
)
from piis.contracts.models import Clause, Contract, Objective, Step, ThirdParty
from piis.contracts.perms import can_edit_contract, can_manage_clause_library
from piis.contracts.selectors import contract_get_for_user, contract_is_editable, contract_record_opened
from piis.contracts.selectors_drafting import (
    assessment_items_for_objectives,
    clause_get_for_user,
    clause_template_get_for_user,
    clause_template_list,
    drafting_next_action,
    objective_get_for_user,
    open_contract_of,
    step_get_for_user,
    third_party_get_for_user,
)
from piis.contracts.services import drafting as services
from piis.core.decorators import cpas_permission_required
from piis.core.errors import ServiceError, add_error_to_form, error_message


def _detail(contract: Contract, anchor: str = ""):
    url = reverse("contracts:detail", args=[contract.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _not_editable(request, contract: Contract):
    messages.error(request, error_message("NOT_EDITABLE"))
    return _detail(contract)


def _form_page(request, form, *, contract, title: str, **extra):
    # The page shows the beneficiary and the contract: its read is audited here, once, whichever way the view
    # reached the contract (its own id, or one of its objectives, steps, commitments or third parties).
    contract_record_opened(membership=request.membership, contract=contract, context=request.path)
    context = {"form": form, "contract": contract, "beneficiary": contract.beneficiary, "title": title, **extra}
    return render(request, "contracts/drafting/form.html", context)


# The submit buttons of a form that adds an item, besides "Save": (value of `then`, label). The first is primary.
def _then_buttons(continue_label: str, another_label: str) -> list[tuple[str, str]]:
    return [("continue", continue_label), ("another", another_label)]


def _after_save(request, contract: Contract, *, anchor: str, another: str, then_continue: str | None = None):
    """Where a drafting form lands once saved: "Save and add another" on a new form of the same kind; "Save and
    continue" on what the draft needs next (or the hand-over when nothing is missing); "Save" on the contract page."""
    then = request.POST.get("then")
    if then == "another":
        return redirect(another)
    if then == "continue":
        if then_continue:
            return redirect(then_continue)
        action = drafting_next_action(contract=contract)
        if action is None:
            return redirect(reverse("contracts:detail", args=[contract.pk]) + "#lifecycle-title")
        messages.info(request, _("Next: %(action)s") % {"action": action.label})
        return redirect(action.url)
    return _detail(contract, anchor)


# The services name the model's fields; some forms present them under another name.
FIELD_ALIASES = {"sanctionable": "may_sanction", "party": "party_code", "owner": "owner_party"}


def _save_or_errors(request, form, save) -> bool:
    """Call the service; a rule it refuses becomes an error on the form's field, and what was typed stays."""
    try:
        save()
    except ServiceError as error:
        add_error_to_form(form, error, aliases=FIELD_ALIASES)
        return False
    return True


# --- create and edit the header -----------------------------------------------------------------------------------


@cpas_permission_required(can_edit_contract)
def contract_create(request, beneficiary_id: int):
    beneficiary = beneficiary_get_for_user(
        membership=request.membership, beneficiary_id=beneficiary_id, context=request.path
    )
    today = timezone.localdate()
    decisions = beneficiary.ri_decisions.all()
    initial = {"social_worker": request.user, "ri_decision": decisions.first(), "start_on": today}
    initial["assessment"] = beneficiary.assessments.first()
    form = ContractHeaderForm(request.POST or None, beneficiary=beneficiary, initial=initial)
    if request.method == "POST" and form.is_valid():
        contract = form.instance

        def save():
            services.contract_create(
                membership=request.membership, contract=contract, today=today, context=request.path
            )

        if _save_or_errors(request, form, save):
            messages.success(request, _("The PIIS draft has been created."))
            # What a new draft needs first (the checklist's first item): land on it.
            return redirect("contracts:objective_add", contract_id=contract.pk)
    context = {
        "form": form,
        "beneficiary": beneficiary,
        "contract": None,
        "open_contract": open_contract_of(beneficiary=beneficiary),
        "title": _("New PIIS"),
    }
    return render(request, "contracts/drafting/header_form.html", context)


def _editable_contract(request, contract_id: int, *, audit: bool = True) -> Contract:
    return contract_get_for_user(
        membership=request.membership, contract_id=contract_id, context=request.path, audit=audit
    )


@cpas_permission_required(can_edit_contract)
def contract_edit(request, contract_id: int):
    contract = _editable_contract(request, contract_id)
    if not contract_is_editable(contract):
        return _not_editable(request, contract)
    form = ContractHeaderForm(request.POST or None, instance=contract, beneficiary=contract.beneficiary)
    if request.method == "POST" and form.is_valid():

        def save():
            services.contract_update_header(
                membership=request.membership, contract=form.instance, today=timezone.localdate(), context=request.path
            )

        if _save_or_errors(request, form, save):
            messages.success(request, _("The contract has been saved."))
            return _detail(contract)
    context = {"form": form, "beneficiary": contract.beneficiary, "contract": contract, "title": _("Edit the PIIS")}
    return render(request, "contracts/drafting/header_form.html", context)


# --- objectives and steps -----------------------------------------------------------------------------------------


@cpas_permission_required(can_edit_contract)
def objective_add(request, contract_id: int):
    contract = _editable_contract(request, contract_id, audit=False)  # audited by _form_page
    return _objective_form(request, contract, Objective(contract=contract))


@cpas_permission_required(can_edit_contract)
def objective_edit(request, objective_id: int):
    objective = objective_get_for_user(membership=request.membership, objective_id=objective_id)
    return _objective_form(request, objective.contract, objective)


def _objective_form(request, contract: Contract, objective: Objective):
    if not contract_is_editable(contract):
        return _not_editable(request, contract)
    new = objective.pk is None
    initial = {}
    if new:  # an objective cites at least one item: when the assessment offers only one, it is that one
        items = list(assessment_items_for_objectives(contract=contract)[:2])
        initial["assessment_items"] = items if len(items) == 1 else []
    form = ObjectiveForm(request.POST or None, instance=objective, contract=contract, initial=initial)
    if request.method == "POST" and form.is_valid():

        def save():
            services.objective_save(
                membership=request.membership,
                objective=form.instance,
                assessment_items=form.cleaned_data["assessment_items"],
                context=request.path,
            )

        if _save_or_errors(request, form, save):
            messages.success(request, _("The objective has been saved."))
            return _after_save(
                request, contract, anchor=f"objective-{objective.pk}",
                another=reverse("contracts:objective_add", args=[contract.pk]),
                then_continue=reverse("contracts:step_add", args=[objective.pk]),
            )  # fmt: skip
    title = _("Edit the objective") if objective.pk else _("New objective")
    items_field = cast(forms.ModelMultipleChoiceField, form.fields["assessment_items"])
    no_items = items_field.queryset is None or not items_field.queryset.exists()
    buttons = _then_buttons(_("Save and add a step"), _("Save and add another objective")) if new else []
    return _form_page(
        request, form, contract=contract, title=title, no_assessment_items=no_items, then_buttons=buttons
    )


@cpas_permission_required(can_edit_contract)
@require_POST
def objective_delete(request, objective_id: int):
    objective = objective_get_for_user(membership=request.membership, objective_id=objective_id)
    return _delete(request, objective.contract, services.objective_delete, objective=objective)


@cpas_permission_required(can_edit_contract)
def step_add(request, objective_id: int):
    objective = objective_get_for_user(membership=request.membership, objective_id=objective_id)
    return _step_form(request, objective, Step(objective=objective))


@cpas_permission_required(can_edit_contract)
def step_edit(request, step_id: int):
    step = step_get_for_user(membership=request.membership, step_id=step_id)
    return _step_form(request, step.objective, step)


def _step_form(request, objective: Objective, step: Step):
    contract = objective.contract
    if not contract_is_editable(contract):
        return _not_editable(request, contract)
    form = StepForm(request.POST or None, instance=step, objective=objective)
    if request.method == "POST" and form.is_valid():

        def save():
            services.step_save(
                membership=request.membership,
                step=form.instance,
                owner=form.cleaned_data["owner_party"],
                context=request.path,
            )

        if _save_or_errors(request, form, save):
            messages.success(request, _("The step has been saved."))
            another = reverse("contracts:step_add", args=[objective.pk])
            return _after_save(request, contract, anchor=f"objective-{objective.pk}", another=another)
    title = _("Edit the step") if step.pk else _("New step for “%(title)s”") % {"title": objective.title}
    buttons = [] if step.pk else _then_buttons(_("Save and continue"), _("Save and add another step"))
    return _form_page(request, form, contract=contract, title=title, then_buttons=buttons)


@cpas_permission_required(can_edit_contract)
@require_POST
def step_delete(request, step_id: int):
    step = step_get_for_user(membership=request.membership, step_id=step_id)
    return _delete(request, step.objective.contract, services.step_delete, step=step)


def _delete(request, contract: Contract, service, **target):
    if not contract_is_editable(contract):
        return _not_editable(request, contract)
    try:
        service(membership=request.membership, context=request.path, **target)
    except ServiceError as error:  # kept: the contract in force's signatures or evaluations refer to it
        messages.error(request, error.message)
    else:
        messages.success(request, _("Removed."))
    return _detail(contract)


# --- commitments --------------------------------------------------------------------------------------------------


@cpas_permission_required(can_edit_contract)
def clause_add(request, contract_id: int):
    contract = _editable_contract(request, contract_id, audit=False)  # audited by _form_page
    template = None
    template_id = request.POST.get("template") or request.GET.get("template")
    if template_id and template_id.isdigit():
        template = clause_template_get_for_user(membership=request.membership, template_id=int(template_id))
    clause = Clause(contract=contract, template=template)
    return _clause_form(request, contract, clause, template=template)


@cpas_permission_required(can_edit_contract)
def clause_edit(request, clause_id: int):
    clause = clause_get_for_user(membership=request.membership, clause_id=clause_id)
    return _clause_form(request, clause.contract, clause)


def _clause_form(request, contract: Contract, clause: Clause, template=None):
    if not contract_is_editable(contract):
        return _not_editable(request, contract)
    initial = _new_clause_initial(request, contract) if not clause.pk else {}
    form = ClauseForm(request.POST or None, instance=clause, contract=contract, template=template, initial=initial)
    if request.method == "POST" and form.is_valid():

        def save():
            services.clause_save(
                membership=request.membership,
                clause=form.instance,
                party=form.cleaned_data["party_code"],
                sanctionable=form.sanctionable,
                context=request.path,
            )

        if _save_or_errors(request, form, save):
            messages.success(request, _("The commitment has been saved."))
            same = urlencode({"party": form.cleaned_data["party_code"], "objective": clause.objective_id or ""})
            another = f"{reverse('contracts:clause_add', args=[contract.pk])}?{same}"
            return _after_save(request, contract, anchor="commitments", another=another)
    title = _("Edit the commitment") if clause.pk else _("New commitment")
    templates = [] if clause.pk else clause_template_list(membership=request.membership, active_only=True)
    buttons = [] if clause.pk else _then_buttons(_("Save and continue"), _("Save and add another commitment"))
    return _form_page(request, form, contract=contract, title=title, templates=templates, template=template,
                      then_buttons=buttons)  # fmt: skip


def _new_clause_initial(request, contract: Contract) -> dict:
    """Defaults of a new commitment: the party asked for (?party=), the objective asked for (?objective=) or the
    contract's only one, and the CPAS as who proposed it (the worker drafts; a proposal of the person is marked)."""
    initial: dict = {"proposed_by": Party.CPAS}
    if request.GET.get("party"):
        initial["party_code"] = request.GET["party"]
    objectives = contract.objectives.order_by("position", "id")
    wanted = request.GET.get("objective", "")
    objective = objectives.filter(pk=int(wanted)).first() if wanted.isdigit() and len(wanted) < 19 else None
    if objective is None:
        first_two = list(objectives[:2])
        objective = first_two[0] if len(first_two) == 1 else None
    if objective is not None:
        initial["objective"] = objective
    return initial


@cpas_permission_required(can_edit_contract)
@require_POST
def clause_delete(request, clause_id: int):
    clause = clause_get_for_user(membership=request.membership, clause_id=clause_id)
    return _delete(request, clause.contract, services.clause_delete, clause=clause)


# --- third parties ------------------------------------------------------------------------------------------------


@cpas_permission_required(can_edit_contract)
def third_party_add(request, contract_id: int):
    contract = _editable_contract(request, contract_id, audit=False)  # audited by _form_page
    return _third_party_form(request, contract, ThirdParty(contract=contract))


@cpas_permission_required(can_edit_contract)
def third_party_edit(request, third_party_id: int):
    third_party = third_party_get_for_user(membership=request.membership, third_party_id=third_party_id)
    return _third_party_form(request, third_party.contract, third_party)


def _third_party_form(request, contract: Contract, third_party: ThirdParty):
    if not contract_is_editable(contract):
        return _not_editable(request, contract)
    form = ThirdPartyForm(request.POST or None, instance=third_party, contract=contract)
    if request.method == "POST" and form.is_valid():

        def save():
            services.third_party_save(membership=request.membership, third_party=form.instance, context=request.path)

        if _save_or_errors(request, form, save):
            messages.success(request, _("The third party has been saved. Add its commitments."))
            return _detail(contract, "third-parties")
    title = _("Edit the third party") if third_party.pk else _("New third party")
    return _form_page(request, form, contract=contract, title=title)


@cpas_permission_required(can_edit_contract)
@require_POST
def third_party_delete(request, third_party_id: int):
    third_party = third_party_get_for_user(membership=request.membership, third_party_id=third_party_id)
    return _delete(request, third_party.contract, services.third_party_delete, third_party=third_party)


# --- clause library -----------------------------------------------------------------------------------------------


@cpas_permission_required(can_manage_clause_library)
def library_list(request):
    templates = clause_template_list(membership=request.membership)
    return render(request, "contracts/drafting/library.html", {"templates": templates})


@cpas_permission_required(can_manage_clause_library)
def library_add(request):
    return _library_form(request, None)


@cpas_permission_required(can_manage_clause_library)
def library_edit(request, template_id: int):
    return _library_form(request, clause_template_get_for_user(membership=request.membership, template_id=template_id))


def _library_form(request, template):
    form = ClauseTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():

        def save():
            services.clause_template_save(membership=request.membership, template=form.instance, context=request.path)

        if _save_or_errors(request, form, save):
            messages.success(request, _("The template has been saved."))
            return redirect("contracts:library")
    title = _("Edit the template") if template else _("New template")
    return render(request, "contracts/drafting/library_form.html", {"form": form, "title": title})


@cpas_permission_required(can_manage_clause_library)
@require_POST
def library_toggle(request, template_id: int):
    template = clause_template_get_for_user(membership=request.membership, template_id=template_id)
    active = request.POST.get("active") == "1"
    services.clause_template_set_active(
        membership=request.membership, template=template, active=active, context=request.path
    )
    messages.success(request, _("The template has been reactivated.") if active else _("The template is deactivated."))
    return redirect("contracts:library")


urlpatterns = [
    path("new/<int:beneficiary_id>/", contract_create, name="create"),
    path("<int:contract_id>/edit/", contract_edit, name="edit"),
    path("<int:contract_id>/objectives/add/", objective_add, name="objective_add"),
    path("objectives/<int:objective_id>/edit/", objective_edit, name="objective_edit"),
    path("objectives/<int:objective_id>/delete/", objective_delete, name="objective_delete"),
    path("objectives/<int:objective_id>/steps/add/", step_add, name="step_add"),
    path("steps/<int:step_id>/edit/", step_edit, name="step_edit"),
    path("steps/<int:step_id>/delete/", step_delete, name="step_delete"),
    path("<int:contract_id>/clauses/add/", clause_add, name="clause_add"),
    path("clauses/<int:clause_id>/edit/", clause_edit, name="clause_edit"),
    path("clauses/<int:clause_id>/delete/", clause_delete, name="clause_delete"),
    path("<int:contract_id>/third-parties/add/", third_party_add, name="third_party_add"),
    path("third-parties/<int:third_party_id>/edit/", third_party_edit, name="third_party_edit"),
    path("third-parties/<int:third_party_id>/delete/", third_party_delete, name="third_party_delete"),
    path("library/", library_list, name="library"),
    path("library/add/", library_add, name="library_add"),
    path("library/<int:template_id>/edit/", library_edit, name="library_edit"),
    path("library/<int:template_id>/active/", library_toggle, name="library_toggle"),
]
