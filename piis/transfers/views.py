"""Pages of a transfer: the list, recording a move (from a PIIS in force), the outgoing transfer (letter, answer,
send, the file sent), the incoming one (refusal, or the package and its takeover reviews), and the import of an
open PIIS file. Thin: fetch-and-authorise (404), one service call, render."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from piis.audit.enums import AuditVerb
from piis.audit.services import record
from piis.contracts.enums import CommitmentStatus, VersionKind
from piis.contracts.pdf import contract_html, html_to_pdf
from piis.contracts.selectors import contract_get_for_user
from piis.core.decorators import cpas_permission_required
from piis.core.deferred import AfterCommit
from piis.core.errors import ServiceError, add_error_to_form, error_message
from piis.sanctions.enums import DecisionOutcome
from piis.transfers import facts, forms, selectors, services
from piis.transfers.enums import TransferStatus
from piis.transfers.openpiis import dump, pdf_bytes
from piis.transfers.package import version_to_send
from piis.transfers.pdf import letter_html
from piis.transfers.perms import can_manage_transfers


def _detail(transfer):
    return redirect("transfers:detail", transfer_id=transfer.pk)


@cpas_permission_required(can_manage_transfers)
def transfer_list(request):
    outgoing, incoming = selectors.transfer_lists(membership=request.membership, context=request.path)
    return render(request, "transfers/list.html", {"outgoing": outgoing, "incoming": incoming})


@cpas_permission_required(can_manage_transfers)
def start(request, contract_id: int):
    contract = contract_get_for_user(membership=request.membership, contract_id=contract_id, context=request.path)
    study = facts.is_study_piis(contract)
    form = forms.MoveForm(request.POST or None, cpas=request.cpas, study=study)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfer = services.transfer_record_move(
                membership=request.membership, contract=contract, moved_on=data["moved_on"],
                learned_on=data["learned_on"], answer_by=data["answer_by"], new_cpas=data["new_cpas"],
                other_name=data["other_name"], other_nis_code=data["other_nis_code"],
                studies_uninterrupted=data.get("studies_uninterrupted", False), today=timezone.localdate(),
                context=request.path,
            )  # fmt: skip
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            return _detail(transfer)
    return render(request, "transfers/start.html", {"form": form, "contract": contract, "study": study})


@cpas_permission_required(can_manage_transfers)
def detail(request, transfer_id: int):
    transfer = selectors.transfer_get_for_user(membership=request.membership, pk=transfer_id, context=request.path)
    letter_form = forms.LetterForm(initial={"sent_on": timezone.localdate()})
    answer_form = forms.AnswerForm(initial={"answered_on": timezone.localdate()})
    return render(request, "transfers/detail.html", _detail_context(transfer, letter_form, answer_form))


def _detail_context(transfer, letter_form, answer_form) -> dict:
    waiting = transfer.status == TransferStatus.AWAITING_ANSWER
    return {
        "transfer": transfer,
        "letter_form": letter_form,
        "answer_form": answer_form,
        "waiting": waiting,
        "can_send": waiting and transfer.answer in ("consent", "no_answer"),
        "package": transfer.package,
    }


@require_POST
@cpas_permission_required(can_manage_transfers)
def letter_sent(request, transfer_id: int):
    transfer = selectors.transfer_get_for_user(membership=request.membership, pk=transfer_id, context=request.path)
    form = forms.LetterForm(request.POST)
    if form.is_valid():
        try:
            services.transfer_record_letter(membership=request.membership, transfer=transfer,
                                            sent_on=form.cleaned_data["sent_on"], today=timezone.localdate(),
                                            context=request.path)  # fmt: skip
            return _detail(transfer)
        except ServiceError as error:
            add_error_to_form(form, error)
    answer_form = forms.AnswerForm(initial={"answered_on": timezone.localdate()})
    return render(request, "transfers/detail.html", _detail_context(transfer, form, answer_form))


@require_POST
@cpas_permission_required(can_manage_transfers)
def answer(request, transfer_id: int):
    transfer = selectors.transfer_get_for_user(membership=request.membership, pk=transfer_id, context=request.path)
    form = forms.AnswerForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.transfer_record_answer(membership=request.membership, transfer=transfer,
                                            answer=data["answer"], answered_on=data["answered_on"],
                                            channel=data["channel"], today=timezone.localdate(),
                                            context=request.path)  # fmt: skip
            return _detail(transfer)
        except ServiceError as error:
            add_error_to_form(form, error)
    letter_form = forms.LetterForm(initial={"sent_on": timezone.localdate()})
    return render(request, "transfers/detail.html", _detail_context(transfer, letter_form, form))


@cpas_permission_required(can_manage_transfers)
def letter(request, transfer_id: int):
    """The letter as a PDF, laid out after the request's transaction (core.deferred)."""
    transfer = selectors.transfer_get_for_user(membership=request.membership, pk=transfer_id, context=request.path,
                                               audit=False)  # fmt: skip
    html = letter_html(transfer)

    def work():
        try:
            return html_to_pdf(html)
        except ServiceError as error:
            return error

    def finish(content):
        if isinstance(content, ServiceError):
            messages.error(request, error_message(content.code, content.params))
            return _detail(transfer)
        record(actor=request.user, cpas=request.cpas, verb=AuditVerb.TRANSFER_LETTER_OPENED, target=transfer,
               beneficiary_id=transfer.beneficiary_id, context=request.path)  # fmt: skip
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="transfer-{transfer.pk}-{transfer.language}.pdf"'
        return response

    return AfterCommit(work, finish)


@require_POST
@cpas_permission_required(can_manage_transfers)
def send(request, transfer_id: int):
    """Send the package: the signed PIIS is laid out after the request's transaction, then the service runs in the
    short second one (core.deferred)."""
    transfer = selectors.transfer_get_for_user(membership=request.membership, pk=transfer_id, context=request.path)
    version = version_to_send(transfer.contract)
    if version is None:
        messages.error(request, error_message("TRANSFER_NOT_IN_FORCE"))
        return _detail(transfer)
    try:
        html = contract_html(version)
    except ServiceError as error:
        messages.error(request, error_message(error.code, error.params))
        return _detail(transfer)

    def work():
        try:
            return html_to_pdf(html)
        except ServiceError as error:
            return error

    def finish(content):
        try:
            if isinstance(content, ServiceError):
                raise content
            services.transfer_send(membership=request.membership, transfer=transfer, pdf=content,
                                   today=timezone.localdate(), context=request.path)  # fmt: skip
        except ServiceError as error:
            messages.error(request, error_message(error.code, error.params))
        else:
            messages.success(request, _("The PIIS was sent; the old PIIS ended with reason “transferred”."))
        return _detail(transfer)

    return AfterCommit(work, finish)


def _day(value):
    return date.fromisoformat(value) if value else None


def _readable(piis: dict) -> dict:
    """The package's codes and ISO dates as the page shows them (translated labels, dates)."""
    return {
        **piis,
        "commitments": [{**c, "status": CommitmentStatus(c["status"]).label} for c in piis["commitments"]],
        "versions": [
            {**v, "kind": VersionKind(v["kind"]).label, "concluded_on": _day(v["concluded_on"])}
            for v in piis["versions"]
        ],  # fmt: skip
        "evaluations": [{**e, "held_on": _day(e["held_on"])} for e in piis["evaluations"]],
    }


def _readable_sanctions(rows: list) -> list:
    return [{**s, "outcome": DecisionOutcome(s["outcome"]).label, "decided_on": _day(s["decided_on"]),
             "start_on": _day(s["start_on"]), "end_on": _day(s["end_on"])} for s in rows]  # fmt: skip


def _json_download(document: dict, name: str) -> HttpResponse:
    response = HttpResponse(dump(document), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


@cpas_permission_required(can_manage_transfers)
def export(request, transfer_id: int):
    """The open PIIS file the old CPAS sent: what it held, and only that."""
    transfer = selectors.transfer_get_for_user(membership=request.membership, pk=transfer_id, context=request.path,
                                               audit=False)  # fmt: skip
    if transfer.package is None:
        raise Http404
    record(actor=request.user, cpas=request.cpas, verb=AuditVerb.TRANSFER_PACKAGE_EXPORTED, target=transfer,
           beneficiary_id=transfer.beneficiary_id, context=request.path)  # fmt: skip
    return _json_download(transfer.package, f"open-piis-{transfer.package['package_id']}")


@cpas_permission_required(can_manage_transfers)
def incoming(request, incoming_id: int):
    item = selectors.incoming_get_for_user(membership=request.membership, pk=incoming_id, context=request.path)
    context = {"incoming": item, "refusal_form": forms.RefusalForm(initial={"refused_on": timezone.localdate()})}
    if facts.content_allowed(refused=item.status == TransferStatus.REFUSED) and item.package:
        reviews = list(item.reviews.select_related("decided_by"))
        context.update(piis=_readable(item.package["piis"]), sanctions=_readable_sanctions(item.package["sanctions"]),
                       reviews=[(r, forms.ReviewForm(prefix=f"r{r.pk}")) for r in reviews])  # fmt: skip
    return render(request, "transfers/incoming.html", context)


@require_POST
@cpas_permission_required(can_manage_transfers)
def incoming_refusal(request, incoming_id: int):
    item = selectors.incoming_get_for_user(membership=request.membership, pk=incoming_id, context=request.path)
    form = forms.RefusalForm(request.POST)
    if form.is_valid():
        try:
            services.incoming_record_refusal(membership=request.membership, incoming=item,
                                             refused_on=form.cleaned_data["refused_on"],
                                             channel=form.cleaned_data["channel"], today=timezone.localdate(),
                                             context=request.path)  # fmt: skip
            return redirect("transfers:incoming", incoming_id=item.pk)
        except ServiceError as error:
            add_error_to_form(form, error)
    return render(request, "transfers/incoming.html", {"incoming": item, "refusal_form": form})


@require_POST
@cpas_permission_required(can_manage_transfers)
def review(request, review_id: int):
    item = selectors.review_get_for_user(membership=request.membership, pk=review_id, context=request.path)
    form = forms.ReviewForm(request.POST, prefix=f"r{item.pk}")
    if form.is_valid():
        try:
            services.review_decide(membership=request.membership, review=item, decision=form.cleaned_data["decision"],
                                   reason=form.cleaned_data["reason"], today=timezone.localdate(),
                                   context=request.path)  # fmt: skip
        except ServiceError as error:
            messages.error(request, error_message(error.code, error.params))
    else:
        messages.error(request, error_message("TAKEOVER_REASON_REQUIRED"))
    return redirect("transfers:incoming", incoming_id=item.incoming_id)


def _received(request, incoming_id: int) -> tuple:
    item = selectors.incoming_get_for_user(
        membership=request.membership, pk=incoming_id, context=request.path, audit=False
    )
    if not facts.content_allowed(refused=item.status == TransferStatus.REFUSED) or not item.package:
        raise Http404
    return item, item.package


@cpas_permission_required(can_manage_transfers)
def incoming_pdf(request, incoming_id: int):
    item, document = _received(request, incoming_id)
    record(actor=request.user, cpas=request.cpas, verb=AuditVerb.TRANSFER_PDF_OPENED, target=item,
           beneficiary_id=item.beneficiary_id, context=request.path)  # fmt: skip
    response = HttpResponse(pdf_bytes(document), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="piis-{document["piis"]["id"]}.pdf"'
    return response


@cpas_permission_required(can_manage_transfers)
def incoming_export(request, incoming_id: int):
    item, document = _received(request, incoming_id)
    record(actor=request.user, cpas=request.cpas, verb=AuditVerb.TRANSFER_PACKAGE_EXPORTED, target=item,
           beneficiary_id=item.beneficiary_id, context=request.path)  # fmt: skip
    return _json_download(document, f"open-piis-{document['package_id']}")


@cpas_permission_required(can_manage_transfers)
def import_package(request):
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.package_import(actor=request.user, cpas=request.cpas,
                                           raw=form.cleaned_data["package"].read(), today=timezone.localdate(),
                                           context=request.path)  # fmt: skip
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            return redirect("transfers:incoming", incoming_id=item.pk)
    return render(request, "transfers/import.html", {"form": form})
