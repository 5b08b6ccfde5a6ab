"""The access export of one person (GDPR art. 15), for the data-protection officer: one ZIP holding

- `personal-data.json`: everything held about the person, machine-readable, one key per section of the registry
  (piis.core.personal_data: each app declares its part), with the purposes, legal bases, retention periods and the
  person's rights under `meta`;
- `summary.html`: the same in words, in the DPO's language, for the person to read (no script, printable);
- `files/`: each contract version as a PDF, laid out after the request's transaction (core.deferred.AfterCommit),
  and the scans of signed copies.

Bounded: each section reads the person's rows only (never the whole CPAS), the JSON is written as the rows come (the
accesses, the longest section, through an iterator), and the summary shows at most SUMMARY_ROWS rows per section
(the JSON has them all). The ZIP is written to a temporary file, not kept in memory.
"""

import io
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from piis.core.legal import PROCESSING, legal_basis
from piis.core.personal_data import ExportFile, ExportRecord, sections
from piis.privacy.retention import POLICIES, retention_years

SUMMARY_ROWS = 500
JSON_NAME = "personal-data.json"
SUMMARY_NAME = "summary.html"


@dataclass
class SectionSummary:
    key: str
    title: str
    count: int = 0
    records: list[ExportRecord] = field(default_factory=list)

    @property
    def truncated(self) -> bool:
        return self.count > len(self.records)


@dataclass
class ExportBuild:
    """The ZIP as written inside the transaction; `pending` files are made by `finish_files()` after it."""

    path: str
    filename: str
    counts: dict[str, int]
    pending: list[ExportFile]
    file_names: list[str]


def _meta(person, *, actor, now) -> dict[str, Any]:
    years = retention_years(person.cpas)
    return {
        "generated_at": now.isoformat(timespec="seconds"),
        "generated_by": getattr(actor, "username", ""),
        "controller": {"name": person.cpas.name, "nis_code": person.cpas.nis_code},
        "person": {"id": person.pk, "first_name": person.first_name, "last_name": person.last_name},
        "purposes": [{"purpose": str(p.purpose), "legal_basis": str(p.basis)} for p in PROCESSING],
        "retention": [
            {
                "kind": kind,
                "label": str(policy.kind.label),
                "years": years[kind],
                "counted_from": str(policy.counted_from),
            }
            for kind, policy in POLICIES.items()
        ],
        "retention_basis": [str(b.basis) for b in legal_basis("R78")],
        "sources": "the person and the CPAS's services",
    }


def build_export(person, *, actor) -> ExportBuild:
    """Write the ZIP's JSON, summary and ready files. Call it inside the request's transaction (the CPAS set)."""
    now = timezone.localtime()
    meta = _meta(person, actor=actor, now=now)
    handle, path = tempfile.mkstemp(prefix="piis-access-", suffix=".zip")
    os.close(handle)
    summaries: list[SectionSummary] = []
    ready: list[ExportFile] = []
    pending: list[ExportFile] = []
    try:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            with archive.open(JSON_NAME, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8") as out:
                out.write('{"meta": ' + json.dumps(meta, ensure_ascii=False) + ', "sections": {')
                for index, section in enumerate(sections()):
                    summary = SectionSummary(section.key, str(section.title))
                    out.write(("," if index else "") + json.dumps(section.key) + ": [")
                    for record in section.collect(person):
                        out.write(("," if summary.count else "") + json.dumps(record.as_json(), default=str))
                        summary.count += 1
                        if len(summary.records) < SUMMARY_ROWS:
                            summary.records.append(record)
                        for item in record.files:
                            (pending if item.later is not None else ready).append(item)
                    out.write("]")
                    summaries.append(summary)
                out.write("}}")
            for item in ready:
                if item.data is None:
                    archive.writestr(f"files/{item.name}.txt", "The file could not be read from the storage.")
                else:
                    archive.writestr(f"files/{item.name}", item.data)
            names = [item.name for item in (*ready, *pending)]
            archive.writestr(
                SUMMARY_NAME,
                render_to_string(
                    "privacy/export_summary.html",
                    {
                        "person": person,
                        "meta": meta,
                        "now": now,
                        "actor": actor,
                        "sections": summaries,
                        "processing": PROCESSING,
                        "retention": [(POLICIES[item["kind"]], item["years"]) for item in meta["retention"]],
                        "file_names": names,
                        "summary_rows": SUMMARY_ROWS,
                    },
                ),
            )
    except BaseException:
        os.unlink(path)
        raise
    stamp = now.strftime("%Y%m%d-%H%M")
    return ExportBuild(
        path=path,
        filename=f"access-{person.cpas.nis_code}-{person.pk}-{stamp}.zip",
        counts={s.key: s.count for s in summaries},
        pending=pending,
        file_names=names,
    )


def finish_files(build: ExportBuild) -> list[str]:
    """Make the pending files (PDF layout: slow, no database) and add them to the ZIP; a file that cannot be made
    gets a note in its place. Returns the names of those that failed."""
    failed = []
    with zipfile.ZipFile(build.path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in build.pending:
            assert item.later is not None
            try:
                archive.writestr(f"files/{item.name}", item.later())
            except Exception as error:  # the rest of the export is still due to the person
                failed.append(item.name)
                archive.writestr(f"files/{item.name}.txt", f"This file could not be made: {error}")
    return failed
