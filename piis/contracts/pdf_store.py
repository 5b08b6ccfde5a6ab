"""The signed PDF of a contract version: laid out once, kept with its SHA-256, served from storage afterwards.

A concluded (signed) version never changes (its snapshot and signatures are frozen), so its PDF is laid out on its
first request after conclusion — after the request's transaction has committed, by the PDF worker
(contracts.pdf.html_to_pdf, bounded by PDF_RENDER_TIMEOUT) — then saved in the default storage under the version's
CPAS and its SHA-256 written on the version (evidence for an inspection: the hash says the file is the one
served). Every later request, from the staff contract page or the API, reads the stored file. A version not yet
concluded is laid out on each request, bounded in time the same way, and kept nowhere.

The stored files are personal data outside the static tree (MEDIA_URL is not served): they are reached only through
views that fetch the version inside the caller's CPAS.
"""

import hashlib
import logging
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse

from piis.contracts import pdf as pdf_layout
from piis.contracts.models import ContractVersion
from piis.core.deferred import AfterCommit
from piis.core.errors import ServiceError
from piis.core.rls import set_current_cpas

logger = logging.getLogger(__name__)

Respond = Callable[[bytes, str, bool], HttpResponse]
Refuse = Callable[[ServiceError, int], HttpResponse]


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def stored_pdf(version: ContractVersion) -> bytes | None:
    """The stored PDF of a signed version, or None when none is stored yet (or its file is gone: laid out again)."""
    name = version.pdf_file.name
    if not version.pdf_sha256 or not name:
        return None
    try:
        with default_storage.open(name, "rb") as stored:
            content = stored.read()
    except OSError:
        logger.error("Stored PDF of contract version %s missing (%s)", version.pk, version.pdf_file.name)
        return None
    if sha256_of(content) != version.pdf_sha256:
        logger.error("Stored PDF of contract version %s does not match its SHA-256", version.pk)
    return content


def pdf_store(version: ContractVersion, content: bytes) -> ContractVersion:
    """Keep the PDF of a signed version (once: a request that stored it first wins, this copy is dropped)."""
    if version.concluded_on is None or version.pdf_sha256:
        return version
    digest = sha256_of(content)
    name = default_storage.save(
        f"contracts/pdf/{version.cpas_id}/{version.contract_id}/v{version.number}-{digest[:16]}.pdf",
        ContentFile(content),
    )
    kept = (
        ContractVersion.objects.for_cpas(version.cpas_id)
        .filter(pk=version.pk, pdf_sha256="")
        .update(pdf_file=name, pdf_sha256=digest)
    )
    if kept:
        version.pdf_file.name, version.pdf_sha256 = name, digest
    else:  # stored meanwhile by another request
        default_storage.delete(name)
        version.refresh_from_db(fields=["pdf_file", "pdf_sha256"])
    return version


def pdf_response(version: ContractVersion, *, respond: Respond, refuse: Refuse) -> HttpResponse:
    """The PDF of `version` for a view: the stored one when there is one (right away), else laid out after the
    commit (core.deferred.AfterCommit) and, for a signed version, stored before `respond` is called.

    `respond(content, sha256, stored)` makes the response and writes the read's audit row; `refuse(error, status)`
    answers a version too long to print (409) or a layout stopped after its time (503)."""
    content = stored_pdf(version)
    if content is not None:
        return respond(content, version.pdf_sha256, True)
    try:
        html = pdf_layout.contract_html(version)
    except ServiceError as error:
        return refuse(error, 409)
    cpas_id = version.cpas_id

    def work() -> bytes | ServiceError:
        try:
            return pdf_layout.html_to_pdf(html)
        except ServiceError as error:
            return error

    def finish(result: bytes | ServiceError) -> HttpResponse:
        set_current_cpas(cpas_id)  # an API request has no session CPAS: the finishing transaction sets the version's
        if isinstance(result, ServiceError):
            return refuse(result, 503)
        pdf_store(version, result)
        return respond(result, version.pdf_sha256 or sha256_of(result), bool(version.pdf_sha256))

    return AfterCommit(work, finish)
