"""The REST API, /api/v1/ (django-ninja; OpenAPI at /api/v1/openapi.json, its docs page at /api/v1/docs).

Every operation goes through the selectors and services of the pages with an `ApiPrincipal` in the place of the
membership (piis.api.principal), so the same fence, rules and audit rows apply; nothing here queries on its own.
"""

import csv
import dataclasses
import hashlib
import io
import uuid
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Literal

from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI, Path, Query, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import AfterValidator, Field

from piis.accounts.enums import Role
from piis.api.auth import ApiError, TokenAuth
from piis.api.models import Scope
from piis.audit.enums import AuditVerb
from piis.audit.services import record, record_people_shown
from piis.cases.selectors import beneficiary_get_for_user, beneficiary_list, beneficiary_record_opened
from piis.contracts.enums import CommitmentStatus
from piis.contracts.obligation import obligation_for_file
from piis.contracts.pdf_store import pdf_response
from piis.contracts.selectors import contract_get_for_user, contract_list_for_beneficiary, contract_record_opened
from piis.contracts.selectors_drafting import clause_get_for_user
from piis.contracts.selectors_lifecycle import version_get_by_number, version_list
from piis.core.concurrency import StaleSave, expect_version, read_version
from piis.core.dates import DateKind, date_problem
from piis.core.errors import ServiceError, error_message
from piis.core.forms import LONG_TEXT_MAX_LENGTH
from piis.followup.enums import Delivery, EvaluationMode, MeetingStatus, Progress, RequestedBy
from piis.followup.models import Evaluation, MeetingRequest
from piis.followup.perms import can_record_followup, can_view_agenda
from piis.followup.selectors import (
    KINDS,
    agenda_filter,
    agenda_for_user,
    caseload_member_get,
    contract_compliance,
    evaluation_get_for_user,
    evaluation_list_for_contract,
    followup_context_for_file,
    meeting_request_get_for_user,
    reviewable_commitments,
)
from piis.followup.services import (
    DeliveryEntry,
    ProgressEntry,
    commitment_delivery_record,
    evaluation_save,
    meeting_request_create,
    meeting_request_mark_held,
    meeting_request_withdraw,
)
from piis.reports import claims
from piis.reports.perms import can_view_subsidy_claim
from piis.sanctions.export import export_csv
from piis.sanctions.selectors_council import export_get, exports_page
from piis.transfers.openpiis import dump
from piis.transfers.selectors import transfer_get_for_user
from piis.transfers.services import package_import

MAX_ID = 2**31 - 1
FileId = Path(..., ge=1, le=MAX_ID)


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store a NUL; core.middleware.RefuseNulMiddleware reads forms and queries, not JSON bodies.
    if "\x00" in value:
        raise ValueError("NUL character")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]

api = NinjaAPI(
    title="PIIS API",
    version="1",
    description="Read and write a CPAS's PIIS data with a token issued by its administrator (see docs/api.md).",
    urls_namespace="api",
    docs_url="/docs",
)


class Error(Schema):
    code: str
    message: str
    field: str | None = None


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}


def _error(request, status: int, code: str, params=None, field=None, headers=None):
    response = api.create_response(
        request, {"code": code, "message": error_message(code, params), "field": field}, status=status
    )
    for key, value in (headers or {}).items():
        response[key] = value
    return response


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return _error(request, exc.status, exc.code, exc.params, headers=exc.headers)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(request, 401, "API_NOT_AUTHENTICATED", headers={"WWW-Authenticate": "Bearer"})


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "API_NOT_FOUND")


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc: NinjaValidationError):
    where = ", ".join(".".join(str(p) for p in e.get("loc", ())) for e in exc.errors[:3]) or "?"
    return _error(request, 422, "API_INVALID_INPUT", {"where": where})


@api.exception_handler(ServiceError)
def _service_error(request, exc: ServiceError):
    return _error(request, 400, exc.code, exc.params, field=exc.field)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return _error(request, exc.status_code if exc.status_code < 500 else 400, "API_INVALID_INPUT", {"where": "?"})


# --- schemas -------------------------------------------------------------------------------------------------------


class FileOut(Schema):
    id: int
    first_name: str
    last_name: str
    birth_date: date
    national_number: str
    language: str
    email: str
    phone: str
    address: str
    updated_at: str


class FileListItem(Schema):
    id: int
    first_name: str
    last_name: str
    national_number_masked: str


class FilePage(Schema):
    items: list[FileListItem]
    next_cursor: str | None


class RiDecisionOut(Schema):
    id: int
    category: int
    requested_on: date
    decided_on: date
    notified_on: date | None
    start_on: date
    end_on: date | None
    monthly_amount: str
    employed_with_top_up: bool
    full_time_studies: bool


class Reason(Schema):
    code: str
    label: str


class ObligationOut(Schema):
    on: date
    ri_decision_id: int | None
    required: bool
    deadline: date | None
    warning_date: date | None
    reasons: list[Reason]
    concluded_on: date | None
    late: bool
    error: str


class ContractOut(Schema):
    id: int
    status: str
    ri_decision_id: int
    start_on: date | None
    end_on: date | None
    created_at: str


class MeetingRequestOut(Schema):
    id: int
    requested_on: date
    requested_by: str
    subject: str
    deadline: date
    status: str
    held_on: date | None
    withdrawn_on: date | None


class FileFilters(Schema):
    q: str = Field("", max_length=100, description="A name, or the start of a national register number")
    cursor: str | None = Field(None, max_length=20, description="next_cursor of the previous page")
    limit: int = Field(25, ge=1, le=100)
    updated_since: date | None = Field(None, description="Only files changed on or after this day")


class MeetingFilters(Schema):
    status: MeetingStatus | None = None
    requested_from: date | None = None
    requested_until: date | None = None


# --- helpers -------------------------------------------------------------------------------------------------------


def _cursor(value: str | None) -> int:
    if not value:
        return 0
    if not value.isdigit() or len(value) > 10:
        raise ApiError(422, "API_INVALID_INPUT", {"where": "cursor"})
    return int(value)


def _mask(nrn: str) -> str:
    return f"{nrn[:2]}…{nrn[-2:]}" if len(nrn) >= 4 else "…"


def _file(request, file_id: int):
    principal = request.auth
    return beneficiary_get_for_user(membership=principal, beneficiary_id=file_id, context=request.path[:300])


def etag_of(*parts) -> str:
    return '"' + hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32] + '"'


# --- files ---------------------------------------------------------------------------------------------------------

files = Router(tags=["files"], auth=TokenAuth(Scope.READ_FILES))


@files.get("/files", response={200: FilePage, **ERRORS}, summary="Search the files (name or national number)")
def file_list(request, filters: Query[FileFilters]):
    principal = request.auth
    after = _cursor(filters.cursor)
    qs = beneficiary_list(membership=principal, query=filters.q).filter(pk__gt=after).order_by("pk")
    if filters.updated_since:
        qs = qs.filter(updated_at__date__gte=filters.updated_since)
    rows = list(qs[: filters.limit + 1])
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    record_people_shown(
        actor=principal.user,
        cpas=principal.cpas,
        beneficiary_ids=[b.pk for b in rows],
        context=request.get_full_path()[:300],
        verb=AuditVerb.FILE_LIST_OPENED,
    )
    return {
        "items": [
            {
                "id": b.pk,
                "first_name": b.first_name,
                "last_name": b.last_name,
                "national_number_masked": _mask(b.national_number),
            }
            for b in rows
        ],
        "next_cursor": str(rows[-1].pk) if more else None,
    }


@files.get("/files/{file_id}", response={200: FileOut, **ERRORS}, summary="One file (audited)")
def file_detail(request, response: HttpResponse, file_id: int = FileId):
    b = _file(request, file_id)
    response["ETag"] = etag_of("file", b.pk, b.updated_at.isoformat())
    return {
        "id": b.pk,
        "first_name": b.first_name,
        "last_name": b.last_name,
        "birth_date": b.birth_date,
        "national_number": b.national_number,
        "language": b.language,
        "email": b.email,
        "phone": b.phone,
        "address": b.address,
        "updated_at": b.updated_at.isoformat(),
    }


@files.get("/files/{file_id}/ri-decisions", response={200: list[RiDecisionOut], **ERRORS}, summary="RI decisions")
def file_ri_decisions(request, file_id: int = FileId):
    b = _file(request, file_id)
    return [
        {
            **{f: getattr(d, f) for f in RiDecisionOut.model_fields if f != "monthly_amount"},
            "monthly_amount": str(d.monthly_amount),
        }
        for d in b.ri_decisions.all()
    ]


@files.get("/files/{file_id}/obligation", response={200: ObligationOut, **ERRORS}, summary="The PIIS obligation")
def file_obligation(request, file_id: int = FileId):
    b = _file(request, file_id)
    today = timezone.localdate()
    answer = obligation_for_file(beneficiary=b, today=today)
    return {
        "on": today,
        "ri_decision_id": answer.ri_decision.pk if answer.ri_decision else None,
        "required": answer.required,
        "deadline": answer.deadline,
        "warning_date": answer.warning_date,
        "reasons": [{"code": r.code, "label": str(r.label)} for r in answer.reasons],
        "concluded_on": answer.concluded_on,
        "late": answer.late,
        "error": str(answer.error),
    }


@files.get("/files/{file_id}/contracts", response={200: list[ContractOut], **ERRORS}, summary="PIIS contracts")
def file_contracts(request, file_id: int = FileId):
    b = _file(request, file_id)
    return [
        {
            "id": c.pk,
            "status": c.status,
            "ri_decision_id": c.ri_decision_id,
            "start_on": c.start_on,
            "end_on": c.end_on,
            "created_at": c.created_at.isoformat(),
        }
        for c in contract_list_for_beneficiary(membership=request.auth, beneficiary=b)
    ]


@files.get(
    "/files/{file_id}/meeting-requests", response={200: list[MeetingRequestOut], **ERRORS}, summary="Meeting requests"
)
def file_meeting_requests(request, filters: Query[MeetingFilters], file_id: int = FileId):
    b = _file(request, file_id)
    shown = followup_context_for_file(membership=request.auth, beneficiary=b, today=timezone.localdate())
    meetings = [*shown["followup_open_meetings"], *shown["followup_closed_meetings"]]
    return [
        m
        for m in meetings
        if (filters.status is None or m.status == filters.status)
        and (filters.requested_from is None or m.requested_on >= filters.requested_from)
        and (filters.requested_until is None or m.requested_on <= filters.requested_until)
    ]


# --- contracts: versions and evaluations ------------------------------------------------------------------------

contracts = Router(tags=["contracts"], auth=TokenAuth(Scope.READ_FILES))
ContractId = Path(..., ge=1, le=MAX_ID)


class VersionOut(Schema):
    id: int
    number: int
    kind: str
    language: str
    handed_over_on: date
    concluded_on: date | None
    superseded: bool


class EvaluationOut(Schema):
    id: int
    held_on: date
    mode: str
    beneficiary_present: bool
    difficulties: str
    adjustments: str
    beneficiary_comment: str


class CommitmentOut(Schema):
    id: int
    contract_id: int
    party: str
    third_party_id: int | None
    objective_id: int | None
    text: str
    due_on: date | None
    delivery_status: str
    delivery_status_on: date | None


class EvaluationYearOut(Schema):
    """One contract year as the rules core judged it (R43–R47): evaluations held, of which in person, missing."""

    number: int
    start: date
    end: date
    held: int
    in_person: int
    missing: int
    missing_in_person: int
    status: str
    status_label: str


class ContractDetailOut(ContractOut):
    beneficiary_id: int
    versions: list[VersionOut]
    evaluations: list[EvaluationOut]
    evaluation_years: list[EvaluationYearOut]
    commitments: list[CommitmentOut]


@contracts.get(
    "/contracts/{contract_id}",
    response={200: ContractDetailOut, **ERRORS},
    summary="One PIIS, its versions and evaluations",
)
def contract_detail(request, contract_id: int = ContractId):
    contract = contract_get_for_user(membership=request.auth, contract_id=contract_id, context=request.path[:300])
    evaluations = evaluation_list_for_contract(contract=contract)
    years = contract_compliance(contract=contract, evaluations=evaluations, today=timezone.localdate())
    return {
        "id": contract.pk,
        "beneficiary_id": contract.beneficiary_id,
        "status": contract.status,
        "ri_decision_id": contract.ri_decision_id,
        "start_on": contract.start_on,
        "end_on": contract.end_on,
        "created_at": contract.created_at.isoformat(),
        "versions": version_list(contract),
        "evaluations": evaluations,
        "evaluation_years": [
            {
                "number": y.number,
                "start": y.year.start,
                "end": y.year.end,
                "held": y.year.count,
                "in_person": y.year.in_person,
                "missing": y.year.missing,
                "missing_in_person": y.year.missing_in_person,
                "status": y.status,
                "status_label": y.status_label,
            }
            for y in years
        ],
        "commitments": contract.clauses.order_by("pk"),
    }


VersionNumber = Path(..., ge=1, le=32767)
PDF_RESPONSE = {
    "description": "The PDF; `X-Content-SHA256` is its SHA-256 (hex), stored with a signed version",
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
}


@contracts.get(
    "/contracts/{contract_id}/versions/{number}/pdf",
    response={409: Error, 503: Error, **ERRORS},
    summary="A version's PDF: a signed one is laid out once and served from storage, a draft laid out on request",
    openapi_extra={"responses": {200: PDF_RESPONSE}},
)
def contract_version_pdf(request, contract_id: int = ContractId, number: int = VersionNumber):
    principal = request.auth
    contract = contract_get_for_user(membership=principal, contract_id=contract_id, context=request.path[:300],
                                     audit=False)  # fmt: skip
    version = version_get_by_number(contract, number)

    def respond(content: bytes, sha256: str, stored: bool) -> HttpResponse:
        record(actor=principal.user, cpas=principal.cpas, verb=AuditVerb.CONTRACT_PDF_OPENED, target=version,
               beneficiary_id=contract.beneficiary_id, context=request.path[:300],
               changes={"pdf_sha256": [None, sha256]} if stored else None)  # fmt: skip
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="piis-{contract.pk}-v{version.number}.pdf"'
        response["X-Content-SHA256"] = sha256
        response["X-PIIS-Stored"] = "true" if stored else "false"
        return response

    def refuse(error: ServiceError, status: int) -> HttpResponse:
        headers = {"Retry-After": "30"} if error.code == "PRINT_TIMEOUT" else None
        return _error(request, status, error.code, error.params, headers=headers)

    return pdf_response(version, respond=respond, refuse=refuse)


api.add_router("/", contracts)


# --- sanction decisions for payment (the stored payment exports of piis.sanctions) ---------------------------------

exports = Router(tags=["sanctions"], auth=TokenAuth(Scope.EXPORT))
ExportId = Path(..., ge=1, le=MAX_ID)


CSV = {"type": "string"}


class PaymentExportOut(Schema):
    id: int
    exported_at: str
    file_name: str
    line_count: int


def _as_export_reader(principal):
    """The export scope reads the stored payment exports as the council secretary who made them would."""
    return dataclasses.replace(principal, role=Role.COUNCIL_SECRETARY)


class PaymentExportPage(Schema):
    items: list[PaymentExportOut]
    next_cursor: str | None


class ExportFilters(Schema):
    exported_from: date | None = Field(None, description="Only exports made on or after this day")
    exported_until: date | None = Field(None, description="Only exports made on or before this day")
    cursor: str | None = Field(None, max_length=20, description="next_cursor of the previous page")
    limit: int = Field(25, ge=1, le=100)


class SuspensionPeriodOut(Schema):
    line_id: int
    kind: str
    reverses_line_id: int | None
    file_id: int
    national_number: str
    last_name: str
    first_name: str
    decision_id: int
    decided_on: date
    notified_on: date | None
    ground: str
    start_on: date
    end_on: date
    share: str
    amount: str | None


class PaymentExportDetailOut(PaymentExportOut):
    periods: list[SuspensionPeriodOut]


@exports.get("/sanction-exports", response={200: PaymentExportPage, **ERRORS}, summary="Payment exports, newest first")
def sanction_exports(request, filters: Query[ExportFilters]):
    page = exports_page(
        membership=_as_export_reader(request.auth),
        before_id=_cursor(filters.cursor) or None,
        exported_from=filters.exported_from,
        exported_until=filters.exported_until,
        limit=filters.limit,
    )
    return {
        "items": [
            {
                "id": e.pk,
                "exported_at": e.exported_at.isoformat(),
                "file_name": e.file_name,
                "line_count": e.line_count,  # type: ignore[attr-defined]  # annotated by exports_page
            }
            for e in page.items
        ],
        "next_cursor": str(page.items[-1].pk) if page.more else None,
    }


def _export_read(request, export_id: int):
    principal = _as_export_reader(request.auth)
    export = export_get(membership=principal, pk=export_id)
    content = export_csv(export)
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    record_people_shown(
        actor=principal.user,
        cpas=principal.cpas,
        context=request.path[:300],
        beneficiary_ids=[int(row["file_id"]) for row in rows],
        verb=AuditVerb.SANCTION_PAYMENTS_OPENED,
    )
    return export, content, rows


@exports.get(
    "/sanction-exports/{export_id}",
    response={200: PaymentExportDetailOut, **ERRORS},
    summary="One payment export: its suspension periods (and reversals), as in its CSV",
)
def sanction_export_detail(request, export_id: int = ExportId):
    export, _content, rows = _export_read(request, export_id)
    return {
        "id": export.pk,
        "exported_at": export.exported_at.isoformat(),
        "file_name": export.file_name,
        "line_count": len(rows),
        "periods": [
            {
                "line_id": int(row["line_id"]),
                "kind": row["kind"],
                "reverses_line_id": int(row["reverses_line_id"]) if row["reverses_line_id"] else None,
                "file_id": int(row["file_id"]),
                "national_number": row["national_number"],
                "last_name": row["last_name"],
                "first_name": row["first_name"],
                "decision_id": int(row["decision_id"]),
                "decided_on": row["decided_on"],
                "notified_on": row["notified_on"] or None,
                "ground": row["ground_code"],
                "start_on": row["start_on"],
                "end_on": row["end_on"],
                "share": row["share_suspended"],
                "amount": row["amount_eur"] or None,
            }
            for row in rows
        ],
    }


@exports.get(
    "/sanction-exports/{export_id}/csv",
    response={200: None, **ERRORS},
    summary="One payment export's CSV (suspension periods; layout in docs/sanctions.md)",
    openapi_extra={
        "responses": {200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}}
    },
)
def sanction_export_csv(request, export_id: int = ExportId):
    export, content, _rows = _export_read(request, export_id)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.file_name}"'
    return response


api.add_router("/", exports)


# --- the month's PIIS subsidy lines (piis.reports.subsidy, the claim page's adapter) --------------------------------

subsidy = Router(tags=["subsidy"], auth=TokenAuth(Scope.EXPORT))


class SubsidyFilters(Schema):
    month: date = Field(..., description="Any day of the month (e.g. 2026-11-01)")
    status: Literal["claimed", "recoverable", "not_due"] | None = None
    cursor: str | None = Field(None, max_length=20, description="next_cursor of the previous page")
    limit: int = Field(100, ge=1, le=500)


class SubsidyLineOut(Schema):
    file_id: int
    name: str
    national_number: str
    category: int
    ri_granted: str
    status: str
    status_label: str
    amount: str
    reason: str
    start: date | None
    code: str
    first_period_start: date | None
    first_period_end: date | None
    contract_id: int | None
    signed_on: date | None
    partner_file_id: int | None
    partner_name: str
    partner_national_number: str


class SubsidyPage(Schema):
    month: date
    items: list[SubsidyLineOut]
    next_cursor: str | None


@subsidy.get(
    "/subsidy-lines",
    response={200: SubsidyPage, 409: Error, **ERRORS},
    summary="The month's PIIS subsidy per person (R68–R71: claimed, recoverable or not due, and why)",
    description="The month's claim as it was last computed and stored (the claim page's computation, or the nightly "
    "one); 409 SUBSIDY_CLAIM_NOT_COMPUTED when the month has never been computed.",
)
def subsidy_line_list(request, filters: Query[SubsidyFilters]):
    principal = dataclasses.replace(request.auth, role=Role.DIRECTOR)  # read as the director who signs the claim
    if not can_view_subsidy_claim(principal):
        raise Http404
    start = _cursor(filters.cursor)
    try:
        month = filters.month.replace(day=1)
        run = claims.stored_run(principal.cpas, month)
    except OverflowError:
        raise ApiError(422, "API_INVALID_INPUT", {"where": "month"}) from None
    if run is None:
        raise ApiError(409, "SUBSIDY_CLAIM_NOT_COMPUTED")
    # The page and one line more (is there a next page?), read from the stored claim's table.
    window = claims.stored_lines(principal.cpas, run, status=filters.status, offset=start, limit=filters.limit + 1)
    shown = window[: filters.limit]
    record_people_shown(actor=principal.user, cpas=principal.cpas, context=request.get_full_path()[:300],
                        beneficiary_ids=[pk for line in shown for pk in line.beneficiary_ids])  # fmt: skip
    return {
        "month": filters.month.replace(day=1),
        "items": [
            {
                "file_id": line.beneficiary_id,
                "name": line.name,
                "national_number": line.national_number,
                "category": line.category,
                "ri_granted": str(line.ri_granted),
                "status": line.status,
                "status_label": str(line.status_label),
                "amount": str(line.amount),
                "reason": str(line.reason),
                "start": line.start,
                "code": line.code,
                "first_period_start": line.first_period.start if line.first_period else None,
                "first_period_end": line.first_period.end if line.first_period else None,
                "contract_id": line.contract_id,
                "signed_on": line.signed_on,
                "partner_file_id": line.partner_id,
                "partner_name": line.partner_name,
                "partner_national_number": line.partner_national_number,
            }
            for line in shown
        ],
        "next_cursor": str(start + filters.limit) if len(window) > filters.limit else None,
    }


api.add_router("/", subsidy)


# --- the transfer package (open PIIS format, piis.transfers) ----------------------------------------------------

transfers = Router(tags=["transfers"], auth=TokenAuth(Scope.TRANSFERS))
TransferId = Path(..., ge=1, le=MAX_ID)
OBJ = {"type": "object", "description": "An open PIIS package (docs/open-piis.md)"}


class ImportedOut(Schema):
    incoming_id: int
    status: str


@transfers.get(
    "/transfers/{transfer_id}/package",
    response=ERRORS,
    summary="The open PIIS package sent for a transfer",
    openapi_extra={"responses": {200: {"description": "Package", "content": {"application/json": {"schema": OBJ}}}}},
)
def transfer_package(request, transfer_id: int = TransferId):
    principal = request.auth
    transfer = transfer_get_for_user(membership=principal, pk=transfer_id, context=request.path[:300], audit=False)
    if transfer.package is None:
        raise Http404
    record(actor=principal.user, cpas=principal.cpas, verb=AuditVerb.TRANSFER_PACKAGE_EXPORTED, target=transfer,
           beneficiary_id=transfer.beneficiary_id, context=request.path[:300])  # fmt: skip
    return HttpResponse(dump(transfer.package), content_type="application/json; charset=utf-8")


@transfers.post(
    "/transfers/import",
    response={201: ImportedOut, **ERRORS},
    summary="Import an open PIIS package addressed to this CPAS (the body is the package)",
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": OBJ}}}},
)
def transfer_import(request):
    principal = request.auth
    incoming = package_import(
        actor=principal.user, cpas=principal.cpas, raw=request.body, today=timezone.localdate(), context=request.path
    )
    return Status(201, {"incoming_id": incoming.pk, "status": incoming.status})


api.add_router("/", transfers)


# --- follow-up writes: through the services, a stale update refused (ETag / If-Match) -------------------------------

followup = Router(tags=["follow-up"])
READ = TokenAuth(Scope.READ_FILES)
WRITE = TokenAuth(Scope.WRITE_FOLLOWUP)
MeetingId = Path(..., ge=1, le=MAX_ID)


class MeetingHeldIn(Schema):
    held_on: date


def _if_match(request, obj, *, related: tuple[str, ...] = ()) -> None:
    """The update is made on the version read: 428 without If-Match, 412 when `obj` changed since (compared now,
    then again under the row's lock by audit.services.audited_save when the service writes)."""
    value = request.headers.get("If-Match", "").strip()
    if not value:
        raise ApiError(428, "API_PRECONDITION_REQUIRED")
    token = value.removeprefix("W/").strip('"')
    if token != read_version(obj, related=related):
        raise ApiError(412, "API_STALE")
    expect_version(obj, token, related=related)


def _etag(response: HttpResponse, obj, *, related: tuple[str, ...] = ()) -> None:
    response["ETag"] = f'"{read_version(obj, related=related)}"'


def _meeting(request, meeting_id: int) -> MeetingRequest:
    meeting = meeting_request_get_for_user(membership=request.auth, meeting_request_id=meeting_id)
    beneficiary_record_opened(membership=request.auth, beneficiary=meeting.beneficiary, context=request.path[:300])
    return meeting


@followup.get(
    "/meeting-requests/{meeting_id}",
    auth=READ,
    response={200: MeetingRequestOut, **ERRORS},
    summary="One meeting request, with its ETag",
)
def meeting_detail(request, response: HttpResponse, meeting_id: int = MeetingId):
    meeting = _meeting(request, meeting_id)
    response["ETag"] = f'"{read_version(meeting)}"'
    return meeting


@followup.post(
    "/meeting-requests/{meeting_id}/held",
    auth=WRITE,
    response={200: MeetingRequestOut, 412: Error, 428: Error, **ERRORS},
    summary="Record that the requested meeting was held (If-Match: the ETag read)",
)
def meeting_held(request, response: HttpResponse, payload: MeetingHeldIn, meeting_id: int = MeetingId):
    meeting = _meeting(request, meeting_id)
    _if_match(request, meeting)
    _happened(payload.held_on, "held_on")
    with _stale_is_412():
        meeting = meeting_request_mark_held(
            membership=request.auth, meeting_request=meeting, held_on=payload.held_on, context=request.path[:300]
        )
    _etag(response, meeting)
    return meeting


class MeetingWithdrawnIn(Schema):
    withdrawn_on: date


@followup.post(
    "/meeting-requests/{meeting_id}/withdrawn",
    auth=WRITE,
    response={200: MeetingRequestOut, 412: Error, 428: Error, **ERRORS},
    summary="Record that the person withdrew the request (If-Match: the ETag read)",
)
def meeting_withdrawn(request, response: HttpResponse, payload: MeetingWithdrawnIn, meeting_id: int = MeetingId):
    meeting = _meeting(request, meeting_id)
    _if_match(request, meeting)
    _happened(payload.withdrawn_on, "withdrawn_on")
    with _stale_is_412():
        meeting = meeting_request_withdraw(
            membership=request.auth,
            meeting_request=meeting,
            withdrawn_on=payload.withdrawn_on,
            context=request.path[:300],
        )
    _etag(response, meeting)
    return meeting


@contextmanager
def _stale_is_412():
    """Someone saved the object between the If-Match check and the service's locked write: 412 as well."""
    try:
        yield
    except StaleSave:
        raise ApiError(412, "API_STALE") from None


def _happened(value: date, field: str) -> None:
    """A date of something that happened: the bounds of the pages' date fields (core.dates.DateKind.HAPPENED)."""
    problem = date_problem(DateKind.HAPPENED, value, today=timezone.localdate())
    if problem is not None:
        raise ServiceError(problem.code, field=field, params=problem.params)


class MeetingRequestIn(Schema):
    requested_on: date
    requested_by: RequestedBy = RequestedBy.BENEFICIARY
    subject: Text = Field("", max_length=300)


@files.post(
    "/files/{file_id}/meeting-requests",
    auth=WRITE,
    response={201: MeetingRequestOut, **ERRORS},
    summary="Record a meeting request (R41: its deadline is computed); Idempotency-Key: a UUID, sent again, "
    "finds the request it recorded",
)
def meeting_create(request, response: HttpResponse, payload: MeetingRequestIn, file_id: int = FileId):
    principal = request.auth
    if not can_record_followup(principal):
        raise Http404
    beneficiary = _file(request, file_id)
    meeting = meeting_request_create(
        membership=principal,
        beneficiary=beneficiary,
        requested_on=payload.requested_on,
        requested_by=payload.requested_by,
        subject=payload.subject,
        submission_key=_idempotency_key(request),
        context=request.path[:300],
    )
    response["ETag"] = f'"{read_version(meeting)}"'
    return Status(201, meeting)


def _idempotency_key(request) -> uuid.UUID | None:
    value = request.headers.get("Idempotency-Key", "").strip()
    if not value:
        return None
    try:
        return uuid.UUID(value[:64])
    except ValueError:
        raise ApiError(422, "API_INVALID_INPUT", {"where": "Idempotency-Key"}) from None


# --- evaluations (R45, R48) and the delivery of commitments: the services of the contract page's forms -----------

EvaluationId = Path(..., ge=1, le=MAX_ID)
ClauseId = Path(..., ge=1, le=MAX_ID)
# An evaluation's version covers its answers per objective and commitment too, as the page's form (EvaluationForm).
EVALUATION_RELATED = ("progress", "commitments")
LongText = Annotated[Text, Field(max_length=LONG_TEXT_MAX_LENGTH)]
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]


class ProgressIn(Schema):
    objective_id: ObjectId
    progress: Progress
    note: Text = Field("", max_length=500)


class CommitmentReviewIn(Schema):
    clause_id: ObjectId
    delivery: Delivery
    note: Text = Field("", max_length=500)


class EvaluationIn(Schema):
    held_on: date = Field(..., description="The day it was held (an evaluation is recorded once held)")
    mode: EvaluationMode = Field(..., description="office and home_visit count as in person (the rules core, R47)")
    beneficiary_present: bool = True
    assistant_present: Text = Field("", max_length=200)
    third_party_ids: list[ObjectId] = Field(default_factory=list, max_length=50)
    other_participants: Text = Field("", max_length=300)
    difficulties: LongText = ""
    adjustments: LongText = ""
    beneficiary_comment: LongText = ""
    progress: list[ProgressIn] = Field(
        default_factory=list, max_length=200, description="Per objective; an objective left out is not assessed"
    )
    commitments: list[CommitmentReviewIn] = Field(
        default_factory=list,
        max_length=200,
        description="Per commitment of the CPAS or a third party; one left out is not reviewed",
    )


class ProgressOut(Schema):
    objective_id: int
    progress: str
    note: str


class CommitmentReviewOut(Schema):
    clause_id: int
    delivery: str
    note: str


class EvaluationDetailOut(EvaluationOut):
    contract_id: int
    assistant_present: str
    third_party_ids: list[int]
    other_participants: str
    progress: list[ProgressOut]
    commitments: list[CommitmentReviewOut]
    recorded_by: str


class DeliveryIn(Schema):
    status: CommitmentStatus
    on: date = Field(..., description="Since when (the day it changed)")


def _evaluation_out(evaluation) -> dict:
    """As stored now (fresh queries, not a prefetch from before the write)."""
    user = evaluation.recorded_by
    return {
        **{f: getattr(evaluation, f) for f in EvaluationOut.model_fields},
        "contract_id": evaluation.contract_id,
        "assistant_present": evaluation.assistant_present,
        "third_party_ids": sorted(evaluation.third_parties.values_list("pk", flat=True)),
        "other_participants": evaluation.other_participants,
        "progress": list(evaluation.progress.order_by("pk").values("objective_id", "progress", "note")),
        "commitments": list(evaluation.commitments.order_by("pk").values("clause_id", "delivery", "note")),
        "recorded_by": (user.get_full_name() or user.username) if user else evaluation.recorded_by_label,
    }


def _evaluation(request, evaluation_id: int):
    evaluation = evaluation_get_for_user(membership=request.auth, evaluation_id=evaluation_id)
    contract_record_opened(membership=request.auth, contract=evaluation.contract, context=request.path[:300])
    return evaluation


def _evaluation_write(request, response, *, contract, evaluation, payload: EvaluationIn, submission_key=None):
    """The page's form, as JSON: the same entries for the same service (followup.services.evaluation_save)."""
    if not can_record_followup(request.auth):
        raise Http404
    _happened(payload.held_on, "held_on")
    third_parties = {tp.pk: tp for tp in contract.third_parties.all()}
    objectives = {o.pk: o for o in contract.objectives.all()}
    commitments = {c.pk: c for c in reviewable_commitments(contract)}
    for where, wanted, known in (
        ("third_party_ids", payload.third_party_ids, third_parties),
        ("progress.objective_id", [p.objective_id for p in payload.progress], objectives),
        ("commitments.clause_id", [c.clause_id for c in payload.commitments], commitments),
    ):
        if any(pk not in known for pk in wanted) or len(set(wanted)) != len(wanted):
            raise ApiError(422, "API_INVALID_INPUT", {"where": where})
    progress = {p.objective_id: p for p in payload.progress}
    reviews = {c.clause_id: c for c in payload.commitments}
    for name in ("held_on", "mode", "beneficiary_present", "assistant_present", "other_participants",
                 "difficulties", "adjustments", "beneficiary_comment"):  # fmt: skip
        setattr(evaluation, name, getattr(payload, name))
    with _stale_is_412():
        saved = evaluation_save(
            membership=request.auth,
            contract=contract,
            evaluation=evaluation,
            third_parties=[third_parties[pk] for pk in payload.third_party_ids],
            # Every objective and commitment, as the form sends them: one left out is blank (an earlier answer goes).
            progress=[
                ProgressEntry(
                    o, progress[pk].progress if pk in progress else "", progress[pk].note if pk in progress else ""
                )
                for pk, o in objectives.items()
            ],
            deliveries=[
                DeliveryEntry(
                    c, reviews[pk].delivery if pk in reviews else "", reviews[pk].note if pk in reviews else ""
                )
                for pk, c in commitments.items()
            ],
            today=timezone.localdate(),
            context=request.path[:300],
            submission_key=submission_key,
        )
    _etag(response, saved, related=EVALUATION_RELATED)
    return saved


@followup.get(
    "/evaluations/{evaluation_id}",
    auth=READ,
    response={200: EvaluationDetailOut, **ERRORS},
    summary="One evaluation, its answers per objective and commitment, with its ETag",
)
def evaluation_detail(request, response: HttpResponse, evaluation_id: int = EvaluationId):
    evaluation = _evaluation(request, evaluation_id)
    _etag(response, evaluation, related=EVALUATION_RELATED)
    return _evaluation_out(evaluation)


@followup.post(
    "/contracts/{contract_id}/evaluations",
    auth=WRITE,
    response={201: EvaluationDetailOut, **ERRORS},
    summary="Record an evaluation held with the person (R45, R48; a PIIS in force); Idempotency-Key: a UUID, sent "
    "again, finds the evaluation it recorded",
)
def evaluation_create(request, response: HttpResponse, payload: EvaluationIn, contract_id: int = ContractId):
    contract = contract_get_for_user(membership=request.auth, contract_id=contract_id, context=request.path[:300])
    saved = _evaluation_write(request, response, contract=contract, evaluation=Evaluation(), payload=payload,
                              submission_key=_idempotency_key(request))  # fmt: skip
    return Status(201, _evaluation_out(saved))


@followup.put(
    "/evaluations/{evaluation_id}",
    auth=WRITE,
    response={200: EvaluationDetailOut, 412: Error, 428: Error, **ERRORS},
    summary="Correct an evaluation (the whole of it; If-Match: the ETag read)",
)
def evaluation_update(request, response: HttpResponse, payload: EvaluationIn, evaluation_id: int = EvaluationId):
    evaluation = _evaluation(request, evaluation_id)
    _if_match(request, evaluation, related=EVALUATION_RELATED)
    contract = contract_get_for_user(membership=request.auth, contract_id=evaluation.contract_id, audit=False,
                                     context=request.path[:300])  # fmt: skip
    saved = _evaluation_write(request, response, contract=contract, evaluation=evaluation, payload=payload)
    return _evaluation_out(saved)


def _commitment(request, clause_id: int):
    clause = clause_get_for_user(membership=request.auth, clause_id=clause_id)
    contract_record_opened(membership=request.auth, contract=clause.contract, context=request.path[:300])
    return clause


@followup.get(
    "/commitments/{clause_id}",
    auth=READ,
    response={200: CommitmentOut, **ERRORS},
    summary="One commitment of a PIIS and its delivery status, with its ETag",
)
def commitment_detail(request, response: HttpResponse, clause_id: int = ClauseId):
    clause = _commitment(request, clause_id)
    _etag(response, clause)
    return clause


@followup.post(
    "/commitments/{clause_id}/delivery",
    auth=WRITE,
    response={200: CommitmentOut, 412: Error, 428: Error, **ERRORS},
    summary="Record whether a commitment of a PIIS in force was delivered, and since when (If-Match: the ETag read)",
)
def commitment_delivery(request, response: HttpResponse, payload: DeliveryIn, clause_id: int = ClauseId):
    if not can_record_followup(request.auth):
        raise Http404
    clause = _commitment(request, clause_id)
    _if_match(request, clause)
    _happened(payload.on, "on")
    with _stale_is_412():
        clause = commitment_delivery_record(
            membership=request.auth,
            clause=clause,
            status=payload.status,
            on=payload.on,
            today=timezone.localdate(),
            context=request.path[:300],
        )
    _etag(response, clause)
    return clause


api.add_router("/", followup)


# --- a worker's agenda (followup.selectors: the same deadlines as the agenda page) --------------------------------

agenda = Router(tags=["agenda"], auth=READ)


class AgendaFilters(Schema):
    worker: int = Field(..., ge=1, le=MAX_ID, description="The user id of a member carrying a caseload")
    kind: str = Field("", max_length=30, description="One kind of deadline (empty: all)")
    horizon_days: int | None = Field(None, ge=0, le=3660, description="Only what falls due within this many days")
    cursor: str | None = Field(None, max_length=20, description="next_cursor of the previous page")
    limit: int = Field(50, ge=1, le=200)


class AgendaItemOut(Schema):
    key: str
    kind: str
    kind_label: str
    due_on: date
    overdue: bool
    at_risk: bool
    label: str
    file_id: int
    contract_id: int | None
    object_id: int


class AgendaPage(Schema):
    on: date
    worker: int
    total: int
    overdue: int
    counts: dict[str, int]
    items: list[AgendaItemOut]
    next_cursor: str | None


@agenda.get("/agenda", response={200: AgendaPage, **ERRORS}, summary="A worker's agenda: the deadlines of their files")
def worker_agenda(request, filters: Query[AgendaFilters]):
    principal = request.auth
    if not can_view_agenda(principal):
        raise Http404
    if filters.kind and filters.kind not in KINDS:
        raise ApiError(422, "API_INVALID_INPUT", {"where": "kind"})
    start = _cursor(filters.cursor)
    today = timezone.localdate()
    member = caseload_member_get(cpas=principal.cpas, user_id=filters.worker)
    items = agenda_for_user(cpas=principal.cpas, user=member.user, today=today)
    view = agenda_filter(items, today=today, kind=filters.kind, horizon_days=filters.horizon_days)
    shown = view.items[start : start + filters.limit]
    record_people_shown(actor=principal.user, cpas=principal.cpas, beneficiary_ids=[i.beneficiary.pk for i in shown],
                        context=request.get_full_path()[:300])  # fmt: skip
    return {
        "on": today,
        "worker": member.user_id,
        "total": view.total,
        "overdue": view.overdue,
        "counts": dict(view.counts),
        "items": [
            {
                "key": item.key,
                "kind": item.kind,
                "kind_label": item.kind_label,
                "due_on": item.due_on,
                "overdue": item.overdue,
                "at_risk": item.at_risk,
                "label": str(item.label),
                "file_id": item.beneficiary.pk,
                "contract_id": item.contract.pk if item.contract else None,
                "object_id": item.object_id,
            }
            for item in shown
        ],
        "next_cursor": str(start + filters.limit) if start + filters.limit < len(view.items) else None,
    }


api.add_router("/", agenda)


api.add_router("/", files)
