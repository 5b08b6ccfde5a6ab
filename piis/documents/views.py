"""Pages of a file's documents and letters, reached from the file page and the contract page."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from piis.cases.selectors import beneficiary_get_for_user
from piis.contracts.enums import ContractStatus
from piis.contracts.models import Clause, ContractVersion, Step
from piis.contracts.selectors import contract_get_for_user
from piis.core.decorators import cpas_permission_required
from piis.core.deferred import AfterCommit
from piis.core.errors import ServiceError, add_error_to_form
from piis.documents import services
from piis.documents.access import can_see_sensitive
from piis.documents.compose import compose, letter_html, open_meeting_requests
from piis.documents.enums import LetterKind
from piis.documents.forms import DocumentForm, ExplanationForm, LetterForm, LetterTemplateForm, OutcomeForm
from piis.documents.letters import default_wording, placeholder_help
from piis.documents.models import ContractOutcome, Explanation
from piis.documents.perms import (
    can_add_documents,
    can_manage_letter_templates,
    can_send_letters,
    can_view_documents,
)
from piis.documents.selectors import (
    document_download_record,
    document_get_for_user,
    documents_for_file,
    hidden_sensitive_count,
    letter_get_for_user,
    letter_opened_record,
    letters_for_file,
    template_for,
    template_rows,
)
from piis.followup.models import Evaluation


def _file_url(beneficiary_id: int) -> str:
    return reverse("documents:file", args=[beneficiary_id])


@cpas_permission_required(can_view_documents)
def file_documents(request, beneficiary_id: int):
    """The file's documents and the letters sent, with the buttons to add one and to write a letter."""
    beneficiary = beneficiary_get_for_user(membership=request.membership, beneficiary_id=beneficiary_id,
                                           context=request.path)  # fmt: skip
    context = {
        "beneficiary": beneficiary,
        "documents": documents_for_file(membership=request.membership, beneficiary=beneficiary),
        "hidden_count": hidden_sensitive_count(membership=request.membership, beneficiary=beneficiary),
        "letters": letters_for_file(membership=request.membership, beneficiary=beneficiary),
        "letter_kinds": LetterKind.choices,
        "can_add": can_add_documents(request.membership),
        "can_send": can_send_letters(request.membership),
    }
    return render(request, "documents/file_documents.html", context)


@cpas_permission_required(can_view_documents)
def contract_documents(request, contract_id: int):
    contract = contract_get_for_user(membership=request.membership, contract_id=contract_id, context=request.path)
    beneficiary = contract.beneficiary
    context = {
        "beneficiary": beneficiary,
        "contract": contract,
        "documents": documents_for_file(membership=request.membership, beneficiary=beneficiary, contract=contract),
        "hidden_count": 0,
        "letters": letters_for_file(membership=request.membership, beneficiary=beneficiary, contract=contract),
        "can_add": can_add_documents(request.membership),
        "can_send": False,
    }
    return render(request, "documents/file_documents.html", context)


def _document_form_page(request, *, beneficiary, contract=None):
    steps = clauses = None
    if contract is not None:
        steps = list(
            Step.objects.for_cpas(request.cpas).filter(objective__contract=contract).select_related("objective")
        )
        clauses = list(Clause.objects.for_cpas(request.cpas).filter(contract=contract))
    sensitive = can_see_sensitive(request.membership, beneficiary)
    initial = {"dated_on": timezone.localdate()}
    if request.GET.get("step", "").isdigit():
        initial["step"] = int(request.GET["step"])
    if request.GET.get("clause", "").isdigit():
        initial["clause"] = int(request.GET["clause"])
    form = DocumentForm(request.POST or None, request.FILES or None, steps=steps, clauses=clauses,
                        sensitive_allowed=sensitive, initial=initial)  # fmt: skip
    back = reverse("documents:contract", args=[contract.pk]) if contract else _file_url(beneficiary.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        step = next((s for s in steps or () if s.pk == data.get("step")), None)
        clause = next((c for c in clauses or () if c.pk == data.get("clause")), None)
        try:
            services.document_add(
                membership=request.membership, beneficiary=beneficiary, upload=data["file"], kind=data["kind"],
                title=data["title"], dated_on=data["dated_on"], contract=contract, step=step, clause=clause,
                context=request.path,
            )  # fmt: skip
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The document is kept in the file."))
            return redirect(back)
    context = {"form": form, "beneficiary": beneficiary, "contract": contract, "back": back,
               "title": _("Add a document")}  # fmt: skip
    return render(request, "documents/document_form.html", context)


@cpas_permission_required(can_add_documents)
def document_add(request, beneficiary_id: int):
    beneficiary = beneficiary_get_for_user(membership=request.membership, beneficiary_id=beneficiary_id,
                                           context=request.path)  # fmt: skip
    return _document_form_page(request, beneficiary=beneficiary)


@cpas_permission_required(can_add_documents)
def contract_document_add(request, contract_id: int):
    contract = contract_get_for_user(membership=request.membership, contract_id=contract_id, context=request.path)
    return _document_form_page(request, beneficiary=contract.beneficiary, contract=contract)


@cpas_permission_required(can_view_documents)
def document_download(request, document_id: int):
    """The document as stored; every download writes a document_opened audit row."""
    document = document_get_for_user(membership=request.membership, document_id=document_id)
    document_download_record(membership=request.membership, document=document, context=request.path)
    with document.file.open("rb") as stored:  # at most UPLOAD_MAX_MB: read whole, the file closed at once
        content = stored.read()
    response = HttpResponse(content, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(True, document.original_name)
    return response


@require_POST
@cpas_permission_required(can_add_documents)
def document_remove(request, document_id: int):
    document = document_get_for_user(membership=request.membership, document_id=document_id)
    beneficiary_id = document.beneficiary_id
    services.document_remove(membership=request.membership, document=document, context=request.path)
    messages.success(request, _("The document is removed."))
    return redirect(_file_url(beneficiary_id))


# --- letters ---------------------------------------------------------------------------------------------------------


@cpas_permission_required(can_send_letters)
def letter_new(request, beneficiary_id: int, kind: str):
    """Prepare a letter: the form asks what the kind needs, a preview shows the text filled in, and sending lays out
    the PDF after the request's transaction, then keeps the letter as sent in a short second one."""
    if kind not in LetterKind.values:
        raise Http404
    beneficiary = beneficiary_get_for_user(membership=request.membership, beneficiary_id=beneficiary_id,
                                           context=request.path)  # fmt: skip
    requests_ = open_meeting_requests(beneficiary) if kind == LetterKind.MEETING_CONFIRMATION else ()
    initial = {"language": beneficiary.language, "sent_on": timezone.localdate()}
    if requests_:
        initial["meeting_request"] = requests_[0].pk
    form = LetterForm(request.POST or None, kind=kind, meeting_requests=requests_, initial=initial)
    context = {"form": form, "beneficiary": beneficiary, "kind": kind, "title": LetterKind(kind).label,
               "preview": None}  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            composed = compose(membership=request.membership, beneficiary=beneficiary, kind=kind,
                               data=form.cleaned_data)  # fmt: skip
        except ServiceError as error:
            add_error_to_form(form, error)
            return render(request, "documents/letter_form.html", context)
        if "send" not in request.POST:
            context["preview"] = composed.filled
            return render(request, "documents/letter_form.html", context)
        html = letter_html(cpas=request.cpas, beneficiary=beneficiary, composed=composed)
        contract_id = composed.contract.pk if composed.contract is not None else None

        def work():
            from piis.contracts.pdf import html_to_pdf

            try:
                return html_to_pdf(html)
            except ServiceError as error:
                return error

        def finish(pdf):
            try:
                if isinstance(pdf, ServiceError):
                    raise pdf
                fresh = beneficiary_get_for_user(membership=request.membership, beneficiary_id=beneficiary_id,
                                                 context=request.path)  # fmt: skip
                contract = fresh.contracts.filter(pk=contract_id).first() if contract_id else None
                services.letter_send(
                    membership=request.membership, beneficiary=fresh, kind=kind, language=composed.language,
                    subject=composed.filled.subject, body=composed.filled.body, pdf=pdf, sent_on=composed.sent_on,
                    contract=contract, context=request.path,
                )  # fmt: skip
            except ServiceError as error:
                add_error_to_form(form, error)
                return render(request, "documents/letter_form.html", context)
            messages.success(request, _("The letter is kept as sent, with its PDF."))
            return redirect(_file_url(beneficiary_id))

        return AfterCommit(work, finish)
    return render(request, "documents/letter_form.html", context)


@cpas_permission_required(can_view_documents)
def letter_pdf(request, letter_id: int):
    letter = letter_get_for_user(membership=request.membership, letter_id=letter_id)
    if not letter.pdf:
        raise Http404
    letter_opened_record(membership=request.membership, letter=letter, context=request.path)
    with letter.pdf.open("rb") as stored:
        response = HttpResponse(stored.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="letter-{letter.pk}-{letter.language}.pdf"'
    return response


# --- the CPAS's letter templates ---------------------------------------------------------------------------------


@cpas_permission_required(can_manage_letter_templates)
def template_list(request):
    return render(request, "documents/template_list.html", {"rows": template_rows(membership=request.membership)})


@cpas_permission_required(can_manage_letter_templates)
def template_edit(request, kind: str, language: str):
    if kind not in LetterKind.values or language not in {"fr", "nl", "de", "en"}:
        raise Http404
    own = template_for(cpas=request.cpas, kind=kind, language=language)
    subject, body = default_wording(kind, language)
    initial = {} if own else {"subject": subject, "body": body}
    form = LetterTemplateForm(request.POST or None, instance=own, initial=initial)
    if request.method == "POST" and "reset" in request.POST and own is not None:
        services.template_reset(membership=request.membership, template=own, context=request.path)
        messages.success(request, _("The letter is back to the default wording."))
        return redirect("documents:templates")
    if request.method == "POST" and form.is_valid():
        try:
            services.template_save(
                membership=request.membership, kind=kind, language=language, subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"], template=form.instance if own else None, context=request.path,
            )  # fmt: skip
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The letter's wording is saved."))
            return redirect("documents:templates")
    context = {"form": form, "kind": kind, "language": language, "own": own, "title": LetterKind(kind).label,
               "placeholders": placeholder_help(kind)}  # fmt: skip
    return render(request, "documents/template_form.html", context)


# --- explained, not only written; the outcome of an ended PIIS -------------------------------------------------------


def _explanation_page(request, *, contract, version=None, evaluation=None):
    lookup = {"version": version} if version is not None else {"evaluation": evaluation}
    existing = Explanation.objects.for_cpas(request.cpas).filter(contract=contract, **lookup).first()
    instance = existing or Explanation(cpas=request.cpas, contract=contract, **lookup)
    assistants = contract.beneficiary.assistants.all()
    form = ExplanationForm(request.POST or None, instance=instance, assistants=assistants)
    back = reverse("contracts:detail", args=[contract.pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.explanation_save(membership=request.membership, explanation=form.instance, context=request.path)
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("How it was explained is recorded."))
            return redirect(back)
    if version is not None:
        title = _("How the hand-over of %(date)s was explained") % {"date": f"{version.handed_over_on:%d/%m/%Y}"}
    else:
        title = _("How the evaluation of %(date)s was explained") % {"date": f"{evaluation.held_on:%d/%m/%Y}"}
    context = {"form": form, "beneficiary": contract.beneficiary, "contract": contract, "back": back, "title": title}
    return render(request, "documents/record_form.html", context)


@cpas_permission_required(can_add_documents)
def handover_explained(request, contract_id: int, version_id: int):
    contract = contract_get_for_user(membership=request.membership, contract_id=contract_id, context=request.path)
    version = ContractVersion.objects.for_cpas(request.cpas).filter(contract=contract, pk=version_id).first()
    if version is None:
        raise Http404
    return _explanation_page(request, contract=contract, version=version)


@cpas_permission_required(can_add_documents)
def evaluation_explained(request, contract_id: int, evaluation_id: int):
    contract = contract_get_for_user(membership=request.membership, contract_id=contract_id, context=request.path)
    evaluation = Evaluation.objects.for_cpas(request.cpas).filter(contract=contract, pk=evaluation_id).first()
    if evaluation is None:
        raise Http404
    return _explanation_page(request, contract=contract, evaluation=evaluation)


@cpas_permission_required(can_add_documents)
def outcome_edit(request, contract_id: int):
    contract = contract_get_for_user(membership=request.membership, contract_id=contract_id, context=request.path)
    if contract.status != ContractStatus.ENDED:
        raise Http404
    existing = ContractOutcome.objects.for_cpas(request.cpas).filter(contract=contract).first()
    form = OutcomeForm(
        request.POST or None, instance=existing or ContractOutcome(cpas=request.cpas, contract=contract)
    )
    back = reverse("contracts:detail", args=[contract.pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_save(membership=request.membership, outcome=form.instance, context=request.path)
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The outcome of the PIIS is recorded."))
            return redirect(back)
    context = {"form": form, "beneficiary": contract.beneficiary, "contract": contract, "back": back,
               "title": _("Outcome of the PIIS")}  # fmt: skip
    return render(request, "documents/record_form.html", context)
