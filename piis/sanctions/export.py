"""The payment export's CSV (layout documented in docs/sanctions.md, "Payment export"): one row per stored
PaymentLine of an export, machine-read by the payment service, so the header is a fixed set of codes (not
translated), dates ISO 8601, decimals with a point, UTF-8, comma-separated; every cell through
core.spreadsheet.csv_writer (no cell is ever a formula, a negative amount stays a number)."""

from __future__ import annotations

import io

from piis.core.spreadsheet import csv_writer
from piis.sanctions.models import PaymentExport

__all__ = ["COLUMNS", "export_csv"]

COLUMNS = (
    "export_id",
    "line_id",
    "kind",
    "reverses_line_id",
    "cpas_nis_code",
    "file_id",
    "national_number",
    "last_name",
    "first_name",
    "decision_id",
    "decided_on",
    "notified_on",
    "ground_code",
    "start_on",
    "end_on",
    "share_suspended",
    "amount_eur",
)


def export_csv(export: PaymentExport) -> bytes:
    """The CSV of one stored export (the same bytes every time it is downloaded)."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    lines = export.lines.select_related("beneficiary", "decision", "cpas").order_by("id")
    for line in lines:
        person, decision = line.beneficiary, line.decision
        writer.writerow(
            [
                export.pk, line.pk, line.kind, line.reverses_id or "", line.cpas.nis_code, person.pk,
                person.national_number, person.last_name, person.first_name, decision.pk,
                decision.decided_on.isoformat(), decision.notified_on.isoformat() if decision.notified_on else "",
                decision.ground, line.start_on.isoformat(), line.end_on.isoformat(), line.share,
                "" if line.amount is None else line.amount,  # Decimals: a reversal's negative amount stays a number
            ]
        )  # fmt: skip
    return out.getvalue().encode("utf-8")
