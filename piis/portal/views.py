"""What the person reads on the portal: home, their PIIS, their dates, their rights, their letters. Every page
shows only the person's own file (`request.beneficiary`, see piis.portal.decorators), looks everything up through
it (piis.portal.reading: anyone else's id is a 404) and records the read with the person as the actor."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation

from piis.audit.enums import AuditVerb
from piis.contracts.pdf import contract_html, html_to_pdf, pdf_context
from piis.core.deferred import AfterCommit
from piis.core.errors import ServiceError
from piis.core.rls import set_current_cpas
from piis.portal import reading
from piis.portal.decorators import portal_login_required
from piis.portal.selectors import record_read

UPCOMING_ON_HOME = 3


@portal_login_required
def home(request):
    beneficiary, today = request.beneficiary, timezone.localdate()
    contracts = reading.contracts_of(beneficiary)
    dates = reading.timeline(beneficiary, today)
    upcoming = [d for d in dates if not d.past][:UPCOMING_ON_HOME]
    letters = sum(len(kind.letters) for kind in reading.letters_of(beneficiary))
    record_read(request, AuditVerb.PORTAL_HOME_OPENED)
    context = {
        "beneficiary": beneficiary,
        "contract": contracts[0] if contracts else None,
        "upcoming": upcoming,
        "letters": letters,
        "worker": beneficiary.social_worker,
    }
    return render(request, "portal/home.html", context)


@portal_login_required
def contract(request):
    """ "My PIIS": the one that matters now (in force, else being signed, else the last ended), and the others."""
    contracts = reading.contracts_of(request.beneficiary)
    if not contracts:
        record_read(request, AuditVerb.PORTAL_CONTRACT_OPENED)
        return render(request, "portal/contract.html", {"contract": None})
    return _contract_page(request, contracts[0], contracts)


@portal_login_required
def contract_detail(request, piis_id: int):
    contracts = reading.contracts_of(request.beneficiary)
    return _contract_page(request, reading.contract_of(request.beneficiary, piis_id), contracts)


def _contract_page(request, contract, contracts):
    version = reading.readable_version(contract)
    context = {"contract": contract, "others": [c for c in contracts if c.pk != contract.pk], "version": version}
    if version is not None:
        context.update(reading.contract_page(contract, version))
        context["amendment"] = reading.pending_amendment(contract)
    record_read(request, AuditVerb.PORTAL_CONTRACT_OPENED, target=contract)
    return render(request, "portal/contract.html", context)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _refused(request, error: ServiceError, status: int) -> HttpResponse:
    response = render(request, "portal/pdf_refused.html", {"message": error.message}, status=status)
    if error.code == "PRINT_TIMEOUT":
        response["Retry-After"] = "30"
    return response


@portal_login_required
def contract_pdf(request, piis_id: int, piis_version_id: int):
    """The full contract as a PDF: the same layout the CPAS prints (contracts.pdf), after the request's
    transaction."""
    contract = reading.contract_of(request.beneficiary, piis_id)
    version = reading.version_of(contract, piis_version_id)
    try:
        html = contract_html(version)
    except ServiceError as error:
        return _refused(request, error, 409)
    filename = f"piis-v{version.number}-{version.language}.pdf"
    return _later_pdf(request, html, filename, target=version, document="contract")


@portal_login_required
def contract_summary(request, piis_id: int, piis_version_id: int):
    """The one-page plain summary of the contract (the PDF's first page) on its own."""
    contract = reading.contract_of(request.beneficiary, piis_id)
    version = reading.version_of(contract, piis_version_id)
    try:
        with translation.override(version.language):
            html = render_to_string("portal/pdf/summary.html", pdf_context(version))
    except ServiceError as error:
        return _refused(request, error, 409)
    return _later_pdf(
        request, html, f"piis-summary-v{version.number}-{version.language}.pdf", target=version, document="summary"
    )


def _later_pdf(request, html: str, filename: str, *, target, document: str):
    """Lay `html` out after the request's transaction (core.deferred), then record the download."""
    cpas_id = request.cpas.pk

    def work():
        try:
            return html_to_pdf(html)
        except ServiceError as error:
            return error

    def finish(result):
        set_current_cpas(cpas_id)
        if isinstance(result, ServiceError):
            return _refused(request, result, 503)
        record_read(request, AuditVerb.PORTAL_DOCUMENT_OPENED, target=target, changes={"document": document})
        return _pdf(result, filename)

    return AfterCommit(work, finish)


@portal_login_required
def timeline(request):
    today = timezone.localdate()
    dates = reading.timeline(request.beneficiary, today)
    record_read(request, AuditVerb.PORTAL_TIMELINE_OPENED)
    return render(request, "portal/timeline.html", {"dates": dates, "today": today})


@portal_login_required
def rights(request):
    record_read(request, AuditVerb.PORTAL_RIGHTS_OPENED)
    return render(request, "portal/rights.html", {"rights": reading.rights(timezone.localdate())})


@portal_login_required
def letters(request):
    context = {"kinds": reading.letters_of(request.beneficiary)}
    record_read(request, AuditVerb.PORTAL_LETTERS_OPENED)
    return render(request, "portal/letters.html", context)


def _stored_or_later(request, field, html_of, filename: str, *, target, document: str):
    if field:
        with field.open("rb") as stored:
            content = stored.read()
        record_read(request, AuditVerb.PORTAL_DOCUMENT_OPENED, target=target, changes={"document": document})
        return _pdf(content, filename)
    try:
        html = html_of()
    except ServiceError as error:
        return _refused(request, error, 409)
    return _later_pdf(request, html, filename, target=target, document=document)


@portal_login_required
def notice_letter(request, notice_letter_id: int):
    """The letter saying a commitment was not kept (formal notice), as sent."""
    from piis.sanctions.pdf import notice_html

    notice = reading.notice_of(request.beneficiary, notice_letter_id)
    return _stored_or_later(
        request,
        notice.letter,
        lambda: notice_html(notice.dossier),
        f"letter-{notice.sent_on:%Y-%m-%d}.pdf",
        target=notice,
        document="notice",
    )


@portal_login_required
def decision_letter(request, decision_letter_id: int):
    """The decision letter, with the appeal information, as sent."""
    from piis.sanctions.pdf_council import decision_html

    decision = reading.decision_of(request.beneficiary, decision_letter_id)
    return _stored_or_later(
        request,
        decision.letter,
        lambda: decision_html(decision),
        f"decision-{decision.notified_on:%Y-%m-%d}.pdf",
        target=decision,
        document="decision",
    )


@portal_login_required
def transfer_letter(request, move_letter_id: int):
    """The letter on the move of the PIIS to the new CPAS and the right to refuse it."""
    from piis.transfers.pdf import letter_html

    transfer = reading.transfer_of(request.beneficiary, move_letter_id)
    return _stored_or_later(
        request,
        None,
        lambda: letter_html(transfer),
        f"move-{transfer.letter_sent_on:%Y-%m-%d}.pdf",
        target=transfer,
        document="transfer",
    )
