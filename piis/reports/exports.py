"""The reports' files: the claim CSV in the layout of docs/reports.md, the coverage and annual figures as CSV (all
through core.spreadsheet.csv_writer, formulas neutralised), and the inspection bundle (R74), a ZIP written as the
privacy export writes its own: a temporary file, records inside the request's transaction, the PDFs of the signed
PIIS laid out after it (core.deferred.AfterCommit).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from django.http import HttpResponse
from django.utils import timezone

from piis.core.spreadsheet import csv_writer
from piis.reports.subsidy import Coverage, SubsidyLine, evidence_for

CLAIM_COLUMNS = (
    "cpas_nis_code",
    "month",
    "national_number",
    "name",
    "partner_national_number",
    "partner_name",
    "ri_category",
    "ri_granted_monthly",
    "subsidy_code",
    "subsidy_start",
    "first_period_end",
    "subsidy_amount",
    "status",
    "reason",
)
MANIFEST_NAME = "manifest.json"


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def csv_response(rows: Iterable[Sequence], filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # spreadsheet programs then read UTF-8
    csv_writer(response, delimiter=";").writerows(rows)
    return response


def csv_bytes(rows: Iterable[Sequence]) -> bytes:
    """The same file as csv_response, as bytes (a background build keeps it in storage)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    csv_writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def claim_rows(cpas, month: date, lines: Sequence[SubsidyLine]) -> list[Sequence]:
    rows: list[Sequence] = [CLAIM_COLUMNS]
    for line in lines:
        rows.append(
            (
                cpas.nis_code,
                month.strftime("%Y-%m"),
                line.national_number,
                line.name,
                line.partner_national_number,
                line.partner_name,
                line.category,
                f"{line.ri_granted:.2f}",
                line.code,
                _day(line.start),
                _day(line.first_period.end if line.first_period else None),
                f"{line.amount:.2f}",
                line.status,
                line.reason,
            )
        )
    return rows


def coverage_rows(coverage: Sequence[Coverage]) -> list[Sequence]:
    rows: list[Sequence] = [("month", "people_with_ri", "people_with_piis", "coverage_percent")]
    for month in coverage:
        percent = "" if month.percent is None else f"{month.percent:.1f}"
        rows.append((month.start.strftime("%Y-%m"), month.with_ri, month.with_piis, percent))
    return rows


def annual_rows(report) -> list[Sequence]:
    rows: list[Sequence] = [("section", "figure", "label", "value")]
    for section in report.sections:
        for figure in section.figures:
            rows.append((section.key, figure.key, figure.label, "" if figure.value is None else str(figure.value)))
    for month in report.coverage:
        percent = "" if month.percent is None else f"{month.percent:.1f}"
        rows.append(("coverage", month.start.strftime("%Y-%m"), "coverage_percent", percent))
    return rows


# --- the inspection bundle (R74) --------------------------------------------------------------------------------


@dataclass
class Bundle:
    path: str
    filename: str
    manifest: dict
    pending: list[tuple[str, Callable[[], bytes]]] = field(default_factory=list)


def _person_record(item) -> dict:
    person = item.beneficiary
    return {
        "id": person.pk,
        "name": f"{person.last_name} {person.first_name}",
        "national_number": person.national_number,
        "needs_assessments": [
            {"id": a.pk, "assessed_on": a.assessed_on.isoformat(), "own_words": a.own_words} for a in item.assessments
        ],
        "contracts": [
            {
                "id": c.pk,
                "status": c.status,
                "signed_on": c.signed_on.isoformat() if c.signed_on else None,
                "ended_on": c.ended_on.isoformat() if c.ended_on else None,
                "versions": [
                    {"number": v.number, "kind": v.kind, "concluded_on": v.concluded_on.isoformat()}
                    for v in c.versions.all()
                    if v.concluded_on
                ],
            }
            for c in item.contracts
        ],
        "evaluations": [
            {
                "id": e.pk,
                "contract_id": e.contract_id,
                "held_on": e.held_on.isoformat(),
                "mode": e.mode,
                "difficulties": e.difficulties,
                "adjustments": e.adjustments,
            }
            for e in item.evaluations
        ],
    }


def _line_record(line: SubsidyLine) -> dict:
    return {
        "beneficiary_ids": list(line.beneficiary_ids),
        "status": line.status,
        "code": line.code,
        "amount": f"{line.amount:.2f}",
        "ri_granted": f"{line.ri_granted:.2f}",
        "start": line.start.isoformat() if line.start else None,
        "reason": line.reason,
    }


def build_bundle(
    cpas, month: date, lines: Sequence[SubsidyLine], *, actor, with_pdfs: bool, render_pdf: Callable | None = None
) -> Bundle:
    """Write the records of `lines` into a ZIP (inside the request's transaction); with_pdfs queues the signed
    versions' PDFs for finish_bundle, made by `render_pdf(version)` (by default laid out from the version; the
    background build passes one that takes the stored PDF, reports.tasks)."""
    from piis.contracts.pdf import render_contract_pdf

    render_pdf = render_pdf or render_contract_pdf

    now = timezone.localtime()
    handle, path = tempfile.mkstemp(prefix="piis-inspection-", suffix=".zip")
    os.close(handle)
    manifest: dict = {
        "generated_at": now.isoformat(timespec="seconds"),
        "generated_by": getattr(actor, "username", ""),
        "cpas": {"name": cpas.name, "nis_code": cpas.nis_code},
        "month": month.strftime("%Y-%m"),
        "lines": [],
        "files": [],
        "pdfs_included": with_pdfs,
    }
    pending: list[tuple[str, Callable[[], bytes]]] = []
    try:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for line in lines:
                people = evidence_for(cpas, line)
                folder = f"line-{line.beneficiary_id}"
                record = {"line": _line_record(line), "people": [_person_record(p) for p in people]}
                data = json.dumps(record, ensure_ascii=False, indent=1).encode()
                archive.writestr(f"{folder}/evidence.json", data)
                manifest["files"].append(
                    {"name": f"{folder}/evidence.json", "sha256": hashlib.sha256(data).hexdigest()}
                )
                manifest["lines"].append(
                    {
                        **_line_record(line),
                        "folder": folder,
                        "has_assessment": all(p.assessments for p in people),
                        "has_signed_piis": all(p.contracts for p in people),
                        "evaluations": sum(len(p.evaluations) for p in people),
                    }
                )
                if with_pdfs:
                    for person in people:
                        for contract in person.contracts:
                            for version in contract.versions.all():
                                if version.concluded_on:
                                    name = f"{folder}/piis-{contract.pk}-v{version.number}.pdf"
                                    pending.append((name, partial(render_pdf, version)))
    except BaseException:
        os.unlink(path)
        raise
    stamp = now.strftime("%Y%m%d-%H%M")
    return Bundle(path, f"inspection-{cpas.nis_code}-{month:%Y-%m}-{stamp}.zip", manifest, pending)


def finish_bundle(bundle: Bundle, progress: Callable[[int, int], None] | None = None) -> bytes:
    """Lay out the pending PDFs (no database), add them and the manifest, and return the ZIP's bytes;
    `progress(done, total)` after each PDF."""
    try:
        with zipfile.ZipFile(bundle.path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
            for done, (name, make) in enumerate(bundle.pending, start=1):
                try:
                    data = make()
                except Exception as error:  # the rest of the bundle is still due to the inspector
                    data = f"This file could not be made: {error}".encode()
                    name = f"{name}.txt"
                archive.writestr(name, data)
                bundle.manifest["files"].append({"name": name, "sha256": hashlib.sha256(data).hexdigest()})
                if progress is not None:
                    progress(done, len(bundle.pending))
            archive.writestr(MANIFEST_NAME, json.dumps(bundle.manifest, ensure_ascii=False, indent=1))
        with open(bundle.path, "rb") as handle:
            return handle.read()
    finally:
        os.unlink(bundle.path)
