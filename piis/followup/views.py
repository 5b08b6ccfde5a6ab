import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from piis.cases.selectors import beneficiary_get_for_user, beneficiary_record_opened
from piis.contracts.selectors import contract_get_for_user, contract_record_opened
from piis.contracts.selectors_drafting import clause_get_for_user
from piis.core.decorators import cpas_permission_required
from piis.core.errors import ServiceError, add_error_to_form
from piis.core.rls import set_current_cpas
from piis.core.sections import FormSection, save_sections, sections_valid
from piis.followup import ical
from piis.followup.forms import (
    CommitmentDeliveryForm,
    EvaluationForm,
    MeetingHeldForm,
    MeetingRequestForm,
    MeetingWithdrawForm,
)
from piis.followup.models import Evaluation
from piis.followup.perms import (
    can_manage_calendar_feed,
    can_record_followup,
    can_view_followup,
)
from piis.followup.selectors import (
    agenda_for_user,
    calendar_feed_by_token,
    calendar_feed_for_user,
    contract_compliance,
    evaluation_get_for_user,
    meeting_request_get_for_user,
    reviewable_commitments,
)
from piis.followup.services import (
    calendar_feed_create,
    calendar_feed_revoke,
    commitment_delivery_record,
    evaluation_save,
    meeting_request_create,
    meeting_request_mark_held,
    meeting_request_submitted,
    meeting_request_withdraw,
)

# --- evaluations ------------------------------------------------------------------------------------------------


def _evaluation_form_page(request, *, contract, evaluation, sections: Sequence[FormSection] = ()):
    """The evaluation form; `sections` are other apps' sections (piis/www: how it was explained), saved with the
    evaluation recorded, in the same transaction."""
    today, is_new = timezone.localdate(), evaluation.pk is None
    form = EvaluationForm(
        request.POST or None,
        instance=evaluation,
        contract=contract,
        objectives=contract.objectives.all(),
        commitments=reviewable_commitments(contract),
        assistants=[a for a in contract.beneficiary.assistants.all() if a.active],
    )
    if request.method == "POST" and form.is_valid() & sections_valid(sections):
        try:
            with transaction.atomic():
                recorded = evaluation_save(
                    membership=request.membership,
                    contract=contract,
                    evaluation=form.instance,
                    third_parties=form.cleaned_data["third_parties"],
                    progress=form.progress_entries(),
                    deliveries=form.delivery_entries(),
                    today=today,
                    context=request.path,
                )
                saved = save_sections(sections, recorded)
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            if saved:
                messages.success(request, _("The evaluation has been recorded."))
                return redirect("contracts:detail", contract_id=contract.pk)
            if is_new:
                form.instance.pk = None  # rolled back: still a new evaluation
    context = {"form": form, "contract": contract, "beneficiary": contract.beneficiary, "evaluation": evaluation,
               "sections": sections}  # fmt: skip
    return render(request, "followup/evaluation_form.html", context)


Sections = Callable[[Any, Evaluation], Sequence[FormSection]]


def evaluation_add_page(request, contract_id: int, *, sections: Sections | None = None):
    contract = contract_get_for_user(membership=request.membership, contract_id=contract_id, context=request.path)
    evaluation = Evaluation()
    extra = sections(contract, evaluation) if sections is not None else ()
    return _evaluation_form_page(request, contract=contract, evaluation=evaluation, sections=extra)


def evaluation_edit_page(request, evaluation_id: int, *, sections: Sections | None = None):
    evaluation = evaluation_get_for_user(membership=request.membership, evaluation_id=evaluation_id)
    contract = contract_get_for_user(
        membership=request.membership, contract_id=evaluation.contract_id, context=request.path
    )
    extra = sections(contract, evaluation) if sections is not None else ()
    return _evaluation_form_page(request, contract=contract, evaluation=evaluation, sections=extra)


evaluation_add = cpas_permission_required(can_record_followup)(evaluation_add_page)
evaluation_edit = cpas_permission_required(can_record_followup)(evaluation_edit_page)


@cpas_permission_required(can_view_followup)
def evaluation_print(request, evaluation_id: int):
    evaluation = evaluation_get_for_user(membership=request.membership, evaluation_id=evaluation_id)
    contract = contract_get_for_user(
        membership=request.membership, contract_id=evaluation.contract_id, context=request.path
    )
    today = timezone.localdate()
    years = contract_compliance(contract=contract, evaluations=contract.evaluations.all(), today=today)
    year = next((y for y in years if y.year.start <= evaluation.held_on <= y.year.end), None)
    context = {"evaluation": evaluation, "contract": contract, "beneficiary": contract.beneficiary, "year": year}
    return render(request, "followup/evaluation_print.html", context)


# --- delivery of commitments -----------------------------------------------------------------------------------


@cpas_permission_required(can_record_followup)
def commitment_delivery(request, clause_id: int):
    """Record whether a commitment of a PIIS in force was delivered (the form sits beside each commitment on the
    contract page; this page shows it again when the date is refused)."""
    clause = clause_get_for_user(membership=request.membership, clause_id=clause_id)
    today = timezone.localdate()
    initial = {"status": clause.delivery_status, "on": today}
    form = CommitmentDeliveryForm(
        request.POST or None, initial=initial, prefix=f"delivery-{clause.pk}", versioned=clause
    )
    if request.method == "POST" and form.is_valid():
        try:
            commitment_delivery_record(
                membership=request.membership, clause=clause, today=today, context=request.path, **form.cleaned_data
            )
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The delivery of the commitment has been recorded."))
            return redirect(reverse("contracts:detail", args=[clause.contract_id]) + f"#clause-{clause.pk}")
    contract_record_opened(membership=request.membership, contract=clause.contract, context=request.path)
    context = {"form": form, "clause": clause, "contract": clause.contract, "beneficiary": clause.contract.beneficiary}
    return render(request, "followup/commitment_delivery.html", context)


# --- meeting requests -------------------------------------------------------------------------------------------


@cpas_permission_required(can_record_followup)
def meeting_add(request, beneficiary_id: int):
    beneficiary = beneficiary_get_for_user(
        membership=request.membership, beneficiary_id=beneficiary_id, context=request.path
    )
    form = MeetingRequestForm(request.POST or None, initial={"requested_on": timezone.localdate()})
    submission_key = _submission_key(request)
    done = meeting_request_submitted(membership=request.membership, beneficiary=beneficiary,
                                     submission_key=submission_key)  # fmt: skip
    if request.method == "POST" and done is not None:  # sent again: its response lost, or a double click
        messages.info(
            request,
            _("This request had already been recorded: the meeting must be held by %(date)s.")
            % {"date": done.deadline.strftime("%d/%m/%Y")},
        )
        return redirect("cases:detail", beneficiary_id=beneficiary.pk)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_request_create(
                membership=request.membership, beneficiary=beneficiary, context=request.path,
                submission_key=submission_key, **form.cleaned_data,
            )  # fmt: skip
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(
                request,
                _("The request has been recorded: the meeting must be held by %(date)s.")
                % {"date": meeting.deadline.strftime("%d/%m/%Y")},
            )
            return redirect("cases:detail", beneficiary_id=beneficiary.pk)
    context = {
        "form": form,
        "beneficiary": beneficiary,
        "title": _("Meeting requested by the person"),
        "meeting": None,
        "submission_key": submission_key or uuid.uuid4(),
    }
    return render(request, "followup/meeting_form.html", context)


def _submission_key(request) -> uuid.UUID | None:
    """The key a creation form carries (drawn when it was shown), or None when absent or malformed."""
    try:
        return uuid.UUID(request.POST.get("submission_key", ""))
    except ValueError:
        return None


def _meeting_close(request, meeting_id: int, *, form_class, service, field: str, title: str, done: str):
    meeting = meeting_request_get_for_user(membership=request.membership, meeting_request_id=meeting_id)
    form = form_class(request.POST or None, initial={field: timezone.localdate()}, versioned=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            service(membership=request.membership, meeting_request=meeting, context=request.path, **form.cleaned_data)
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, done)
            return redirect("cases:detail", beneficiary_id=meeting.beneficiary_id)
    beneficiary_record_opened(membership=request.membership, beneficiary=meeting.beneficiary, context=request.path)
    context = {"form": form, "beneficiary": meeting.beneficiary, "title": title, "meeting": meeting}
    return render(request, "followup/meeting_form.html", context)


@cpas_permission_required(can_record_followup)
def meeting_held(request, meeting_id: int):
    return _meeting_close(
        request,
        meeting_id,
        form_class=MeetingHeldForm,
        service=meeting_request_mark_held,
        field="held_on",
        title=_("The requested meeting took place"),
        done=_("The meeting has been recorded as held."),
    )


@cpas_permission_required(can_record_followup)
def meeting_withdraw(request, meeting_id: int):
    return _meeting_close(
        request,
        meeting_id,
        form_class=MeetingWithdrawForm,
        service=meeting_request_withdraw,
        field="withdrawn_on",
        title=_("The person withdrew the request"),
        done=_("The request has been recorded as withdrawn."),
    )


# --- calendar feed ----------------------------------------------------------------------------------------------


@cpas_permission_required(can_manage_calendar_feed)
def feed_settings(request):
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            calendar_feed_revoke(membership=request.membership, context=request.path)
            messages.success(request, _("The calendar link has been revoked: it no longer works."))
        else:
            calendar_feed_create(membership=request.membership, context=request.path)
            messages.success(request, _("A new private calendar link has been created."))
        return redirect("followup:feed_settings")
    feed = calendar_feed_for_user(cpas=request.cpas, user=request.user)
    url = request.build_absolute_uri(ical.feed_path(feed.token)) if feed else ""
    return render(request, "followup/feed_settings.html", {"feed": feed, "feed_url": url})


def feed(request, token: str):
    """The private iCalendar feed: no login, the token is the key. Unknown or revoked: 404."""
    found = calendar_feed_by_token(token)
    if found is None:
        raise Http404
    # The middleware's transaction is open; from here on, row-level security lets through this CPAS's rows only.
    set_current_cpas(found.cpas_id)
    today = timezone.localdate()
    items = agenda_for_user(cpas=found.cpas, user=found.user, today=today)
    host = request.get_host()
    base_url = f"{request.scheme}://{host}"
    body = ical.calendar(items, today=today, host=host, name=_("PIIS deadlines"), base_url=base_url)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="piis.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
