"""Contract lifecycle views: hand-over, back to draft, information and rights, signatures, late motivation, PDF,
versions and amendments, end. Thin: fetch inside the CPAS (404 elsewhere), call one service, render."""

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from piis.accounts.models import Signatory
from piis.accounts.selectors import required_cpas_signatories
from piis.audit.enums import AuditVerb
from piis.audit.services import record
from piis.contracts.diff import version_diff
from piis.contracts.enums import LifecycleState, VersionKind
from piis.contracts.forms_lifecycle import (
    AmendmentStartForm,
    EndForm,
    HandOverWithInformationForm,
    InformationForm,
    LateMotivationForm,
    SignatureForm,
)
from piis.contracts.models import ContractVersion, Signature
from piis.contracts.obligation import conclusion_for_contract
from piis.contracts.pdf_store import pdf_response
from piis.contracts.perms import can_edit_contract, can_view_contract
from piis.contracts.reflection import reflection_dates
from piis.contracts.rights import RIGHT_CODES, rights_list
from piis.contracts.selectors import contract_get_for_user, contract_state
from piis.contracts.selectors_lifecycle import (
    delegation_choices,
    next_signer,
    signer_choices,
)
from piis.contracts.services import lifecycle as services
from piis.contracts.snapshot import version_snapshot
from piis.core.decorators import cpas_permission_required
from piis.core.errors import ServiceError, add_error_to_form
from piis.core.sections import FormSection, save_sections, sections_valid


def _contract(request, contract_id: int, *, audit: bool = True):
    return contract_get_for_user(membership=request.membership, contract_id=contract_id, context=request.path,
                                 audit=audit)  # fmt: skip


def _version(request, contract, version_id: int) -> ContractVersion:
    try:
        version = ContractVersion.objects.for_cpas(request.cpas).get(pk=version_id, contract=contract)
    except ContractVersion.DoesNotExist:
        raise Http404 from None
    version.contract = contract
    return version


def _done(contract):
    return redirect("contracts:detail", contract_id=contract.pk)


def _already_signed(request, contract, signature: Signature):
    """A signature sent again (its response lost, a double click): the contract page says it is recorded, once."""
    messages.info(
        request,
        _("%(name)s had already signed this version on %(date)s: the signature is recorded once.")
        % {"name": signature.signer_name, "date": date_format(signature.signed_on, "SHORT_DATE_FORMAT")},
    )
    return _done(contract)


def _page(request, template: str, contract, **context):
    return render(request, template, {"contract": contract,
                  "beneficiary": contract.beneficiary, **context})  # fmt: skip


def hand_over_page(request, contract_id: int, *, sections: Callable[[Any], Sequence[FormSection]] | None = None):
    """The hand-over form; `sections(contract)` adds other apps' sections to it (piis/www: how it was explained),
    saved with the version handed over, in the same transaction."""
    contract = _contract(request, contract_id)
    extra = list(sections(contract)) if sections is not None else []
    today = timezone.localdate()
    amendment = contract_state(contract) == LifecycleState.AMENDMENT_DRAFTING
    initial: dict[str, object] = {"handed_over_on": today}
    if amendment:  # taken back to draft once: the reason already given is offered again
        initial["reason"] = services.withdrawn_amendment_reason(contract)
    form = HandOverWithInformationForm(request.POST or None, amendment=amendment, initial=initial)
    problems = []
    if request.method == "POST" and form.is_valid() & sections_valid(extra):
        try:
            with transaction.atomic():
                _hand_over(request, contract, form, today)
                saved = save_sections(extra, services.pending_version(contract))
        except ServiceError as error:
            handed = services.pending_version(contract) if error.code == "NOT_DRAFTING" else None
            if handed is not None:  # sent again (response lost, double click): it was handed over, once
                messages.info(
                    request,
                    _("The final draft had already been handed over on %(date)s; nothing was handed over twice.")
                    % {"date": date_format(handed.handed_over_on, "SHORT_DATE_FORMAT")},
                )
                return _done(contract)
            add_error_to_form(form, error, aliases=HAND_OVER_ALIASES)
            problems = error.params.get("problems", [])
        else:
            if not saved:
                return _hand_over_form(request, contract, form, problems, amendment, today, extra)
            messages.success(request, _("The final draft has been handed over; the reflection period has started."))
            if form.informs:
                messages.success(request, _("The information and rights have been recorded."))
            return _done(contract)
    elif request.method == "GET":
        problems = services.hand_over_problems(contract, today)
    return _hand_over_form(request, contract, form, problems, amendment, today, extra)


hand_over = cpas_permission_required(can_edit_contract)(hand_over_page)


def _hand_over_form(request, contract, form, problems, amendment, today, sections):
    return _page(
        request, "contracts/lifecycle/hand_over.html", contract, form=form, problems=problems, amendment=amendment,
        rights=rights_list(today), sections=sections,
    )  # fmt: skip


# The information service names its fields; the hand-over form presents them under its own names.
HAND_OVER_ALIASES = {"rights": "all_rights", "given_on": "handed_over_on"}


def _hand_over(request, contract, form: HandOverWithInformationForm, today) -> None:
    """Hand over; with the information and rights too when the user recorded them on the same form."""
    data = form.cleaned_data
    common = {"membership": request.membership, "contract": contract, "handed_over_on": data["handed_over_on"],
              "reason": data.get("reason", ""), "today": today, "context": request.path}  # fmt: skip
    if not form.informs:
        services.contract_hand_over(**common)
        return
    services.contract_hand_over_and_inform(
        **common,
        rights=list(RIGHT_CODES) if data["all_rights"] else [],
        assistance=data["assistance"],
        assisted_by=data["assisted_by"],
    )


@require_POST
@cpas_permission_required(can_edit_contract)
def back_to_draft(request, contract_id: int):
    contract = _contract(request, contract_id)
    try:
        services.contract_back_to_draft(membership=request.membership, contract=contract, context=request.path)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Back to draft: the content can be changed, then handed over again."))
    return _done(contract)


@cpas_permission_required(can_edit_contract)
def information(request, contract_id: int, version_id: int):
    contract = _contract(request, contract_id)
    version = _version(request, contract, version_id)
    today = timezone.localdate()
    initial = {
        "given_on": version.information_given_on or today,
        "rights": version.rights_given,
        "assistance": version.assistance,
        "assisted_by": version.assisted_by,
    }
    form = InformationForm(request.POST or None, on=version.handed_over_on, initial=initial, versioned=version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.version_record_information(
                membership=request.membership,
                version=version,
                given_on=data["given_on"],
                rights=data["rights"],
                assistance=data["assistance"],
                assisted_by=data["assisted_by"],
                today=today,
                context=request.path,
            )
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The information and rights have been recorded."))
            return _done(contract)
    return _page(request, "contracts/lifecycle/information.html", contract, form=form, version=version)


def _late_expected(contract, today) -> bool:
    # Signing today concludes late when the file's obligation, as this contract answers it, is already late.
    return not contract.late_motivation and conclusion_for_contract(contract, today=today).late


@cpas_permission_required(can_edit_contract)
def sign(request, contract_id: int, version_id: int):
    contract = _contract(request, contract_id)
    version = _version(request, contract, version_id)
    if request.method == "POST":  # before the form: a party that has signed is no longer one of its choices
        given = services.existing_signature(version, request.POST.get("signer", ""))
        if given is not None:
            return _already_signed(request, contract, given)
    today = timezone.localdate()
    all_lines = list(Signatory.objects.for_cpas(request.cpas).prefetch_related("delegations"))
    matrix = required_cpas_signatories(cpas=request.cpas)
    form = SignatureForm(
        request.POST or None,
        request.FILES or None,
        signers=signer_choices(contract, version, matrix, all_lines),
        delegations=delegation_choices(all_lines),
        ask_late_motivation=version.kind == VersionKind.INITIAL and _late_expected(contract, today),
        initial={"signed_on": today, "signer": request.GET.get("signer") or next_signer(contract, version, matrix)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contract_sign(
                membership=request.membership,
                version=version,
                signer=data["signer"],
                delegation_id=data.get("delegation"),
                signer_name=data["signer_name"],
                signed_on=data["signed_on"],
                method=data["method"],
                scan=data.get("scan"),
                late_motivation=data.get("late_motivation", ""),
                today=today,
                context=request.path,
            )
        except ServiceError as error:
            given = services.existing_signature(version, data["signer"]) if error.code == "ALREADY_SIGNED" else None
            if given is not None:  # the same signature sent twice at once: the other request recorded it
                return _already_signed(request, contract, given)
            add_error_to_form(form, error)
        else:
            version.refresh_from_db()
            if version.concluded_on:
                messages.success(
                    request, _("The signature has been recorded. Every party has signed: the contract is in force.")
                )
            else:
                messages.success(request, _("The signature has been recorded."))
            return _done(contract)
    earliest = reflection_dates(version.handed_over_on).signature_from
    return _page(
        request,
        "contracts/lifecycle/sign.html",
        contract,
        form=form,
        version=version,
        earliest=earliest,
        days_left=max((earliest - today).days, 0),
    )


@cpas_permission_required(can_view_contract)
def signature_scan(request, contract_id: int, signature_id: int):
    contract = _contract(request, contract_id, audit=False)
    try:
        signature = Signature.objects.for_cpas(request.cpas).get(pk=signature_id, version__contract=contract)
    except Signature.DoesNotExist:
        raise Http404 from None
    if not signature.scan:
        return _done(contract)
    record(actor=request.user, cpas=request.cpas, verb=AuditVerb.SIGNATURE_SCAN_OPENED, target=signature,
           beneficiary_id=contract.beneficiary_id, context=request.path)  # fmt: skip
    return FileResponse(signature.scan.open("rb"), as_attachment=True, filename=signature.scan.name.rsplit("/")[-1])


@cpas_permission_required(can_edit_contract)
def late_motivation(request, contract_id: int):
    contract = _contract(request, contract_id)
    form = LateMotivationForm(
        request.POST or None, initial={"late_motivation": contract.late_motivation}, versioned=contract
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_record_late_motivation(
                membership=request.membership,
                contract=contract,
                motivation=form.cleaned_data["late_motivation"],
                context=request.path,
            )
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The motivation has been recorded."))
            return _done(contract)
    title = _("Late conclusion: motivation")
    return _page(request, "contracts/lifecycle/simple_form.html", contract, form=form, title=title, submit=_("Record"))


@cpas_permission_required(can_view_contract)
def pdf(request, contract_id: int, version_id: int):
    """The PDF of one version. A signed version's PDF is laid out once and then served from storage with its SHA-256
    (contracts.pdf_store); otherwise its HTML is made inside the request's transaction and the layout, slow and
    without the database, runs after it has committed and within PDF_RENDER_TIMEOUT (core.deferred, contracts.pdf);
    the audit row is written once the PDF exists. A version too long to print, or a layout stopped, gets a page
    that says so."""
    contract = _contract(request, contract_id, audit=False)
    version = _version(request, contract, version_id)

    def respond(content: bytes, sha256: str, stored: bool) -> HttpResponse:
        record(actor=request.user, cpas=request.cpas, verb=AuditVerb.CONTRACT_PDF_OPENED, target=version,
               beneficiary_id=contract.beneficiary_id, context=request.path,
               changes={"pdf_sha256": [None, sha256]} if stored else None)  # fmt: skip
        response = HttpResponse(content, content_type="application/pdf")
        filename = f"piis-{contract.pk}-v{version.number}-{version.language}.pdf"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        response["X-Content-SHA256"] = sha256
        return response

    def refuse(error: ServiceError, status: int) -> HttpResponse:
        return _pdf_refused(request, contract, error, status=status)

    return pdf_response(version, respond=respond, refuse=refuse)


def _pdf_refused(request, contract, error: ServiceError, *, status: int) -> HttpResponse:
    response = _page(request, "contracts/lifecycle/pdf_refused.html", contract, message=error.message,
                     timeout=error.code == "PRINT_TIMEOUT")  # fmt: skip
    response.status_code = status
    if error.code == "PRINT_TIMEOUT":
        response["Retry-After"] = "30"
    return response


@cpas_permission_required(can_view_contract)
def version_detail(request, contract_id: int, version_id: int):
    contract = _contract(request, contract_id)
    version = _version(request, contract, version_id)
    previous = (
        ContractVersion.objects.for_cpas(request.cpas)
        .filter(contract=contract, number__lt=version.number, concluded_on__isnull=False)
        .order_by("-number")
        .first()
    )
    diff = version_diff(version_snapshot(previous), version_snapshot(version)) if previous else None
    signatures = version.signatures.select_related("signatory", "delegation", "third_party")
    return _page(request, "contracts/lifecycle/version.html", contract, version=version, previous=previous, diff=diff,
                 signatures=signatures)  # fmt: skip


@cpas_permission_required(can_edit_contract)
def amendment_start(request, contract_id: int):
    contract = _contract(request, contract_id)
    form = AmendmentStartForm(request.POST if request.method == "POST" else None)  # a bound form, with no field
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_start_amendment(membership=request.membership, contract=contract, context=request.path)
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The amendment can now be drafted; the signed version stays in force."))
            return _done(contract)
    intro = _(
        "The content of the contract becomes editable again; the signed version stays in force until every party "
        "consents to the amendment. You give the reason for the amendment when you hand it over."
    )
    return _page(request, "contracts/lifecycle/simple_form.html", contract, form=form, title=_("Start an amendment"),
                 submit=_("Start the amendment"), intro=intro)  # fmt: skip


def end_page(request, contract_id: int, *, sections: Callable[[Any], Sequence[FormSection]] | None = None):
    """End the contract; `sections(contract)` adds other apps' sections (piis/www: the outcome), saved with the
    ended contract in the same transaction."""
    contract = _contract(request, contract_id)
    extra = list(sections(contract)) if sections is not None else []
    today = timezone.localdate()
    form = EndForm(request.POST or None, initial={"ended_on": today})
    if request.method == "POST" and form.is_valid() & sections_valid(extra):
        try:
            with transaction.atomic():
                services.contract_end(
                    membership=request.membership,
                    contract=contract,
                    ended_on=form.cleaned_data["ended_on"],
                    reason=form.cleaned_data["reason"],
                    today=today,
                    context=request.path,
                )
                contract.refresh_from_db()
                saved = save_sections(extra, contract)
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            if saved:
                messages.success(request, _("The contract has ended."))
                return _done(contract)
            contract.refresh_from_db()  # rolled back: not ended
    return _page(request, "contracts/lifecycle/simple_form.html", contract, form=form, title=_("End the contract"),
                 submit=_("End the contract"), sections=extra)  # fmt: skip


end = cpas_permission_required(can_edit_contract)(end_page)


# The hand-over and end forms are served by piis/www/recorded_with.py (with the documents' records inside them).
urlpatterns = [
    path("<int:contract_id>/back-to-draft/", back_to_draft, name="back_to_draft"),
    path("<int:contract_id>/versions/<int:version_id>/", version_detail, name="version"),
    path("<int:contract_id>/versions/<int:version_id>/information/", information, name="information"),
    path("<int:contract_id>/versions/<int:version_id>/sign/", sign, name="sign"),
    path("<int:contract_id>/versions/<int:version_id>/pdf/", pdf, name="pdf"),
    path("<int:contract_id>/signatures/<int:signature_id>/scan/", signature_scan, name="signature_scan"),
    path("<int:contract_id>/late-motivation/", late_motivation, name="late_motivation"),
    path("<int:contract_id>/amendment/", amendment_start, name="amendment_start"),
]
