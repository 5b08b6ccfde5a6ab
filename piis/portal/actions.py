"""What the person can do on the portal: ask for a meeting, ask to change their PIIS, comment an evaluation, answer
the transfer of their PIIS after a move, say who helps them.

Thin views: every object is looked up through the person's own file (`request.beneficiary`, inside their CPAS's
row-level security) and is 404 otherwise; one domain service per action (`person_*`, audited with the person as
actor and a portal context, confirmed by e-mail when the person gave an address); the confirmation is shown on
the next page. A form that fails keeps what the person typed; a form sent twice records once (submission key).
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from piis.audit.enums import AuditVerb
from piis.audit.services import record
from piis.cases.models import Assistant
from piis.cases.services_person import person_set_assistant
from piis.contracts.enums import ContractStatus
from piis.contracts.models import AmendmentRequest, Contract
from piis.contracts.services.person import person_request_amendment
from piis.core.errors import ServiceError, add_error_to_form
from piis.followup.enums import MeetingStatus
from piis.followup.models import Evaluation, EvaluationComment, MeetingRequest
from piis.followup.services_person import (
    COMMENTABLE,
    meeting_working_days,
    person_comment_evaluation,
    person_request_meeting,
)
from piis.portal.decorators import portal_login_required
from piis.portal.forms_actions import AmendmentForm, AssistantForm, CommentForm, MeetingForm, TransferAnswerForm
from piis.transfers.enums import TransferStatus
from piis.transfers.models import Transfer
from piis.transfers.services_person import person_answer_transfer


def _submission_key(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get("submission_key", ""))
    except ValueError:
        return None


def _read(request, *, target=None) -> None:
    """The page showed the person their own data: one audit row, actor = the person."""
    record(
        actor=request.user,
        cpas=request.cpas,
        verb=AuditVerb.PORTAL_REQUESTS_OPENED,
        target=target if target is not None else request.beneficiary,
        beneficiary_id=request.beneficiary.pk,
        context=request.path,
    )


def _contract_in_force(request) -> Contract | None:
    return (
        Contract.objects.for_cpas(request.cpas)
        .filter(beneficiary=request.beneficiary, status=ContractStatus.IN_FORCE)
        .order_by("-signed_on", "-id")
        .first()
    )


def _own_evaluations(request):
    return Evaluation.objects.for_cpas(request.cpas).filter(
        contract__beneficiary=request.beneficiary, contract__status__in=COMMENTABLE
    )


def _own_open_transfers(request):
    return Transfer.objects.for_cpas(request.cpas).filter(
        beneficiary=request.beneficiary, status=TransferStatus.AWAITING_ANSWER, answer=""
    )


def _page(request, template: str, **context):
    return render(request, template, {"beneficiary": request.beneficiary, **context})


@portal_login_required
def actions(request):
    """What the person can ask, and what they already asked."""
    person, cpas = request.beneficiary, request.cpas
    evaluations = list(
        _own_evaluations(request)
        .order_by("-held_on", "-id")
        .prefetch_related(Prefetch("person_comments", queryset=EvaluationComment.objects.order_by("created_at")))
    )
    context = {
        "contract": _contract_in_force(request),
        "evaluations": evaluations,
        "transfers": list(_own_open_transfers(request).select_related("new_cpas")),
        "meetings": list(
            MeetingRequest.objects.for_cpas(cpas)
            .filter(beneficiary=person, status=MeetingStatus.OPEN)
            .order_by("deadline", "id")
        ),
        "amendment_requests": list(
            AmendmentRequest.objects.for_cpas(cpas).filter(beneficiary=person).order_by("-requested_on", "-id")[:10]
        ),
        "assistants": list(Assistant.objects.for_cpas(cpas).filter(beneficiary=person, active=True)),
    }
    _read(request)
    return _page(request, "portal/actions/index.html", **context)


def _done(request, text: str):
    messages.success(request, text)
    return redirect("portal:actions")


@portal_login_required
def ask_meeting(request):
    form = MeetingForm(request.POST or None)
    key = _submission_key(request)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = person_request_meeting(
                user=request.user,
                beneficiary=request.beneficiary,
                reason=form.cleaned_data["reason"],
                today=timezone.localdate(),
                submission_key=key,
                context=request.path,
            )
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            return _done(
                request,
                _("Your request is sent. Your social worker will meet you by %(date)s at the latest.")
                % {"date": date_format(meeting.deadline, "d/m/Y")},
            )
    days = meeting_working_days(timezone.localdate())
    return _page(request, "portal/actions/meeting.html", form=form, days=days, submission_key=key or uuid.uuid4())


@portal_login_required
def ask_amendment(request):
    contract = _contract_in_force(request)
    if contract is None:
        raise Http404
    form = AmendmentForm(request.POST or None)
    key = _submission_key(request)
    if request.method == "POST" and form.is_valid():
        try:
            person_request_amendment(
                user=request.user,
                beneficiary=request.beneficiary,
                contract=contract,
                text=form.cleaned_data["text"],
                today=timezone.localdate(),
                submission_key=key,
                context=request.path,
            )
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            return _done(request, _("Your request to change your PIIS is sent. Your social worker will answer you."))
    return _page(
        request, "portal/actions/amendment.html", form=form, contract=contract, submission_key=key or uuid.uuid4()
    )


@portal_login_required
def comment_evaluation(request, evaluation_id: int):
    try:
        evaluation = _own_evaluations(request).select_related("contract").get(pk=evaluation_id)
    except Evaluation.DoesNotExist:
        raise Http404 from None
    form = CommentForm(request.POST or None)
    key = _submission_key(request)
    if request.method == "POST" and form.is_valid():
        try:
            person_comment_evaluation(
                user=request.user,
                beneficiary=request.beneficiary,
                evaluation=evaluation,
                text=form.cleaned_data["text"],
                disagrees=form.cleaned_data["disagrees"],
                submission_key=key,
                context=request.path,
            )
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            return _done(request, _("Your words are saved beside the evaluation. Nobody can change them."))
    if request.method != "POST":
        _read(request, target=evaluation)
    comments = list(EvaluationComment.objects.for_cpas(request.cpas).filter(evaluation=evaluation))
    return _page(
        request,
        "portal/actions/comment.html",
        form=form,
        evaluation=evaluation,
        comments=comments,
        submission_key=key or uuid.uuid4(),
    )


@portal_login_required
def answer_transfer(request, transfer_id: int):
    try:
        transfer = (
            Transfer.objects.for_cpas(request.cpas)
            .select_related("new_cpas")
            .get(pk=transfer_id, beneficiary=request.beneficiary)
        )
    except Transfer.DoesNotExist:
        raise Http404 from None
    answered = transfer.status != TransferStatus.AWAITING_ANSWER or bool(transfer.answer)
    form = TransferAnswerForm(request.POST or None)
    if request.method == "POST" and not answered and form.is_valid():
        accept = form.cleaned_data["answer"] == TransferAnswerForm.ACCEPT
        try:
            person_answer_transfer(
                user=request.user,
                beneficiary=request.beneficiary,
                transfer=transfer,
                accept=accept,
                today=timezone.localdate(),
                context=request.path,
            )
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            return _done(
                request,
                _("Your answer is saved: your PIIS goes to your new CPAS.")
                if accept
                else _("Your answer is saved: you refuse. Your PIIS is not sent to your new CPAS."),
            )
    elif request.method == "POST" and answered:  # sent again, or answered meanwhile: nothing changes
        messages.info(request, _("Your answer was already saved."))
        return redirect("portal:actions")
    if request.method != "POST":
        _read(request, target=transfer)
    return _page(request, "portal/actions/transfer.html", form=form, transfer=transfer, answered=answered)


@portal_login_required
def set_assistant(request):
    form = AssistantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assistant = person_set_assistant(
                user=request.user, beneficiary=request.beneficiary, context=request.path, **form.cleaned_data
            )
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            return _done(request, _("Saved: %(name)s helps you.") % {"name": assistant.name})
    return _page(request, "portal/actions/assistant.html", form=form)
