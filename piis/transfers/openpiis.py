"""The open PIIS format, version 1 (docs/open-piis.md, docs/open-piis/v1.schema.json).

`build_document` writes one package from the old CPAS's rows: the version in force as frozen (objectives, steps,
commitments of every party with their delivery status today), its versions, its evaluations, the sanction history
the law lets the new CPAS continue (R53) and the signed PDF. `read_package` is the one gate for a package coming in
(an upload, `manage.py import_piis`, or a transfer inside the deployment): size, JSON, the schema (unknown fields,
wrong version), the destination, references inside the package, markup in text, and the PDF's first bytes — each
refusal a ServiceError with a translated message. `dump` gives the canonical bytes (sorted keys, UTF-8), so that an
export, an import and a new export of the same package are byte for byte the same.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from piis.core.errors import ServiceError

__all__ = ["FORMAT", "VERSION", "dump", "read_package", "schema"]

FORMAT = "open-piis"
VERSION = 1
SCHEMA_PATH = Path(settings.BASE_DIR) / "docs" / "open-piis" / "v1.schema.json"
# Markup or a script in what should be plain text: refused, not cleaned (a package that carries it is not trusted).
_MARKUP = re.compile(r"<\s*[a-zA-Z!/?]|javascript\s*:|data\s*:\s*text/html", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def max_bytes() -> int:
    return int(getattr(settings, "OPEN_PIIS_MAX_MB", 30)) * 1024 * 1024


def dump(document: dict[str, Any]) -> bytes:
    """The canonical bytes of a package: what is written to a file, stored and compared."""
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _texts(value: Any):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "base64":
                yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def _check_references(piis: dict[str, Any]) -> None:
    parties = {p["id"] for p in piis["parties"]}
    objectives = {o["id"] for o in piis["objectives"]}
    ids = [o["id"] for o in piis["objectives"]] + [c["id"] for c in piis["commitments"]]
    if len(ids) != len(set(ids)) or len(parties) != len(piis["parties"]):
        raise ServiceError("PACKAGE_INCONSISTENT", field="package")
    for commitment in piis["commitments"]:
        if commitment["objective"] not in objectives | {None} or commitment["third_party"] not in parties | {None}:
            raise ServiceError("PACKAGE_INCONSISTENT", field="package")
    for objective in piis["objectives"]:
        for step in objective["steps"]:
            if step["party"] not in parties | {None}:
                raise ServiceError("PACKAGE_INCONSISTENT", field="package")
    numbers = [v["number"] for v in piis["versions"]]
    if piis["signed_pdf"]["version"] not in numbers:
        raise ServiceError("PACKAGE_INCONSISTENT", field="package")


def _check_dates(document: dict[str, Any]) -> None:
    for value in _dates(document):
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ServiceError("PACKAGE_INCONSISTENT", field="package") from None


def _dates(value: Any, key: str = ""):
    if isinstance(value, dict):
        for k, item in value.items():
            yield from _dates(item, k)
    elif isinstance(value, list):
        for item in value:
            yield from _dates(item, key)
    elif isinstance(value, str) and (key.endswith("_on") or key.endswith("_date") or key == "deferral_until"):
        yield value


def pdf_bytes(document: dict[str, Any]) -> bytes:
    return base64.b64decode(document["piis"]["signed_pdf"]["base64"], validate=True)


def read_package(raw: bytes, *, destination_nis_code: str) -> dict[str, Any]:
    """The package in `raw`, checked for the CPAS whose NIS code is `destination_nis_code`; ServiceError otherwise.

    Codes: PACKAGE_TOO_LARGE, PACKAGE_NOT_JSON, PACKAGE_WRONG_FORMAT, PACKAGE_WRONG_VERSION, PACKAGE_INVALID (the
    schema: a missing or unknown field, a wrong type), PACKAGE_NOT_FOR_US (another destination, or sent by us),
    PACKAGE_MARKUP (markup or a script in a text), PACKAGE_INCONSISTENT (dangling references, impossible dates),
    PACKAGE_PDF_INVALID.
    """
    import jsonschema

    if len(raw) > max_bytes():
        raise ServiceError("PACKAGE_TOO_LARGE", field="package", params={"mb": max_bytes() // (1024 * 1024)})
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ServiceError("PACKAGE_NOT_JSON", field="package") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ServiceError("PACKAGE_WRONG_FORMAT", field="package")
    if document.get("version") != VERSION:
        raise ServiceError("PACKAGE_WRONG_VERSION", field="package", params={"version": VERSION})
    validator = jsonschema.Draft202012Validator(schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "/"
        raise ServiceError("PACKAGE_INVALID", field="package", params={"where": where})
    if document["destination"]["nis_code"] != destination_nis_code:
        raise ServiceError("PACKAGE_NOT_FOR_US", field="package")
    if document["source"]["nis_code"] == destination_nis_code:
        raise ServiceError("PACKAGE_NOT_FOR_US", field="package")
    for text in _texts(document):
        try:
            text.encode("utf-8")  # a lone surrogate (an escape like \ud800) is no text: the database refuses it
        except UnicodeEncodeError:
            raise ServiceError("PACKAGE_NOT_JSON", field="package") from None
        if _MARKUP.search(text) or _CONTROL.search(text):
            raise ServiceError("PACKAGE_MARKUP", field="package")
    _check_dates(document)
    _check_references(document["piis"])
    try:
        pdf = pdf_bytes(document)
    except (binascii.Error, ValueError):
        raise ServiceError("PACKAGE_PDF_INVALID", field="package") from None
    if not pdf.startswith(b"%PDF-"):
        raise ServiceError("PACKAGE_PDF_INVALID", field="package")
    return document
