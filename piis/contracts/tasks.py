"""Background tasks of the contracts (Django's task framework, settings.TASKS).

`store_signed_pdf`: once a version is concluded, its PDF is laid out by the worker and kept with its SHA-256
(pdf_store), so that the first person to open it gets the stored file instead of waiting for the layout. Enqueued
when the conclusion's transaction commits (services.lifecycle); a version whose PDF is already stored is left as it
is, so running it twice changes nothing. A version without a stored PDF still gets one on its first request.
"""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from piis.contracts import pdf as pdf_layout
from piis.contracts.models import ContractVersion
from piis.contracts.pdf_store import pdf_store, stored_pdf
from piis.core.errors import ServiceError
from piis.jobs.services import in_cpas


def signed_pdf(version_id: int, cpas_id: int) -> bytes | None:
    """The PDF of a concluded version of `cpas_id`: the stored one, else laid out (outside any transaction) and
    stored. None when there is no such version or it is too long to print (contracts.print_bounds)."""
    with in_cpas(cpas_id):
        version = ContractVersion.objects.for_cpas(cpas_id).filter(pk=version_id, concluded_on__isnull=False).first()
        if version is None:
            return None
        content = stored_pdf(version)
        if content is not None:
            return content
        try:
            html = pdf_layout.contract_html(version)
        except ServiceError:
            return None
    content = pdf_layout.html_to_pdf(html, timeout=settings.TASK_PDF_RENDER_TIMEOUT)
    with in_cpas(cpas_id):
        pdf_store(version, content)
    return content


@task()
def store_signed_pdf(version_id: int, cpas_id: int) -> bool:
    """Lay out and keep the PDF of a concluded version (True when a PDF is stored afterwards)."""
    return signed_pdf(version_id, cpas_id) is not None
