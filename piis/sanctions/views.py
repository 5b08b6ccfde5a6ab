"""Pages of the procedure before the council: the dossiers list, a dossier (checklist, steps, timeline), one form
per step, the notice letter. Thin: fetch-and-authorise (404), one service call, render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from piis.audit.enums import AuditVerb
from piis.audit.services import record
from piis.contracts.selectors import contract_get_for_user
from piis.core.concurrency import carry_read_version
from piis.core.decorators import cpas_permission_required
from piis.core.deferred import AfterCommit
from piis.core.errors import ServiceError, add_error_to_form
from piis.followup.models import Evaluation
from piis.sanctions import facts, forms, services
from piis.sanctions.enums import PREPARATION_STATUSES, DossierStatus, HearingAnswer, Transition, can_transition
from piis.sanctions.pdf import months_figure, notice_html, render_notice_pdf
from piis.sanctions.perms import (
    can_list_dossiers,
    can_open_dossier,
    can_prepare_dossier,
    can_record_hearing,
    can_review_recent_piis,
)
from piis.sanctions.selectors import commitments_due, dossier_get_for_user, dossier_list, readiness, timeline


def _dossier(request, pk: int, *, audit: bool = True):
    return dossier_get_for_user(membership=request.membership, pk=pk, context=request.path, audit=audit)


def _done(dossier, anchor: str = ""):
    response = redirect("sanctions:detail", dossier_id=dossier.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@cpas_permission_required(can_list_dossiers)
def dossier_list_view(request):
    rows = dossier_list(membership=request.membership, context=request.path)
    return render(request, "sanctions/list.html", {"dossiers": rows})


@cpas_permission_required(can_list_dossiers)
def dossier_open(request, contract_id: int):
    contract = contract_get_for_user(membership=request.membership, contract_id=contract_id, context=request.path)
    if not can_open_dossier(request.membership, beneficiary=contract.beneficiary, contract=contract):
        raise Http404
    clauses = facts.breachable_clauses(contract)
    form = forms.OpenForm(request.POST or None, clauses=clauses)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = services.dossier_open(
                actor=request.user, contract=contract, clause=form.cleaned_data["clause"],
                breach_on=form.cleaned_data["breach_on"], facts_text=form.cleaned_data["facts"],
                kind=form.cleaned_data["kind"],
            )  # fmt: skip
        except ServiceError as error:
            add_error_to_form(form, error, aliases={"facts_text": "facts"})
        else:
            messages.success(request, _("The breach is reported and the procedure opened. Next: the formal notice."))
            return _done(dossier)
    context = {"form": form, "contract": contract, "beneficiary": contract.beneficiary, "clauses": clauses}
    return render(request, "sanctions/open.html", context)


def _actions(request, dossier) -> dict[str, bool]:
    m = request.membership
    prepare = can_prepare_dossier(m, dossier)
    preparing = dossier.status in PREPARATION_STATUSES
    hearing = getattr(dossier, "hearing", None)
    return {
        "prepare": prepare and preparing,
        "breach": prepare and dossier.status == DossierStatus.OPEN,
        "notice": prepare and dossier.status == DossierStatus.OPEN,
        "hearing_held": can_record_hearing(m, dossier)
        and hearing is not None
        and hearing.answer == HearingAnswer.ASKED
        and dossier.status in PREPARATION_STATUSES | {DossierStatus.READY, DossierStatus.ON_AGENDA},
        "review": can_review_recent_piis(m, dossier) and dossier.recent_piis_on is not None,
        "ready": prepare and can_transition(dossier.status, Transition.MARK_READY),
        "back": prepare and can_transition(dossier.status, Transition.REOPEN_PREPARATION),
        "close": prepare and can_transition(dossier.status, Transition.CLOSE),
    }


@cpas_permission_required(can_list_dossiers)
def dossier_detail(request, dossier_id: int):
    dossier = _dossier(request, dossier_id)
    problems = readiness(dossier)
    cap = facts.sanction_cap(dossier)
    figure = months_figure(cap.max_months)
    context = {
        "dossier": dossier,
        "beneficiary": dossier.beneficiary,
        "breach": dossier.breach,
        "notice": getattr(dossier, "notice", None),
        "answer": getattr(dossier, "answer", None),
        "check": getattr(dossier, "commitment_check", None),
        "opinion": getattr(dossier, "opinion", None),
        "hearing": getattr(dossier, "hearing", None),
        "evidence": list(dossier.evidence.all()),
        "unmet": facts.unmet_tied_commitments(dossier),
        "cap": cap,
        "cap_count": figure["months_count"],
        "cap_text": figure["months_text"],
        "problems": problems,
        "steps": timeline(dossier),
        "can": _actions(request, dossier),
        "today": timezone.localdate(),
    }
    return render(request, "sanctions/detail.html", context)


# --- one form per step --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepPage:
    title: Any
    form: type
    save: Callable[..., Any]
    allowed: str  # the key of _actions that allows it
    anchor: str
    initial: Callable[..., dict] = lambda request, dossier: {}
    form_kwargs: Callable[..., dict] = lambda request, dossier: {}
    # the row the step changes, when it is already recorded (its read version guards against a stale save)
    versioned: Callable[..., Any] = lambda request, dossier: None
    done: Any = gettext_lazy("Saved.")


def _row(name: str):
    """The dossier's one-to-one step `name` (notice, answer…), when it is recorded."""
    return lambda request, dossier: getattr(dossier, name, None)


def _today_initial(field: str):
    return lambda request, dossier: {field: timezone.localdate()}


def _breach_save(request, dossier, d):
    services.breach_correct(actor=request.user, dossier=dossier, breach_on=d["breach_on"], facts_text=d["facts"])


def _evidence_save(request, dossier, d):
    services.evidence_add(
        actor=request.user, dossier=dossier, source=d["source"], source_date=d["source_date"], passage=d["passage"],
        evaluation=d["evaluation"], source_label=d["source_label"],
    )  # fmt: skip


def _notice_save(request, dossier, d):
    services.notice_prepare(actor=request.user, dossier=dossier, comply_by=d["comply_by"], language=d["language"])


def _notice_initial(request, dossier):
    notice = getattr(dossier, "notice", None)
    if notice is not None:
        return {"language": notice.language, "comply_by": notice.comply_by}
    return {"language": dossier.beneficiary.language}


def _delivered_save(request, dossier, d):
    services.notice_delivered(actor=request.user, dossier=dossier, delivered_on=d["delivered_on"],
                              method=d["delivery_method"])  # fmt: skip


def _answer_save(request, dossier, d):
    services.answer_record(
        actor=request.user, dossier=dossier, kind=d["kind"], answered_on=d["answered_on"],
        answer_text=d["answer_text"], legitimate_reason_invoked=d["legitimate_reason_invoked"],
    )  # fmt: skip


def _reason_save(request, dossier, d):
    services.legitimate_reason_answer(actor=request.user, dossier=dossier, found=d["found"],
                                      assessment=d["assessment"])  # fmt: skip


def _commitments_save(request, dossier, d):
    services.commitments_check(actor=request.user, dossier=dossier, tied={int(pk) for pk in d["tied"]})


def _commitments_initial(request, dossier):
    check = getattr(dossier, "commitment_check", None)
    if check is not None:
        return {"tied": [str(line.clause_id) for line in check.lines.all() if line.tied]}
    breached = dossier.breach.clause
    same = [c for c in commitments_due(dossier) if breached.objective_id and c.objective_id == breached.objective_id]
    return {"tied": [str(c.pk) for c in same]}


def _override_save(request, dossier, d):
    services.commitments_override(actor=request.user, dossier=dossier, motivation=d["motivation"])


def _opinion_save(request, dossier, d):
    services.opinion_record(actor=request.user, dossier=dossier, opinion=d["opinion"], proposal=d["proposal"],
                            months=d["proposed_months"], share=d["proposed_share"])  # fmt: skip


def _hearing_right_save(request, dossier, d):
    services.hearing_right_notified(actor=request.user, dossier=dossier, notified_on=d["right_notified_on"],
                                    reply_by=d["reply_by"])  # fmt: skip


def _hearing_answer_save(request, dossier, d):
    services.hearing_answer(actor=request.user, dossier=dossier, answer=d["answer"], asked_on=d["asked_on"],
                            scheduled_on=d["scheduled_on"])  # fmt: skip


def _hearing_held_save(request, dossier, d):
    services.hearing_held(actor=request.user, dossier=dossier, held_on=d["held_on"], attendees=d["attendees"],
                          assistant=d["assistant"], minutes=d["minutes"])  # fmt: skip


def _review_save(request, dossier, d):
    services.recent_piis_review(actor=request.user, dossier=dossier, note=d["note"])


def _close_save(request, dossier, d):
    services.dossier_close(actor=request.user, dossier=dossier, reason=d["reason"], note=d["note"])


def _evaluations(request, dossier):
    qs = Evaluation.objects.for_cpas(request.cpas).filter(contract__beneficiary_id=dossier.beneficiary_id)
    return {"evaluations": qs}


STEPS: dict[str, StepPage] = {
    "breach": StepPage(gettext_lazy("Correct the breach"), forms.BreachForm, _breach_save, "breach", "breach",
                       initial=lambda r, d: {"breach_on": d.breach.breach_on, "facts": d.breach.facts},
                       versioned=lambda r, d: d.breach),
    "evidence": StepPage(gettext_lazy("Extract a passage"), forms.EvidenceForm, _evidence_save, "prepare", "evidence",
                         form_kwargs=_evaluations),
    "notice": StepPage(gettext_lazy("Prepare the formal notice"), forms.NoticeForm, _notice_save, "notice", "notice",
                       initial=_notice_initial, versioned=_row("notice")),
    "delivered": StepPage(gettext_lazy("Formal notice delivered"), forms.NoticeDeliveredForm, _delivered_save,
                          "prepare", "notice", initial=_today_initial("delivered_on"), versioned=_row("notice")),
    "answer": StepPage(gettext_lazy("The person's answer"), forms.AnswerForm, _answer_save, "prepare", "answer",
                       initial=_today_initial("answered_on"), versioned=_row("answer")),
    "reason": StepPage(gettext_lazy("Legitimate reason"), forms.ReasonForm, _reason_save, "prepare", "answer",
                     versioned=_row("answer")),
    "commitments": StepPage(gettext_lazy("Commitments of the CPAS and third parties"), forms.CommitmentsForm,
                            _commitments_save, "prepare", "commitments", initial=_commitments_initial,
                            form_kwargs=lambda r, d: {"commitments": commitments_due(d)},
                            versioned=_row("commitment_check")),
    "override": StepPage(gettext_lazy("Go on despite an unmet commitment"), forms.OverrideForm, _override_save,
                         "prepare", "commitments", versioned=_row("commitment_check")),
    "opinion": StepPage(gettext_lazy("Social worker's opinion"), forms.OpinionForm, _opinion_save, "prepare",
                        "opinion", versioned=_row("opinion")),
    "hearing-right": StepPage(gettext_lazy("Right to be heard notified"), forms.HearingRightForm,
                              _hearing_right_save, "prepare", "hearing", initial=_today_initial("right_notified_on"),
                              versioned=_row("hearing")),
    "hearing-answer": StepPage(gettext_lazy("Does the person wish to be heard?"), forms.HearingAnswerForm,
                               _hearing_answer_save, "prepare", "hearing", versioned=_row("hearing")),
    "hearing-held": StepPage(gettext_lazy("Hearing held"), forms.HearingHeldForm, _hearing_held_save,
                             "hearing_held", "hearing", initial=_today_initial("held_on"),
                             versioned=_row("hearing")),
    "review": StepPage(gettext_lazy("Review of a recent PIIS"), forms.ReviewForm, _review_save, "review", "alert",
                     versioned=lambda r, d: d),
    "close": StepPage(gettext_lazy("Close without going to the council"), forms.CloseForm, _close_save, "close", "",
                    versioned=lambda r, d: d),
}  # fmt: skip


@cpas_permission_required(can_list_dossiers)
def dossier_step(request, dossier_id: int, step: str):
    page = STEPS.get(step)
    if page is None:
        raise Http404
    dossier = _dossier(request, dossier_id)
    if not _actions(request, dossier)[page.allowed]:
        raise Http404
    form = page.form(
        request.POST or None,
        initial=page.initial(request, dossier),
        versioned=page.versioned(request, dossier),
        **page.form_kwargs(request, dossier),
    )
    if request.method == "POST" and form.is_valid():
        try:
            page.save(request, dossier, form.cleaned_data)
        except ServiceError as error:
            add_error_to_form(form, error, aliases={"assessment": "assessment", "reason": "reason"})
        else:
            messages.success(request, str(page.done))
            return _done(dossier, page.anchor)
    context = {"form": form, "dossier": dossier, "beneficiary": dossier.beneficiary, "title": page.title}
    return render(request, "sanctions/step_form.html", context)


@cpas_permission_required(can_list_dossiers)
def notice_sent(request, dossier_id: int):
    """Record the sending: the letter is laid out after the request's transaction (core.deferred) and stored as
    sent, with the sending, in a short second transaction."""
    dossier = _dossier(request, dossier_id)
    if not _actions(request, dossier)["prepare"] or getattr(dossier, "notice", None) is None:
        raise Http404
    form = forms.NoticeSentForm(
        request.POST or None, initial={"sent_on": timezone.localdate()}, versioned=dossier.notice
    )
    context = {"form": form, "dossier": dossier, "beneficiary": dossier.beneficiary,
               "title": _("Formal notice sent")}  # fmt: skip
    if request.method == "POST" and form.is_valid():
        sent_on = form.cleaned_data["sent_on"]
        try:
            dossier.notice.sent_on = sent_on  # the letter is dated the day it is sent
            html = notice_html(dossier)
        except ServiceError as error:
            add_error_to_form(form, error)
            return render(request, "sanctions/step_form.html", context)

        def work():
            from piis.contracts.pdf import html_to_pdf

            try:
                return html_to_pdf(html)
            except ServiceError as error:
                return error

        def finish(pdf):
            fresh = _dossier(request, dossier_id, audit=False)
            if getattr(fresh, "notice", None) is not None:  # the version the page was read at, on the row re-read
                carry_read_version(dossier.notice, fresh.notice)
            try:
                if isinstance(pdf, ServiceError):
                    raise pdf
                services.notice_send(actor=request.user, dossier=fresh, sent_on=sent_on, letter_pdf=pdf)
            except ServiceError as error:
                add_error_to_form(form, error)
                return render(request, "sanctions/step_form.html", context)
            messages.success(request, _("The sending of the formal notice is recorded; the letter as sent is kept."))
            return _done(fresh, "notice")

        return AfterCommit(work, finish)
    return render(request, "sanctions/step_form.html", context)


@cpas_permission_required(can_list_dossiers)
def notice_pdf(request, dossier_id: int):
    """The notice letter: as sent (stored) once sent, else laid out from the dossier (a draft to check)."""
    dossier = _dossier(request, dossier_id, audit=False)
    notice = getattr(dossier, "notice", None)
    if notice is None:
        raise Http404

    def respond(content: bytes) -> HttpResponse:
        record(actor=request.user, cpas=request.cpas, verb=AuditVerb.SANCTION_NOTICE_OPENED, target=notice,
               beneficiary_id=dossier.beneficiary_id, context=request.path)  # fmt: skip
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="notice-{dossier.pk}-{notice.language}.pdf"'
        return response

    if notice.letter:
        with notice.letter.open("rb") as stored:
            return respond(stored.read())
    try:
        html = notice_html(dossier)
    except ServiceError as error:
        messages.error(request, error.message)
        return _done(dossier, "notice")

    def work():
        from piis.contracts.pdf import html_to_pdf

        try:
            return html_to_pdf(html)
        except ServiceError as error:
            return error

    def finish(content):
        if isinstance(content, ServiceError):
            messages.error(request, content.message)
            return _done(dossier, "notice")
        return respond(content)

    return AfterCommit(work, finish)


@require_POST
@cpas_permission_required(can_list_dossiers)
def dossier_ready(request, dossier_id: int):
    dossier = _dossier(request, dossier_id, audit=False)
    if not _actions(request, dossier)["ready"]:
        raise Http404
    try:
        services.dossier_mark_ready(actor=request.user, dossier=dossier)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The dossier is ready for the council: the secretary can put it on an agenda."))
    return _done(dossier)


@require_POST
@cpas_permission_required(can_list_dossiers)
def dossier_back(request, dossier_id: int):
    dossier = _dossier(request, dossier_id, audit=False)
    if not _actions(request, dossier)["back"]:
        raise Http404
    services.dossier_back_to_preparation(actor=request.user, dossier=dossier)
    messages.success(request, _("The dossier is back in preparation."))
    return _done(dossier)


def render_pdf_now(dossier) -> bytes:
    """The letter as a PDF, laid out now (demo data, tests)."""
    return render_notice_pdf(dossier)
