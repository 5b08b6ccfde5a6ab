from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from piis.accounts.perms import can_edit_beneficiaries, can_view_beneficiaries
from piis.audit.services import record_people_shown
from piis.cases.forms import (
    AssessmentItemFormSet,
    AssistantForm,
    BeneficiaryForm,
    ExemptionForm,
    HouseholdMemberForm,
    IncomePeriodForm,
    NeedsAssessmentForm,
    RiDecisionForm,
)
from piis.cases.models import (
    AssessmentItem,
    Assistant,
    Exemption,
    HouseholdMember,
    IncomePeriod,
    NeedsAssessment,
    RiDecision,
)
from piis.cases.selectors import (
    assessment_get,
    beneficiary_get_for_user,
    beneficiary_list,
    file_record_get,
)
from piis.cases.services import beneficiary_save, file_record_delete, file_record_save, needs_assessment_save
from piis.core.decorators import cpas_permission_required
from piis.core.errors import ServiceError, add_error_to_form

PAGE_SIZE = 50


@cpas_permission_required(can_view_beneficiaries)
def beneficiary_list_view(request):
    query = request.GET.get("q", "")
    mine = request.GET.get("mine") == "1"
    # Without a search: the files within the member's need-to-know. A search looks through the whole CPAS (is there a
    # file for this person already?) and shows the others by name and masked number only, with "break the glass".
    files = beneficiary_list(membership=request.membership, query=query, mine=mine, everywhere=True)
    page = _page(files, request.GET.get("page"))
    record_people_shown(
        actor=request.user, cpas=request.cpas, beneficiary_ids=[b.pk for b in page], context=request.get_full_path()
    )
    template = "cases/_list_rows.html" if request.htmx else "cases/list.html"
    context = {
        "page": page,
        "query": query,
        "mine": mine,
        "query_string": _without_page(request),
        "can_edit": can_edit_beneficiaries(request.membership),
    }
    return render(request, template, context)


def _page(files, number):
    """The page of files asked for. The first page reads one row more than it shows: when it holds every match (a
    national number, most names) the count is its length, without a COUNT over the CPAS (issue 15); otherwise the
    Paginator counts as usual (and the first page shows the rows already read)."""
    if number in (None, "", "1"):
        first = list(files[: PAGE_SIZE + 1])
        if len(first) <= PAGE_SIZE:
            return Paginator(first, PAGE_SIZE).get_page(1)
        page = Paginator(files, PAGE_SIZE).page(1)  # the COUNT; its rows are those already read
        page.object_list = first[:PAGE_SIZE]
        return page
    return Paginator(files, PAGE_SIZE).get_page(number)


def _without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@cpas_permission_required(can_edit_beneficiaries)
def beneficiary_create(request):
    initial = {"social_worker": request.user, "team": request.membership.team_id}
    form = BeneficiaryForm(request.POST or None, cpas=request.cpas, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            beneficiary = beneficiary_save(
                membership=request.membership, beneficiary=form.instance, context=request.path
            )
        except ServiceError as error:  # another user wrote first (piis.core.constraints)
            add_error_to_form(form, error)
        else:
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
        try:
            beneficiary_save(membership=request.membership, beneficiary=form.instance, context=request.path)
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The file has been saved."))
            return redirect("cases:detail", beneficiary_id=beneficiary.pk)
    return render(request, "cases/form.html", {"form": form, "beneficiary": beneficiary})


# --- the file's records: household, assistant, RI decisions, earlier periods, exemptions -------------------------


@dataclass(frozen=True)
class RecordKind:
    model: type
    form: type
    add_title: Promise
    edit_title: Promise
    section: str  # the anchor of the file page section that lists it
    removable: bool
    added_anchor: str = ""  # where adding one lands, when not on its section: the file's next step


RECORD_KINDS = {
    "household": RecordKind(
        HouseholdMember,
        HouseholdMemberForm,
        gettext_lazy("Add a household member"),
        gettext_lazy("Edit a household member"),
        "household",
        True,
    ),
    "assistant": RecordKind(
        Assistant,
        AssistantForm,
        gettext_lazy("Add an assistant of the person's choice"),
        gettext_lazy("Edit the assistant of the person's choice"),
        "household",
        True,
    ),
    # Decisions stay in the history: they are corrected, never removed.
    "ri": RecordKind(
        RiDecision,
        RiDecisionForm,
        gettext_lazy("Record an RI decision"),
        gettext_lazy("Edit an RI decision"),
        "ri",
        False,
        added_anchor="next-step",
    ),
    "period": RecordKind(
        IncomePeriod,
        IncomePeriodForm,
        gettext_lazy("Add an earlier period"),
        gettext_lazy("Edit an earlier period"),
        "ri",
        True,
    ),
    "exemption": RecordKind(
        Exemption,
        ExemptionForm,
        gettext_lazy("Record an exemption"),
        gettext_lazy("Edit an exemption"),
        "obligation",
        False,
    ),
}


def _record_kind(kind: str) -> RecordKind:
    spec = RECORD_KINDS.get(kind)
    if spec is None:
        raise Http404
    return spec


def _file_url(beneficiary, section: str) -> str:
    return reverse("cases:detail", args=[beneficiary.pk]) + f"#{section}"


@cpas_permission_required(can_edit_beneficiaries)
def file_record_edit(request, beneficiary_id: int, kind: str, record_id: int | None = None):
    spec = _record_kind(kind)
    beneficiary = beneficiary_get_for_user(
        membership=request.membership, beneficiary_id=beneficiary_id, context=request.path
    )
    if record_id is None:
        record = spec.model(cpas=request.cpas, beneficiary=beneficiary)
    else:
        record = file_record_get(
            membership=request.membership, beneficiary=beneficiary, model=spec.model, record_id=record_id
        )
    form = spec.form(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            file_record_save(
                membership=request.membership, beneficiary=beneficiary, record=form.instance, context=request.path
            )
        except ServiceError as error:  # another user wrote first (piis.core.constraints)
            add_error_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            added = record_id is None and spec.added_anchor
            return redirect(_file_url(beneficiary, added or spec.section))
    context = {
        "form": form,
        "beneficiary": beneficiary,
        "title": spec.add_title if record_id is None else spec.edit_title,
        "cancel_url": _file_url(beneficiary, spec.section),
    }
    return render(request, "cases/record_form.html", context)


@require_POST
@cpas_permission_required(can_edit_beneficiaries)
def file_record_remove(request, beneficiary_id: int, kind: str, record_id: int):
    spec = _record_kind(kind)
    if not spec.removable:
        raise Http404
    beneficiary = beneficiary_get_for_user(
        membership=request.membership, beneficiary_id=beneficiary_id, context=request.path
    )
    record = file_record_get(
        membership=request.membership, beneficiary=beneficiary, model=spec.model, record_id=record_id
    )
    file_record_delete(membership=request.membership, beneficiary=beneficiary, record=record, context=request.path)
    messages.success(request, _("Removed."))
    return redirect(_file_url(beneficiary, spec.section))


# --- needs assessments (R25, S-Pers 1–3, S-Dom 16) ------------------------------------------------------------


@cpas_permission_required(can_edit_beneficiaries)
def assessment_edit(request, beneficiary_id: int, assessment_id: int | None = None):
    beneficiary = beneficiary_get_for_user(
        membership=request.membership, beneficiary_id=beneficiary_id, context=request.path
    )
    if assessment_id is None:
        assessment = NeedsAssessment(cpas=request.cpas, beneficiary=beneficiary)
        initial = {"assessed_on": timezone.localdate(), "author": request.user}
    else:
        assessment = assessment_get(
            membership=request.membership, beneficiary=beneficiary, assessment_id=assessment_id
        )
        initial = {}
    data = request.POST or None
    form = NeedsAssessmentForm(data, instance=assessment, cpas=request.cpas, initial=initial, prefix="assessment")
    formset = AssessmentItemFormSet(
        data, instance=assessment, prefix="items", queryset=AssessmentItem.objects.for_cpas(request.cpas)
    )
    if request.method == "POST":
        valid = form.is_valid()
        if formset.is_valid() and valid:
            items = formset.save(commit=False)
            try:
                needs_assessment_save(
                    membership=request.membership,
                    beneficiary=beneficiary,
                    assessment=form.instance,
                    items=items,
                    removed_items=formset.deleted_objects,
                    context=request.path,
                )
            except ServiceError as error:  # someone else saved it meanwhile (piis.core.concurrency)
                add_error_to_form(form, error)
            else:
                messages.success(request, _("The needs assessment has been saved."))
                return redirect(_file_url(beneficiary, "next-step" if assessment_id is None else "assessments"))
        messages.error(request, _("Please correct the errors below."))
    context = {"form": form, "formset": formset, "beneficiary": beneficiary, "assessment_id": assessment_id}
    return render(request, "cases/assessment_form.html", context)
