"""The REST API, /api/v1/ (django-ninja; OpenAPI at /api/v1/openapi.json, its docs page at /api/v1/docs).

Every operation goes through the selectors and services of the pages with an `ApiPrincipal` in the place of the
membership (piis.api.principal), so the same fence, rules and audit rows apply; nothing here queries on its own.
"""

import dataclasses
import hashlib
from datetime import date

from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI, Path, Query, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

from piis.accounts.enums import Role
from piis.api.auth import ApiError, TokenAuth
from piis.api.models import Scope
from piis.audit.enums import AuditVerb
from piis.audit.services import record, record_people_shown
from piis.cases.selectors import beneficiary_get_for_user, beneficiary_list, beneficiary_record_opened
from piis.contracts.obligation import obligation_for_file
from piis.contracts.selectors import contract_get_for_user, contract_list_for_beneficiary
from piis.contracts.selectors_lifecycle import version_list
from piis.core.concurrency import StaleSave, expect_version, read_version
from piis.core.errors import ServiceError, error_message
from piis.followup.enums import MeetingStatus
from piis.followup.models import MeetingRequest
from piis.followup.selectors import (
    evaluation_list_for_contract,
    followup_context_for_file,
    meeting_request_get_for_user,
)
from piis.followup.services import meeting_request_mark_held
from piis.sanctions.export import export_csv
from piis.sanctions.selectors_council import export_get, exports_list
from piis.transfers.openpiis import dump
from piis.transfers.selectors import transfer_get_for_user
from piis.transfers.services import package_import

MAX_ID = 2**31 - 1
FileId = Path(..., ge=1, le=MAX_ID)

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


class ContractDetailOut(ContractOut):
    beneficiary_id: int
    versions: list[VersionOut]
    evaluations: list[EvaluationOut]


@contracts.get(
    "/contracts/{contract_id}",
    response={200: ContractDetailOut, **ERRORS},
    summary="One PIIS, its versions and evaluations",
)
def contract_detail(request, contract_id: int = ContractId):
    contract = contract_get_for_user(membership=request.auth, contract_id=contract_id, context=request.path[:300])
    return {
        "id": contract.pk,
        "beneficiary_id": contract.beneficiary_id,
        "status": contract.status,
        "ri_decision_id": contract.ri_decision_id,
        "start_on": contract.start_on,
        "end_on": contract.end_on,
        "created_at": contract.created_at.isoformat(),
        "versions": version_list(contract),
        "evaluations": evaluation_list_for_contract(contract=contract),
    }


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


@exports.get("/sanction-exports", response={200: list[PaymentExportOut], **ERRORS}, summary="Payment exports")
def sanction_exports(request):
    return [
        {"id": e.pk, "exported_at": e.exported_at.isoformat(), "file_name": e.file_name, "line_count": e.line_count}
        for e in exports_list(membership=_as_export_reader(request.auth))
    ]


@exports.get(
    "/sanction-exports/{export_id}/csv",
    response={200: None, **ERRORS},
    summary="One payment export's CSV (suspension periods; layout in docs/sanctions.md)",
    openapi_extra={
        "responses": {200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}}
    },
)
def sanction_export_csv(request, export_id: int = ExportId):
    principal = _as_export_reader(request.auth)
    export = export_get(membership=principal, pk=export_id)
    content = export_csv(export)
    record_people_shown(
        actor=principal.user,
        cpas=principal.cpas,
        context=request.path[:300],
        beneficiary_ids=list(export.lines.values_list("beneficiary_id", flat=True)),
        verb=AuditVerb.SANCTION_PAYMENTS_OPENED,
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.file_name}"'
    return response


api.add_router("/", exports)


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
    if_match = request.headers.get("If-Match", "").strip()
    if not if_match:
        raise ApiError(428, "API_PRECONDITION_REQUIRED")
    expect_version(meeting, if_match.removeprefix("W/").strip('"'))
    try:
        meeting = meeting_request_mark_held(
            membership=request.auth, meeting_request=meeting, held_on=payload.held_on, context=request.path[:300]
        )
    except StaleSave:
        raise ApiError(412, "API_STALE") from None
    response["ETag"] = f'"{read_version(meeting)}"'
    return meeting


api.add_router("/", followup)


api.add_router("/", files)
